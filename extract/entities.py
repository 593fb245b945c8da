"""From a parsed document to canonical mentions: clean spans, resolve short names, read titles."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from extract.countries import country_by_iso3, resolve_country
from extract.gazetteer import Gazetteer
from extract.records import Entity, Mention, Role
from extract.text import _contains, _is_variant, _name_tokens, clean_surface, slugify
from extract.titles import MODIFIERS, TITLE_HEADS, is_title_word, normalize_title

__all__ = ["Candidate", "find_mentions", "summarize_entities"]

_SKIP_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE",
     "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LEADING_JUNK = frozenset({"the", "a", "an", "this", "that", '"', "'", "(", "[", "-", "*", "•"})
_TRAILING_JUNK = frozenset({"'s", "'", '"', ")", "]", ",", ".", "-", ":", ";"})
# Verbs a headline puts straight after a name ("Wang Yi Meets with ...").
_HEADLINE_VERBS = frozenset(
    """meets met holds held says said calls called talks visits urges receives hosts vows pledges
    discusses welcomes signs arrives leaves warns""".split()
)
#: Words of address before a name that are no office ("Sheikh Mohammed", "Dr. Jaishankar").
_HONORIFICS = frozenset("sheikh sheikha sayyid dr mr mrs ms madam".split())
#: Lowercase or short words inside a name that the model tends to cut it at.
_NAME_PARTICLES = frozenset("al al- bin bint ibn von van der de".split())
_BOUNDARY = frozenset({",", ";", ":", "-", "--", "(", ")", ".", "!", "?"})
_APPOSITION_FILLER = frozenset({"a", "an", "the", "also", "of", "for", "'s", "and", "to", "at"})


@dataclass
class Candidate:
    """A mention being resolved: token span, kind and (local) entity id."""

    span: Span
    kind: str
    entity: str
    surface: str
    label: str
    country: str | None = None  # for people: the state the title context names
    titles: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.span.start_char

    @property
    def end(self) -> int:
        return self.span.end_char


def _trim(span: Span) -> Span | None:
    """Drop determiners, quotes and possessives at the edges of an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEADING_JUNK or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in _TRAILING_JUNK or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    trimmed = doc[start:end]
    if "\n" in trimmed.text:
        return None
    return trimmed


def _trim_person(span: Span) -> Span | None:
    """Drop titles and honorifics the model swept into a PERSON span, and headline verbs after
    it; take in the rest of a name the model cut at a particle ("Ursula von" + "der Leyen",
    "Mohammed bin Abdulrahman" + "Al Thani")."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (is_title_word(doc[start].text) or _is_honorific(doc[start])):
        start += 1
    while end > start + 1 and (
        doc[end - 1].lower_ in _HEADLINE_VERBS or doc[end - 1].tag_.startswith("VB")
    ):
        end -= 1
    if start >= end:
        return None
    return doc[start : _name_end(doc, end)]


def _is_honorific(tok: Token) -> bool:
    return tok.text.rstrip(".").casefold() in _HONORIFICS and tok.text[:1].isupper()


def _name_end(doc: Doc, end: int) -> int:
    """Where a name ending at ``end`` really ends: past particles and the capitalized words they
    lead ("al", "bin", "von der"), unless those words belong to a gazetteer entry."""
    k = end
    while k < len(doc) and not doc[k].ent_id_:
        if doc[k].lower_ in _NAME_PARTICLES and k + 1 < len(doc):
            k += 1
        elif doc[k - 1].lower_ in _NAME_PARTICLES and doc[k].is_alpha and doc[k].text[:1].isupper():
            k += 1
        else:
            break
    while k > end and doc[k - 1].lower_ in _NAME_PARTICLES:
        k -= 1  # a particle alone is no part of the name
    return k


def _titled_name(span: Span) -> Span | None:
    """The name inside a span that opens with a title ("Foreign Minister Hakan Fidan"), if any."""
    doc = span.doc
    start = span.start
    while start < span.end and (
        (is_title_word(doc[start].text) and doc[start].text[:1].isupper())
        or (start == span.start and resolve_country(doc[start].text))  # "Indian National ..."
    ):
        start += 1
    titled = any(is_title_word(t.text) for t in doc[span.start : start])
    if start == span.start or span.end - start < 1 or not titled:
        return None
    rest = doc[start : span.end]
    if any(not t.text[:1].isupper() or is_title_word(t.text) for t in rest if t.is_alpha):
        return None
    if not any(t.pos_ == "PROPN" for t in rest):
        return None
    return rest


#: Common nouns that, straight after a name, make it the name of a place ("Hostomel airport").
_FACILITY_NOUNS = frozenset(
    """airport airfield airbase base palace square bridge port harbour harbor station camp village
    district province region oblast crossing checkpoint corridor""".split()
)
#: Words that, straight before a name, make it a region ("eastern Ladakh").
_COMPASS = frozenset(
    """eastern western northern southern northeastern northwestern southeastern southwestern
    north-eastern north-western south-eastern south-western""".split()
)


def _is_title_word_at(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].text[:1].isupper() and is_title_word(doc[i].text)


def _names_a_facility(span: Span) -> bool:
    """Whether a span is followed by a lowercase place noun ("Hostomel airport", "Rafah crossing")
    or follows a compass word ("eastern Ladakh")."""
    doc = span.doc
    return (span.end < len(doc) and doc[span.end].text in _FACILITY_NOUNS) or (
        span.start > 0 and doc[span.start - 1].text in _COMPASS
    )


def _country_before_title(span: Span) -> Candidate | None:
    """The country that opens a span ending in title words ("Saudi Crown Prince"), if any."""
    end = span.end
    while end > span.start and is_title_word(span.doc[end - 1].text):
        end -= 1
    if end == span.end or end == span.start:
        return None
    head = span.doc[span.start : end]
    iso3 = resolve_country(clean_surface(head.text))
    if iso3 is None:
        return None
    return Candidate(head, "country", f"country:{iso3}", clean_surface(head.text), "NORP")


def _initial_candidates(doc: Doc, gazetteer: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    for ent in doc.ents:
        label = ent.label_
        if label in _SKIP_LABELS and not ent.ent_id_:
            continue
        span = _trim(ent)
        if span is None:
            continue
        surface = clean_surface(span.text)
        if not surface or not any(ch.isalpha() for ch in surface):
            continue
        if ent.ent_id_:
            kind = ent.ent_id_.split(":", 1)[0]
            out.append(Candidate(span, kind, ent.ent_id_, surface, label))
            continue
        if label in {"PERSON", "ORG"} and _is_title_word_at(doc, span.end):
            iso3 = resolve_country(surface)
            if iso3:  # "Kazakh President ...": the model took the demonym for a name or a body
                out.append(Candidate(span, "country", f"country:{iso3}", surface, "NORP"))
                continue
        if label == "PERSON":
            if _names_a_facility(span):  # "Hostomel airport": a place the model took for a name
                out.append(Candidate(span, "location", f"location:{slugify(surface)}", surface, "FAC"))
                continue
            person = _trim_person(span)
            if person is None:
                continue
            surface = clean_surface(person.text)
            if not surface[:1].isupper():
                continue
            out.append(Candidate(person, "person", f"person:{slugify(surface)}", surface, label))
            continue
        if label in {"NORP", "GPE", "ORG"}:
            country = _country_before_title(span)
            if country is not None:  # "Saudi Crown Prince" tagged NORP: the title stays words
                out.append(country)
                continue
        if label in _PLACE_LABELS or label == "NORP":
            iso3 = resolve_country(surface)
            if iso3:
                out.append(Candidate(span, "country", f"country:{iso3}", surface, label))
            elif label in _PLACE_LABELS:
                out.append(Candidate(span, "location", f"location:{slugify(surface)}", surface, label))
            else:  # a NORP that is no country: a faith, a party's members, or a misread surname
                out.append(Candidate(span, "unknown", f"unknown:{slugify(surface)}", surface, label))
            continue
        if label in {"ORG", "GPE", "LOC", "FAC", "NORP"}:
            person = _titled_name(span)
            if person is not None:  # "National Security Adviser Ajit Doval" tagged ORG
                name = clean_surface(person.text)
                out.append(Candidate(person, "person", f"person:{slugify(name)}", name, "PERSON"))
                continue
        if label == "ORG":
            out.append(Candidate(span, "organization", f"organization:{slugify(surface)}", surface, label))
    return out


def _resolve_people(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Short forms to full names within the document ("Wang" -> "Wang Yi").

    A mention whose words are a contiguous part of exactly one full name in the document
    resolves to it, whatever the model labelled it (the model tags "Wang" as ORG and
    "Ahmadian" as NORP). Bare surnames the model missed are found by a second pass.
    """
    full: dict[tuple[str, ...], Candidate] = {}
    for c in cands:
        if c.kind == "person":
            tokens = _name_tokens(c.surface)
            if len(tokens) >= 2:
                best = full.get(tokens)
                if best is None or len(c.surface) > len(best.surface):
                    full[tokens] = c
    # one full name may be a variant of a longer one in the same document
    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for tokens in full:
        longer = [t for t in full if t != tokens and (_is_variant(tokens, t) or _contains(t, tokens))]
        canonical[tokens] = max(longer, key=len) if len(longer) == 1 else tokens

    def owner(part: tuple[str, ...]) -> tuple[str, ...] | None:
        owners = {canonical[t] for t in full if _contains(t, part)}
        return next(iter(owners)) if len(owners) == 1 else None

    out: list[Candidate] = []
    for c in cands:
        tokens = _name_tokens(c.surface)
        if c.kind == "person" and len(tokens) >= 2:
            target = full[canonical[tokens]] if tokens in canonical else c
            c.entity = f"person:{slugify(target.surface)}"
        elif c.label in {"PERSON", "ORG", "NORP", "GPE"} and not c.span.ent_id_:
            target_tokens = owner(tokens) if tokens else None
            if target_tokens is not None:
                c.kind, c.entity = "person", f"person:{slugify(full[target_tokens].surface)}"
        out.append(c)
    owners: dict[str, set[str]] = defaultdict(set)
    for tokens, named in full.items():
        words = named.surface.split()
        owner_id = f"person:{slugify(full[canonical[tokens]].surface)}"
        for form in {words[-1]} | ({words[0]} if len(words) == 2 else set()):
            owners[form].add(owner_id)
    out.extend(_bare_mentions(doc, owners, [(c.start, c.end) for c in out]))
    return out


def _bare_mentions(
    doc: Doc, owners: dict[str, set[str]], taken: list[tuple[int, int]]
) -> list[Candidate]:
    """Unlabelled short forms: each form that belongs to exactly one person, outside other spans."""
    unique = {
        form: next(iter(ids))
        for form, ids in owners.items()
        if len(ids) == 1 and len(form) > 2 and form[:1].isupper() and not is_title_word(form)
    }
    if not unique:
        return []
    alternatives = "|".join(map(re.escape, sorted(unique, key=len, reverse=True)))
    pattern = re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])")
    found = []
    for match in pattern.finditer(doc.text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        span = doc.char_span(start, end)
        if span is not None:
            found.append(Candidate(span, "person", unique[match.group(1)], match.group(1), "PERSON"))
    return found


def _promote_titled(doc: Doc, cands: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """A name the model mislabelled ("Ahmadian" as NORP, "Moussa Faki Mahamat" as ORG) is a person
    when a title stands beside it ("Secretary of Iran's Supreme National Security Council, Ahmadian")."""
    suspects = [
        c for c in cands
        if not c.span.ent_id_ and c.kind in {"unknown", "organization", "location"}
        and _looks_like_a_name(c.span)
    ]
    if not suspects:
        return cands
    titled = {id(c) for c, _ in read_titles(doc, cands, gazetteer, people=suspects)}
    owners: dict[str, set[str]] = defaultdict(set)
    for c in suspects:
        if id(c) in titled:
            c.kind, c.entity, c.label = "person", f"person:{slugify(c.surface)}", "PERSON"
            owners[c.surface].add(c.entity)
    # the same word elsewhere in the document is the same person
    for c in cands:
        if c.kind != "person" and not c.span.ent_id_ and c.surface in owners:
            c.kind, c.entity, c.label = "person", next(iter(owners[c.surface])), "PERSON"
    taken = [(c.start, c.end) for c in cands]
    return cands + _bare_mentions(doc, owners, taken)


def _looks_like_a_name(span: Span) -> bool:
    """One to four capitalized proper nouns ("Ahmadian", "Moussa Faki Mahamat"), no "of"/"the"."""
    words = [t for t in span if t.text != "-"]  # "Kassym-Jomart" is three tokens
    return 1 <= len(words) <= 4 and span[0].text != "-" and span[-1].text != "-" and all(
        t.pos_ in {"PROPN", ""} and t.text[:1].isupper() and t.is_alpha for t in words
    )


# --- titles -------------------------------------------------------------------------------


@dataclass
class _Title:
    title: str
    organization: str | None
    country: str | None


def _span_index(cands: Iterable[Candidate]) -> dict[int, Candidate]:
    index = {}
    for c in cands:
        for i in range(c.span.start, c.span.end):
            index[i] = c
    return index


def _org_country(gazetteer: Gazetteer, cand: Candidate) -> str | None:
    return gazetteer.countries.get(cand.entity)


def _read_phrase(tokens: list[Token | Candidate], gazetteer: Gazetteer) -> _Title | None:
    """A run of title words, entities and fillers, read in text order."""
    words: list[str] = []
    org: Candidate | None = None
    country: str | None = None
    for item in tokens:
        if isinstance(item, Candidate):
            if item.kind == "country" and country is None:
                country = item.entity.split(":", 1)[1]
            elif item.kind == "organization" and org is None:
                org = item
            continue
        if is_title_word(item.text):
            if org is None or not words or words[-1] != "|":
                words.append(item.text)
    title = normalize_title(" ".join(w for w in words if w != "|"))
    if title is None:
        return None
    if country is None and org is not None:
        country = _org_country(gazetteer, org)
    return _Title(title, org.entity if org else None, country)


def _walk_left(doc: Doc, start: int, index: dict[int, Candidate]) -> list[Token | Candidate]:
    """Title words, countries and organizations directly before a name ("Chinese Foreign Minister")."""
    items: list[Token | Candidate] = []
    k = start - 1
    while k >= 0:
        tok = doc[k]
        cand = index.get(k)
        if cand is not None and cand.kind in {"country", "organization"}:
            items.append(cand)
            k = cand.span.start - 1
        elif is_title_word(tok.text):
            items.append(tok)
            k -= 1
        elif tok.text == "-" and k > 0 and is_title_word(doc[k - 1].text) and items and isinstance(items[-1], Token):
            items.append(tok)  # "Secretary-General" is three tokens
            k -= 1
        elif tok.text in {"'s", "'"} and index.get(k - 1) is not None:
            k -= 1
        elif tok.lower_ == "of" and k > 0 and is_title_word(doc[k - 1].text) and items:
            items.append(tok)
            k -= 1
        elif _is_honorific(tok) and not items:
            k -= 1  # "Foreign Minister Sheikh Mohammed"
        elif (
            tok.lower_ == "and" and k > 0 and _is_title_word_at(doc, k - 1)
            and items and isinstance(items[-1], Token) and _is_title_word_at(doc, items[-1].i)
        ):
            items.append(tok)  # "Qatari Prime Minister and Foreign Minister X"
            k -= 1
        else:
            break
    items.reverse()
    lower = [
        n for n, item in enumerate(items)
        if isinstance(item, Token) and item.text[:1].islower() and item.lower_ not in MODIFIERS | {"of", "and", "-"}
    ]
    if lower and not isinstance(items[0], Candidate):
        # a lowercase title names its holder only after a state or body ("India's national
        # security adviser Ajit Doval"), not after "the" ("the foreign minister")
        items = items[lower[-1] + 1 :]
    ands = [n for n, item in enumerate(items) if isinstance(item, Token) and item.lower_ == "and"]
    if ands and not (isinstance(items[0], Candidate) and items[0].kind == "country"):
        # "met the President and Foreign Minister X": the first title may be someone else's
        items = items[ands[-1] + 1 :]
    return items


def _split_titles(items: list[Token | Candidate]) -> list[list[Token | Candidate]]:
    """"Qatari Prime Minister and Foreign Minister" holds two titles, both Qatari."""
    parts: list[list[Token | Candidate]] = [[]]
    for item in items:
        if isinstance(item, Token) and item.lower_ == "and":
            parts.append([])
        else:
            parts[-1].append(item)
    shared: list[Token | Candidate] = [item for item in parts[0] if isinstance(item, Candidate)]
    return [parts[0]] + [shared + part for part in parts[1:]]


def _appositive(doc: Doc, first: int, last: int, index: dict[int, Candidate]) -> list[Token | Candidate] | None:
    """The tokens from ``first`` up to ``last`` (exclusive) if they read as a title phrase."""
    items: list[Token | Candidate] = []
    k = first
    seen_title = False
    if k < last and doc[k].lower_ in {"and", "or"}:
        return None  # "X, and Iran's foreign minister, Y": the next item of a list, not X's title
    while k < last:
        tok = doc[k]
        cand = index.get(k)
        if cand is not None:
            if cand.kind not in {"country", "organization", "initiative"}:
                return None
            items.append(cand)
            k = cand.span.end
            continue
        if is_title_word(tok.text):
            seen_title = True
            items.append(tok)
        elif tok.lower_ in _APPOSITION_FILLER:
            pass
        elif _describes_body(doc, k, index):
            pass  # "the head of Israel's Mossad spy agency"
        else:
            return None
        k += 1
    return items if seen_title else None


def _describes_body(doc: Doc, k: int, index: dict[int, Candidate]) -> bool:
    """Whether token ``k`` is a lowercase word in a run straight after an organization's name
    that says what the body is ("Mossad *spy agency*")."""
    j = k
    while j > 0 and doc[j].is_alpha and doc[j].is_lower and doc[j].pos_ not in {"VERB", "AUX", "ADP"}:
        j -= 1
        cand = index.get(j)
        if cand is not None:
            return cand.kind == "organization" and cand.span.end == j + 1
    return False


def _walk_apposition_left(
    doc: Doc, comma: int, sent_start: int, index: dict[int, Candidate]
) -> list[Token | Candidate] | None:
    """The title phrase that ends at ``comma``, read leftwards; it must open with a
    capitalized title word ("... met with Secretary of Iran's SNSC, Ahmadian")."""
    items: list[Token | Candidate] = []
    k = comma - 1
    while k >= sent_start:
        tok, cand = doc[k], index.get(k)
        if cand is not None:
            items.append(cand)
            k = cand.span.start - 1
        elif is_title_word(tok.text) or tok.lower_ in {"of", "the", "for", "'s", "and"}:
            items.append(tok)
            k -= 1
        else:
            break
    items.reverse()
    while items and isinstance(items[0], Token) and not is_title_word(items[0].text):
        items.pop(0)
    if (  # "Iran's foreign minister, Hossein Amir-Abdollahian"
        len(items) > 2 and isinstance(items[0], Candidate) and items[0].kind == "country"
        and isinstance(items[1], Token) and items[1].text in {"'s", "'"}
        and isinstance(items[2], Token) and is_title_word(items[2].text)
    ):
        return items
    if not items or not isinstance(items[0], Token) or not items[0].text[:1].isupper():
        return None
    return items


def _boundary_after(doc: Doc, k: int, sent_end: int) -> int:
    while k < sent_end and doc[k].text not in _BOUNDARY and not doc[k].is_space:
        k += 1
    return k


def _segments(items: list[Token | Candidate]) -> list[list[Token | Candidate]]:
    """Split "member of X and director of Y" into one phrase per title."""
    out: list[list[Token | Candidate]] = [[]]
    for item in items:
        current = out[-1]
        if (
            isinstance(item, Token)
            and item.lower_ in TITLE_HEADS | MODIFIERS
            and any(isinstance(i, Candidate) for i in current)
            and any(isinstance(i, Token) and i.lower_ in TITLE_HEADS for i in current)
        ):
            out.append([])
        out[-1].append(item)
    return out


def read_titles(
    doc: Doc,
    cands: list[Candidate],
    gazetteer: Gazetteer,
    *,
    people: list[Candidate] | None = None,
) -> list[tuple[Candidate, _Title]]:
    """Titles for every person mention, from the words before it and appositions around it."""
    people = [c for c in cands if c.kind == "person"] if people is None else people
    index = _span_index(c for c in cands if c.kind in {"country", "organization", "initiative"})
    found: list[tuple[Candidate, _Title]] = []
    for c in people:
        sent = c.span.sent
        phrases: list[list[Token | Candidate]] = []
        left = _walk_left(doc, c.span.start, index)
        if left:
            phrases.extend(_split_titles(left))
        # "Secretary of Iran's Supreme National Security Council, Ahmadian"; also across a
        # title that names no state ("The Minister of Foreign Affairs of X, Prince Faisal")
        comma = c.span.start - 1
        if left and not any(isinstance(item, Candidate) for item in left):
            first = left[0]
            comma = (first.i if isinstance(first, Token) else first.span.start) - 1
        if comma >= sent.start and doc[comma].text == ",":
            items = _walk_apposition_left(doc, comma, sent.start, index)
            if items:
                phrases.extend(_segments(items))
        # "Ali Ahmadian, secretary of Iran's Supreme National Security Council,"
        if c.span.end < sent.end and doc[c.span.end].text == ",":
            stop = c.span.end + 1
            while True:  # the phrase may run past commas inside entity names
                stop = _boundary_after(doc, stop, sent.end)
                cand = index.get(stop)
                if cand is None or stop >= sent.end:
                    break
                stop = cand.span.end
            items = _appositive(doc, c.span.end + 1, stop, index)
            if items:
                phrases.extend(_segments(items))
        # "President Joko Widodo of Indonesia"
        after = doc[c.span.end] if c.span.end < sent.end else None
        of_country = index.get(c.span.end + 1) if after is not None and after.lower_ == "of" else None
        for phrase in phrases:
            title = _read_phrase(phrase, gazetteer)
            if title is not None and title.country is None and of_country is not None and of_country.kind == "country":
                title.country = of_country.entity.split(":", 1)[1]
            if title is not None:
                found.append((c, title))
    return found


# --- putting it together --------------------------------------------------------------------


def _drop_overlaps(cands: list[Candidate]) -> list[Candidate]:
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            out.append(c)
            last_end = c.end
    return out


def find_mentions(
    doc: Doc, gazetteer: Gazetteer, *, original: str | None = None
) -> tuple[list[Mention], list[Role], dict[str, Candidate]]:
    """Resolve a parsed document's entities to canonical (document-level) mentions and roles.

    ``original`` is the article's text as read (same length as ``doc.text``); mention texts
    are taken from it, so they keep the article's own quotes and dashes.
    """
    original = doc.text if original is None else original
    cands = _resolve_people(doc, _initial_candidates(doc, gazetteer))
    cands = _promote_titled(doc, cands, gazetteer)
    cands = _drop_overlaps([c for c in cands if c.kind != "unknown"])
    _qualify_national_bodies(doc, cands, gazetteer)
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    titles = read_titles(doc, cands, gazetteer)
    roles = []
    for cand, title in titles:
        cand.titles.append(title.title)
        if title.country and cand.country is None:
            cand.country = title.country
        roles.append(
            Role(cand.entity, title.title, title.organization, title.country, sent_index.get(cand.span.sent.start, -1))
        )
    mentions = [
        Mention(
            c.start, c.end, original[c.start : c.end], c.kind, c.entity,
            sent_index.get(c.span.sent.start, -1), c.label,
        )
        for c in cands
    ]
    mentions.extend(_parent_mentions(cands, gazetteer, original, sent_index))
    return mentions, roles, {c.entity: c for c in cands}


def _parent_mentions(
    cands: list[Candidate], gazetteer: Gazetteer, original: str, sent_index: dict[int, int]
) -> list[Mention]:
    """'Hamas Politburo' also mentions Hamas, at the characters where its name stands."""
    out = []
    for c in cands:
        parent = gazetteer.part_of.get(c.entity)
        label = gazetteer.labels.get(parent or "")
        if not parent or not label:
            continue
        at = c.span.text.casefold().find(label.casefold())
        if at < 0:
            continue
        start = c.start + at
        out.append(Mention(start, start + len(label), original[start : start + len(label)],
                           parent.split(":", 1)[0], parent, sent_index.get(c.span.sent.start, -1), c.label))
    return out


def _qualify_national_bodies(doc: Doc, cands: list[Candidate], gazetteer: Gazetteer) -> None:
    """'Chinese Ministry of Foreign Affairs' and 'Iran's Foreign Ministry' are two bodies."""
    by_end = {c.span.end: c for c in cands}
    for c in cands:
        if c.entity not in gazetteer.national:
            continue
        k = c.span.start
        if k > 0 and doc[k - 1].text in {"'s", "'"}:
            k -= 1
        prev = by_end.get(k)
        if prev is not None and prev.kind == "country":
            c.entity = f"{c.entity}-{prev.entity.split(':', 1)[1].lower()}"
            c.country = prev.entity.split(":", 1)[1]


def summarize_entities(
    cands: Iterable[Candidate], mentions: Sequence[Mention], roles: Sequence[Role], gazetteer: Gazetteer
) -> list[Entity]:
    """One :class:`Entity` per id: its best label, every alias, and for people country and titles."""
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, str] = {}
    for m in mentions:
        surfaces[m.entity][clean_surface(m.text)] += 1
        kinds[m.entity] = m.kind
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    titles: dict[str, list[str]] = defaultdict(list)
    for r in roles:
        if r.country:
            countries[r.person][r.country] += 1
        if r.title not in titles[r.person]:
            titles[r.person].append(r.title)
    out = []
    for ent_id, forms in surfaces.items():
        kind = kinds[ent_id]
        label = _best_label(ent_id, kind, forms, gazetteer)
        country = countries[ent_id].most_common(1)[0][0] if countries.get(ent_id) else None
        iso3 = ent_id.split(":", 1)[1] if kind == "country" else None
        out.append(
            Entity(
                ent_id, kind, label, tuple(sorted(forms)),
                country if kind == "person" else None,
                tuple(titles.get(ent_id, ())), iso3,
            )
        )
    return out


def _best_label(ent_id: str, kind: str, forms: Counter[str], gazetteer: Gazetteer) -> str:
    base = ent_id.rsplit("-", 1)[0] if ent_id not in gazetteer.labels else ent_id
    if ent_id in gazetteer.labels:
        return gazetteer.labels[ent_id]
    if kind == "country":
        country = country_by_iso3(ent_id.split(":", 1)[1])
        if country is not None:
            return country.label
    if base in gazetteer.labels and base in gazetteer.national:
        iso3 = ent_id.rsplit("-", 1)[1].upper()
        country = country_by_iso3(iso3)
        return f"{gazetteer.labels[base]} ({country.label if country else iso3})"
    if kind == "person":
        return max(forms, key=lambda f: (len(f.split()), forms[f], f))
    # prefer a form that is not shouted ("Beijing" over "BEIJING"), then the commonest
    return max(forms, key=lambda f: (not (f.isupper() and len(f) > 4), forms[f], -len(f), f))
