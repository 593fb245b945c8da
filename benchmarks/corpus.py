"""Synthetic wire copy with its own gold: a corpus of any size to check speed and accuracy at scale.

Contacts between invented officials of real states (meetings, phone calls, visits) are drawn at
random (deterministic by seed); each is reported by one to three outlets in different words, with
the date written relative to the story's own date ("on Tuesday", "yesterday", "on July 24"), a
stance or cooperation statement, background lines, and page furniture (bylines, share menus,
"ALSO READ:" teasers, photo credits, comment counters). Country names and demonyms come from
:mod:`extract.countries`, capitals from ``countryinfo``, organizations and initiatives from the
shipped gazetteers. The gold file has the format of ``../shared/eval/seeds-gold.json``, so
``score.py`` scores a build of the corpus.

Run ``python -m benchmarks.corpus 1000 --out /tmp/syn`` to write ``articles/*.txt`` (or
``--format jsonl``: one ``articles.jsonl``) and ``gold.json``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import itertools
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Official",
    "Nation",
    "Contact",
    "Document",
    "Corpus",
    "cast",
    "generate",
    "iter_reports",
    "Writer",
    "write_corpus",
    "word_count",
    "main",
]

#: States the cast is drawn from (ISO 3166 alpha-3); names and demonyms come from extract.countries.
STATES = (
    "CHN IRN IND RUS TUR BRA ZAF EGY NGA KEN ETH IDN MYS VNM THA PHL JPN KOR PAK UZB "
    "DEU FRA ITA ESP POL GRC NOR SWE FIN AUT HUN ARG CHL COL PER CAN AUS NZL SAU QAT "
    "JOR OMN MAR DZA TUN GHA SEN AGO TZA"
).split()

#: Offices every state in the cast fills: (title as written, gold title key).
OFFICES = (("President", "president"), ("Foreign Minister", "foreign minister"), ("Defence Minister", "defence minister"))

_GIVEN = (
    "Amir Elena Tomas Nadia Kenji Farid Ingrid Mateo Leila Arjun Sofia Kwame Mariam Pavel Lucia "
    "Omar Hana Viktor Amara Rafael Yusuf Anika Dmitri Zara Bruno Selin Tariq Mei Jonas Ayesha "
    "Nikolai Carmen Idris Freya Santiago Noor Emeka Irina Hugo Salma Kaito Rosa Ilias Fatima Luca"
).split()
_FAMILY = (
    "Varga Okafor Lindqvist Haddad Moreau Petrov Nakamura Alvarez Mensah Karimi Novak Rahman "
    "Castell Demir Oyelaran Sandoval Halvorsen Ismailov Brennan Takeda Kowalczyk Abara Ferreira "
    "Mirza Castellano Dubrov Asante Holmgren Quiroga Tanaka Rostami Valdez Okonjo Strand Bakirov "
    "Lemaire Hosseini Marchetti Nwosu Eklund Sorensen Zamani Obuya Korhonen Serrano Adeyemi "
    "Vasquez Kuznetsov Lindahl Moretti Ozturk Bianchi Fontaine Jovanovic Kagame Larsen Mbeki "
    "Navarro Oduya Pellegrini Rahimi Salonen Tavares Umarov Vitale Wojcik Yilmaz Zubiri Achebe "
    "Bergstrom Cardenas Dahl Esposito Falk Gashi Horvath Ibarra Jensen Kaplan Lucero Medina "
    "Nyberg Orsini Paredes Quintero Rinaldi Sato Toivonen Urquiza Varela Weston Yamada Zeller "
    "Abernethy Barzani Chaudry Delacroix Eriksen Fayed Galloway Hakimi Iwasaki Jankowski Kovacs "
    "Lombardi Mahmoud Nielsen Ostrowski Pacheco Quist Rossetti Sadiq Tamura Ulloa Vogel Whitlock "
    "Xavier Yusupov Zorin Albrecht Benedetti Cisse Dossou Engel Ferraro Gunawardena Hellstrom "
    "Ishikawa Jaramillo Kiprono Lindgren Marquez Nakashima Obasi Pavlenko Rasmussen Santoro "
    "Tshabalala Uchida Vargas Wahlberg Yeboah Zapata Amadou Boateng Coulibaly Duarte Echeverria "
    "Fujimoto Gutierrez Haugen Ilunga Jorgensen Kamau Leclerc Musa Ndiaye Olsen Pinheiro Rivas "
    "Sandberg Takahashi Uzoma Villanueva Wekesa Yoshida Zhakupov"
).split()

#: Page furniture names that must never become nodes (outlets, reporters, teaser subjects).
OUTLETS = (
    "Northgate Press", "Harbour Times", "Continental Wire", "Daily Ledger", "Orient Monitor",
    "Atlas News Service", "Crescent Post", "Baltic Courier",
)
_REPORTERS = (
    "Clara Whitcombe", "Desmond Ashgrove", "Priya Talwand", "Marek Oszlany", "Helena Brightwater",
    "Tobias Quennell", "Ruth Abernathy", "Felix Marrowgate",
)
_TEASERS = (
    "Heavy rains flood low-lying Marlowe Bay suburbs",
    "Markets edge higher as oil prices steady",
    "Kestrel Rovers clinch league title on final day",
    "Ten recipes for the long weekend",
    "Ferry strike strands holidaymakers at Port Elsmere",
)

#: Organizations whose gatherings give a meeting its occasion, and initiatives statements name.
FORUMS = (
    "BRICS", "Shanghai Cooperation Organization", "Group of Twenty", "African Union",
    "Association of Southeast Asian Nations", "Asia-Pacific Economic Cooperation",
)
INITIATIVES = (
    "Belt and Road Initiative", "Global Development Initiative", "Global Security Initiative",
    "Paris Agreement", "2030 Agenda for Sustainable Development", "Digital Silk Road",
    "Global Gateway", "International North-South Transport Corridor",
)

EventType = Literal["meeting", "phone_call", "visit"]


@dataclass(frozen=True)
class Official:
    """An invented official: full name, surname (for later mentions), office and state."""

    name: str
    surname: str
    title: str
    title_key: str
    iso3: str


@dataclass(frozen=True)
class Nation:
    """A state of the cast: its name, demonym, capital and officials."""

    iso3: str
    label: str
    demonym: str
    capital: str
    officials: tuple[Official, ...]


@dataclass(frozen=True)
class Contact:
    """One real-world contact: what the gold calls an event."""

    id: str
    event_type: EventType
    a: Official
    b: Official
    date: dt.date
    location: str | None
    initiator: Official | None
    forum: str | None
    topic: str


@dataclass(frozen=True)
class Document:
    """One synthetic article."""

    id: str
    title: str
    published: dt.date
    outlet: str
    text: str
    contact: str

    def to_json(self) -> dict[str, Any]:
        """The JSONL record diplograph reads (``sources.jsonl``)."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat(),
            "outlet": self.outlet,
            "url": f"https://example.org/{self.outlet.lower().replace(' ', '-')}/{self.id}",
            "text": self.text,
        }


@dataclass
class Corpus:
    """The documents and their gold (``seeds-gold.json`` format)."""

    documents: list[Document]
    gold: dict[str, Any]
    contacts: list[Contact] = field(default_factory=list)

    @property
    def words(self) -> int:
        """Words in all documents' text."""
        return sum(word_count(d.text) for d in self.documents)


def word_count(text: str) -> int:
    """Whitespace-separated words, the unit of the throughput figures.

    Examples
    --------
    >>> word_count("Iran and China met.\\n\\nThey talked.")
    6
    """
    return len(text.split())


@functools.cache
def _states() -> tuple[tuple[str, str, str, str], ...]:
    """(iso3, label, demonym, capital) of every usable state in :data:`STATES`."""
    from countryinfo import CountryInfo

    from extract.countries import country_by_iso3

    out = []
    for iso3 in STATES:
        country = country_by_iso3(iso3)
        if country is None or not country.demonyms:
            raise ValueError(f"benchmark cast: no name or demonym for {iso3!r}")
        capital = CountryInfo(country.label).capital() or ""
        if not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)?", capital) or not capital[0].isupper():
            raise ValueError(f"benchmark cast: unusable capital {capital!r} for {iso3!r}")
        out.append((iso3, country.label, country.demonyms[0], capital))
    return tuple(out)


def cast(seed: int = 0) -> list[Nation]:
    """The states with their invented officials; every surname is used once.

    Examples
    --------
    >>> nations = cast(seed=1)
    >>> len(nations), len(nations[0].officials)
    (49, 3)
    >>> surnames = [o.surname for n in nations for o in n.officials]
    >>> len(surnames) == len(set(surnames)) and cast(seed=1) == nations
    True
    """
    rng = random.Random(f"cast-{seed}")
    family = list(_FAMILY)
    rng.shuffle(family)
    states = _states()
    if len(family) < len(states) * len(OFFICES):
        raise ValueError(f"benchmark cast: {len(family)} surnames for {len(states) * len(OFFICES)} officials")
    nations = []
    for i, (iso3, label, demonym, capital) in enumerate(states):
        officials = tuple(
            Official(f"{rng.choice(_GIVEN)} {surname}", surname, title, key, iso3)
            for (title, key), surname in zip(OFFICES, family[i * len(OFFICES) :])
        )
        nations.append(Nation(iso3, label, demonym, capital, officials))
    return nations


# ---------------------------------------------------------------------------------------------
# Writing one article


class Writer:
    """Writes one report of a contact and records what it names and states.

    After writing, ``named`` holds the (kind, gold name) of everything the text names and
    ``relations`` the (subject names, relation, object names, symmetric) it states, the subject
    ``("event",)`` standing for the contact itself.
    """

    def __init__(self, rng: random.Random, nations: dict[str, Nation], contact: Contact, published: dt.date,
                 *, short: bool = False):
        self.rng = rng
        self.short = short
        self.nations = nations
        self.c = contact
        self.published = published
        self.named: set[tuple[str, str]] = set()  # (kind, gold name)
        self.introduced: set[str] = set()
        self.relations: list[tuple[tuple[str, ...], str, tuple[str, ...], bool]] = []

    def nation(self, off: Official) -> Nation:
        return self.nations[off.iso3]

    def country(self, nation: Nation, *, demonym: bool = False) -> str:
        self.named.add(("country", nation.label))
        if demonym:
            return nation.demonym
        return ("the " if nation.label.startswith("United ") else "") + nation.label

    def person(self, off: Official, *, style: int | None = None) -> str:
        """First mention with title and state, later ones by surname."""
        self.named.add(("person", off.name))
        if off.name in self.introduced:
            return off.surname
        self.introduced.add(off.name)
        nation = self.nation(off)
        style = self.rng.randrange(3) if style is None else style
        if style == 0:
            return f"{self.country(nation, demonym=True)} {off.title} {off.name}"
        if style == 1:
            return f"{self.country(nation).removeprefix('the ')}'s {off.title.lower()} {off.name}"
        return f"{off.title} {off.name} of {self.country(nation)}"

    def place(self, city: str) -> str:
        self.named.add(("location", city))
        return city

    def when(self) -> str:
        """The contact's date as the story tells it, relative to its own date."""
        days = (self.published - self.c.date).days
        choices = ["weekday", "absolute"] + (["yesterday"] if days == 1 else []) + (["today"] if days == 0 else [])
        how = self.rng.choice(choices)
        if how == "weekday":
            return "on " + self.c.date.strftime("%A")
        if how == "yesterday":
            return "yesterday"
        if how == "today":
            return "on " + self.c.date.strftime("%A")
        return "on " + self.c.date.strftime("%B ") + str(self.c.date.day)

    # -- paragraphs --------------------------------------------------------------------------

    def lead(self) -> str:
        c, r = self.c, self.rng
        when = self.when()
        if c.event_type == "meeting":
            where = self.place(c.location) if c.location else None
            a, b = self.person(c.a), self.person(c.b)
            occasion = f" on the sidelines of the {self.forum()} summit" if c.forum else ""
            templates = [
                f"{a} met {b} in {where} {when}{occasion}.",
                f"{a} held talks with {b} in {where} {when}{occasion}.",
                f"{a} and {b} met {when} in {where}{occasion}, officials said.",
            ]
            return r.choice(templates)
        if c.event_type == "phone_call":
            a, b = self.person(c.a), self.person(c.b)
            if c.initiator is c.b:
                return r.choice([
                    f"{a} held a phone call with {b} {when} at the latter's request.",
                    f"{b} phoned {a} {when}, the two governments said.",
                ])
            return r.choice([
                f"{a} spoke by telephone with {b} {when}.",
                f"{a} held a phone call with {b} {when}.",
            ])
        # visit: a travels to b's capital at b's invitation
        where = self.place(c.location or self.nation(c.b).capital)
        a, b = self.person(c.a), self.person(c.b)
        return r.choice([
            f"{a} arrived in {where} {when} for an official visit at the invitation of {b}.",
            f"{a} began a state visit to {self.country(self.nation(c.b))} {when}, and was received by {b} in {where}.",
        ])

    def forum(self) -> str:
        if self.c.forum is None:
            raise ValueError(f"contact {self.c.id} has no forum")
        self.named.add(("organization", self.c.forum))
        return self.c.forum

    def body(self) -> list[str]:
        c, r = self.c, self.rng
        na, nb = self.nation(c.a), self.nation(c.b)
        a, b = c.a.surname, c.b.surname
        self.named.update({("person", c.a.name), ("person", c.b.name)})
        paras: list[str] = []
        topic = c.topic
        self.named.add(("initiative", topic))
        a_side = (na.label, c.a.name)
        b_side = (nb.label, c.b.name)
        both = (*a_side, *b_side)
        kind = r.randrange(3)
        if kind == 0:
            paras.append(
                f"The two sides agreed to deepen cooperation under the {topic} and to keep in close contact, "
                f"according to a statement released after the {'call' if c.event_type == 'phone_call' else 'talks'}."
            )
            self.relations.append((both, "cooperates_on", (topic,), False))
        elif kind == 1:
            paras.append(f"{a} said {self.country(na)} supports the {topic} and is ready to work with all parties on it.")
            self.relations.append((a_side, "supports", (topic,), False))
        else:
            paras.append(f"{b} said {self.country(nb)} opposes the {topic} in its current form.")
            self.relations.append((b_side, "opposes", (topic,), False))
        self.relations.append((("event",), "discussed", (topic,), False))
        if self.short:  # the statement only: nothing else is written, so nothing else is recorded
            return paras
        if r.random() < 0.5:
            paras.append(
                f"{self.country(na)} firmly supports {self.country(nb)} in safeguarding its sovereignty, "
                f"{a} told {b}, according to a readout."
            )
            self.relations.append((a_side, "supports", (nb.label,), False))
        if r.random() < 0.3:
            third = self.nations[r.choice(sorted(set(self.nations) - {na.iso3, nb.iso3}))]
            other = self.nations[r.choice(sorted(set(self.nations) - {na.iso3, nb.iso3, third.iso3}))]
            paras.append(
                f"{self.country(na)} has offered to mediate between {self.country(third)} and "
                f"{self.country(other)}, whose border dispute flared again last week."
            )
            self.relations.append(((na.label,), "mediates", (third.label,), False))
            self.relations.append(((na.label,), "mediates", (other.label,), False))
        paras.append(r.choice([
            f"{a} briefed {b} on the latest developments, and both stressed the importance of dialogue.",
            f"Trade between the two countries has grown steadily over the past decade, and officials "
            f"expect new agreements on energy and transport later this year.",
            f"{b} thanked {a} for the warm reception and said the relationship had entered a new stage.",
        ]))
        paras.extend(self.background())
        return paras

    def background(self) -> list[str]:
        """Two or three paragraphs of context that name no one new."""
        na, nb = self.nation(self.c.a), self.nation(self.c.b)
        pool = [
            "Officials from both countries have worked over the past year to expand trade, investment "
            "and people-to-people exchanges, and to reopen direct flights suspended during the pandemic.",
            f"Analysts said the contact reflected a wider effort by {self.country(na)} to broaden its "
            "diplomatic ties beyond its immediate neighbourhood at a time of growing economic uncertainty.",
            f"{self.country(nb).removeprefix('the ')}'s cabinet approved a new foreign trade "
            "strategy last week, setting targets for exports to emerging markets over the next five years.",
            "Neither side gave details of any agreements, but a joint working group on energy and "
            "infrastructure is expected to report to both governments by the end of the year.",
            "Bilateral trade reached a record high last year, driven by energy, machinery and agricultural "
            "products, according to figures published by customs authorities in both countries.",
            "Diplomats said further contacts were likely in the coming months as both governments prepare "
            "for a busy calendar of regional gatherings and multilateral negotiations.",
        ]
        return self.rng.sample(pool, self.rng.choice([2, 3]))


def _furniture(rng: random.Random) -> tuple[list[str], list[str]]:
    """(lines before the body, lines after it) of page furniture."""
    top, bottom = [], []
    if rng.random() < 0.6:
        top.append(f"By {rng.choice(_REPORTERS)}")
    if rng.random() < 0.5:
        top.extend(f"• {s}" for s in rng.sample(["Facebook", "Twitter", "WhatsApp", "Email", "Print"], 3))
    if rng.random() < 0.3:
        top.append(f"Photo: {rng.choice(OUTLETS)}/@{rng.choice(['newsdesk', 'wirephoto', 'pressroom'])}")
    if rng.random() < 0.5:
        bottom.append(f"ALSO READ: {rng.choice(_TEASERS)}")
    if rng.random() < 0.3:
        bottom.append("Post with no comments.")
    return top, bottom


def _title(w: Writer) -> str:
    """The headline; what it names is in the text, so it is recorded like the rest."""
    c = w.c
    a, b = c.a.surname, c.b.surname
    if c.event_type == "phone_call":
        return f"{a} and {b} discuss ties by phone"
    if c.event_type == "visit":
        return f"{a} visits {w.country(w.nation(c.b))} for talks with {b}"
    return f"{a} and {b} hold talks in {w.place(c.location or '')}"


def _article(rng: random.Random, doc_id: str, nations: dict[str, Nation], c: Contact, outlet: str,
             short: bool) -> tuple[Document, Writer]:
    published = c.date + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3]))
    w = Writer(rng, nations, c, published, short=short)
    lead = w.lead()
    body = w.body()
    top, bottom = _furniture(rng)
    title = _title(w)
    style = rng.randrange(3)
    if style == 0:  # the scraper's header line carries the date
        head = [f" date {published.isoformat()} {title}", ""]
        first = lead
    elif style == 1:  # a wire dateline opens the lead
        city = nations[c.a.iso3].capital.upper()
        head = [title, ""]
        first = f"{city}, {published.strftime('%B')} {published.day}, {published.year} ({outlet}) -- {lead}"
    else:  # a "Published" line
        head = [title, "", f"Published {published.day} {published.strftime('%B %Y')}"]
        first = lead
    lines = [*head, *([*top, ""] if top else []), first, "", *("\n\n".join(body).split("\n")),
             *(["", *bottom] if bottom else [])]
    text = "\n".join(lines).strip("\n") + "\n"
    return Document(doc_id, title, published, outlet, text, c.id), w


# ---------------------------------------------------------------------------------------------
# The corpus and its gold


def _contacts(rng: random.Random, nations: list[Nation]) -> Iterator[Contact]:
    """An endless stream of contacts between officials of the same rank."""
    start = dt.date(2023, 1, 2)
    for i in itertools.count():
        na, nb = rng.sample(nations, 2)
        office = rng.randrange(len(OFFICES))
        a, b = na.officials[office], nb.officials[office]
        kind: EventType = rng.choices(["meeting", "phone_call", "visit"], weights=[5, 3, 2])[0]
        date = start + dt.timedelta(days=rng.randrange(700))
        forum = rng.choice(FORUMS) if kind == "meeting" and rng.random() < 0.3 else None
        location = rng.choice([na.capital, nb.capital]) if kind == "meeting" else nb.capital if kind == "visit" else None
        initiator = b if kind == "phone_call" and rng.random() < 0.5 else None
        yield Contact(f"E{i + 1:07d}", kind, a, b, date, location, initiator, forum, rng.choice(INITIATIVES))


def iter_reports(n_docs: int, *, seed: int = 0, short: bool = False) -> Iterator[tuple[Document, Writer]]:
    """Stream ``n_docs`` articles, each with the :class:`Writer` that knows what it says.

    What :func:`generate` returns, without holding it all: for corpora too big to keep.

    Examples
    --------
    >>> [(d.id, w.c.id) for d, w in iter_reports(3, seed=3)] == [
    ...     (d.id, d.contact) for d in generate(3, seed=3).documents]
    True
    """
    if not isinstance(n_docs, int) or isinstance(n_docs, bool) or n_docs < 1:
        raise ValueError(f"n_docs must be a positive integer, got {n_docs!r}")
    rng = random.Random(f"corpus-{seed}")
    nations = cast(seed)
    by_iso = {n.iso3: n for n in nations}
    made = 0
    for c in _contacts(rng, nations):
        copies = min(rng.choices([1, 2, 3], weights=[5, 3, 2])[0], n_docs - made)
        for outlet in rng.sample(OUTLETS, copies):
            made += 1
            yield _article(rng, f"syn-{made:07d}", by_iso, c, outlet, short)
        if made >= n_docs:
            return


def generate(n_docs: int, *, seed: int = 0, short: bool = False) -> Corpus:
    """``n_docs`` articles about contacts, each contact reported by one to three outlets.

    Parameters
    ----------
    n_docs : int
        Number of documents (at least 1).
    seed : int
        Everything (cast, contacts, wording) is a function of the seed.
    short : bool
        Lead and one statement paragraph only (about 60 words instead of about 160).

    Examples
    --------
    >>> corpus = generate(20, seed=3)
    >>> len(corpus.documents), sorted(corpus.gold)[:3]
    (20, ['corpus', 'documents', 'entities'])
    >>> generate(20, seed=3).documents == corpus.documents
    True
    >>> sum(len(e["docs"]) for e in corpus.gold["events"])
    20
    """
    docs: list[Document] = []
    writers: list[Writer] = []
    reports: dict[str, list[str]] = defaultdict(list)
    contacts: dict[str, Contact] = {}
    for doc, w in iter_reports(n_docs, seed=seed, short=short):
        docs.append(doc)
        writers.append(w)
        reports[w.c.id].append(doc.id)
        contacts.setdefault(w.c.id, w.c)
    used = list(contacts.values())
    return Corpus(docs, _gold(docs, writers, used, reports, cast(seed), seed), used)


def _gold(docs: Sequence[Document], writers: Sequence[Writer], contacts: Sequence[Contact],
          reports: dict[str, list[str]], nations: list[Nation], seed: int) -> dict[str, Any]:
    people = {o.name: (o, n) for n in nations for o in n.officials}
    country = {n.label: n for n in nations}
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    relations: dict[tuple[tuple[str, ...], str, tuple[str, ...]], set[str]] = defaultdict(set)
    event_of_doc = {}
    for c in contacts:
        for d in reports[c.id]:
            event_of_doc[d] = c.id
    for doc, w in zip(docs, writers):
        for key in w.named:
            named[key].add(doc.id)
        for subject, relation, obj, _ in w.relations:
            subject = (event_of_doc[doc.id],) if subject == ("event",) else subject
            relations[(subject, relation, obj)].add(doc.id)
    entities = []
    for (kind, name), ids in sorted(named.items()):
        entry: dict[str, Any] = {"name": name, "kinds": [kind], "aliases": [name], "docs": sorted(ids)}
        if kind == "person":
            off, nation = people[name]
            entry.update(country=nation.iso3, titles=[off.title_key], aliases=[name, off.surname])
        elif kind == "country":
            nation = country[name]
            entry.update(iso3=nation.iso3, aliases=[name, nation.demonym])
        entities.append(entry)
    events = []
    for c in contacts:
        event: dict[str, Any] = {
            "id": c.id, "type": c.event_type, "participants": [c.a.name, c.b.name],
            "date": c.date.isoformat(), "docs": sorted(reports[c.id]),
        }
        if c.location:
            event["location"] = c.location
        if c.initiator:
            event["initiator"] = c.initiator.name
        events.append(event)
    optional_events = [{"type": "summit", "participants": []}]
    optional_events += [
        {"type": "meeting", "participants": [c.a.name, c.b.name], "date": c.date.isoformat()}
        for c in contacts if c.event_type == "visit"
    ]
    gold_relations = [
        {"subject": list(s), "relation": r, "object": list(o), "docs": sorted(ids),
         **({"symmetric": True} if r in {"cooperates_on"} else {})}
        for (s, r, o), ids in sorted(relations.items())
    ]
    capitals = sorted({n.capital for n in nations})
    return {
        "corpus": f"synthetic-seed{seed}",
        "note": "Generated by benchmarks/corpus.py: invented officials of real states, templated wire "
                "copy. Every entity, contact and statement written into the text is here; dateline "
                "cities are optional; outlets, reporters and teaser subjects are forbidden.",
        "documents": {d.id: {"date": d.published.isoformat()} for d in docs},
        "entities": entities,
        "optional_entities": [{"name": c, "kinds": ["location"], "aliases": [c]} for c in capitals
                              if ("location", c) not in named],
        "forbidden": [*OUTLETS, *_REPORTERS, "Marlowe Bay", "Kestrel Rovers", "Port Elsmere"],
        "events": events,
        "optional_events": optional_events,
        "relations": gold_relations,
        "optional_relations": [],
    }


def write_corpus(corpus: Corpus, out: str | Path, *, fmt: Literal["txt", "jsonl"] = "txt") -> dict[str, Path]:
    """Write the articles (``articles/<id>.txt`` or ``articles.jsonl``) and ``gold.json`` into ``out``."""
    if fmt not in ("txt", "jsonl"):
        raise ValueError(f"unknown format: {fmt!r}; expected 'txt' or 'jsonl'")
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    if fmt == "txt":
        articles = root / "articles"
        articles.mkdir(exist_ok=True)
        for doc in corpus.documents:
            (articles / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    else:
        articles = root / "articles.jsonl"
        with articles.open("w", encoding="utf-8") as fh:
            for doc in corpus.documents:
                fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
    gold = root / "gold.json"
    gold.write_text(json.dumps(corpus.gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"articles": articles, "gold": gold}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.corpus N --out DIR [--seed S] [--format txt|jsonl] [--short]``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.splitlines()[0])
    ap.add_argument("n_docs", type=int, help="number of documents")
    ap.add_argument("--out", required=True, help="folder to write articles and gold.json into")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    ap.add_argument("--short", action="store_true", help="about 100-word articles")
    args = ap.parse_args(argv)
    corpus = generate(args.n_docs, seed=args.seed, short=args.short)
    paths = write_corpus(corpus, args.out, fmt=args.format)
    print(f"{len(corpus.documents)} documents, {corpus.words} words, {len(corpus.gold['events'])} events, "
          f"{len(corpus.gold['entities'])} entities, {len(corpus.gold['relations'])} relations", file=sys.stderr)
    for path in paths.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
