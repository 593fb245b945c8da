"""Stances and cooperation: who supports, opposes, condemns, mediates, partners, cooperates on what.

Precision comes first: a wrong relation on a diplomatic graph misleads more than a missing one.
Each rule names the grammatical roles it reads (the subject and object of "support", the two
parties "between X and Y" of a reconciliation) and gives up when they are not there. The
subject is the grammatical subject of the clause, found by walking up the parse from the
verb: in "Wang said China supports Iran" it is China, with Wang only speaking for it; "the
Chinese side" is China; "the two sides" are the two parties of the article's contact.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from extract.records import Event, Mention, Relation

__all__ = ["find_relations", "CONFIDENCE"]

#: Confidence of each extraction method (how often it was right on the material it was built on).
CONFIDENCE = {
    "verb": 0.8,
    "mutual": 0.7,
    "mediation": 0.75,
    "partnership": 0.75,
    "cooperation": 0.65,
    "implementation": 0.6,
    "membership": 0.7,
    "discussion": 0.5,
}

_STANCE_VERBS = {
    "support": "supports", "supports": "supports", "supported": "supports", "supporting": "supports",
    "back": "supports", "backs": "supports", "backed": "supports", "backing": "supports",
    "oppose": "opposes", "opposes": "opposes", "opposed": "opposes", "opposing": "opposes",
    "reject": "opposes", "rejects": "opposes", "rejected": "opposes",
    "condemn": "condemns", "condemns": "condemns", "condemned": "condemns", "condemning": "condemns",
    "denounce": "condemns", "denounced": "condemns", "denounces": "condemns",
}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_GROUP_NOUNS = {"sides", "countries", "nations", "parties", "governments"}
_ROLE_NOUNS = {"side", "government", "diplomat", "minister", "president", "leader", "country",
               "nation", "envoy", "ministry", "official", "officials", "authorities"}
_MEDIATION = re.compile(r"\bmediat\w*|\breconciliation\b|\bnormali[sz]ation\s+of\s+relations\b|\bbroker(?:ed|ing|s)?\b"
                        r"|\brapprochement\b|\bfacilitat\w+\s+(?:the\s+)?(?:dialogue|talks)\b", re.I)
_MEDIATING_VERB = re.compile(r"(?i)^(?:mediat|broker)\w*$")
_PAIR = re.compile(r"\b(?:the\s+two|both)\b", re.I)
_PARTNER = re.compile(r"\b((?:[a-z]+(?:-[a-z]+)?\s+){0,4})partner(?:ship)?\b")
_PARTNER_WORDS = {"comprehensive", "strategic", "all-weather", "cooperative", "global", "enhanced",
                  "special", "privileged", "friendly", "long-term", "good-neighborly", "innovative",
                  "new-era", "everlasting", "high-level", "close", "economic", "deep"}
_COOPERATION = re.compile(r"\bcooperat\w*|\bsynerg\w*|\bcollaborat\w*|\bjoint\s+construction\b"
                          r"|\bwork\w*\s+(?:closely\s+)?with\b|\bpush\s+forward\b|\bparticipat\w*", re.I)
_IMPLEMENT = re.compile(r"\bimplement\w*|\bresum\w+|\brestor\w+\b", re.I)
_DISCUSSION = re.compile(r"\bdiscuss\w*|\bexchanged\s+views\b|\bsituation\b|\bfocus\w*\s+on\b|\bbrief\w*", re.I)
_JOIN = re.compile(r"\bjoin(?:ed|s|ing)?\b|\bmembership\b|\bbecame\s+a\s+(?:full\s+)?member\b|\badmitted\b", re.I)


class _Index:
    """Which mention covers which token, and the document's people and parties."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention], events: Sequence[Event],
                 person_country: dict[str, str]) -> None:
        self.doc = doc
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.by_token: dict[int, Mention] = {}
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for tok in span:
                    self.by_token.setdefault(tok.i, m)
        self.person_country = person_country
        primary = next((e for e in events if e.primary), None)
        self.country_counts: dict[str, int] = {}
        for m in self.mentions:
            if m.kind == "country":
                self.country_counts[m.entity] = self.country_counts.get(m.entity, 0) + 1
        parties: list[str] = []
        if primary is not None:
            for p in primary.participants:
                country = person_country.get(p)
                parties.append(f"country:{country}" if country else p)
        if len(set(parties)) < 2:  # no contact: the two countries the article names most
            counts: dict[str, int] = {}
            for m in self.mentions:
                if m.kind == "country":
                    counts[m.entity] = counts.get(m.entity, 0) + 1
            parties = [c for c, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:2]]
        self.parties = list(dict.fromkeys(parties))

    def parties_besides(self, third: str) -> list[str]:
        """The article's two parties when ``third`` is not one of them, else the two countries
        other than ``third`` that it names most (a mediator is no party)."""
        if len(self.parties) == 2 and third not in self.parties:
            return list(self.parties)
        ranked = sorted((c for c in self.country_counts if c != third), key=lambda c: -self.country_counts[c])
        if len(ranked) > 2 and self.country_counts[ranked[1]] == self.country_counts[ranked[2]]:
            return []  # no clear pair
        return ranked[:2]

    def at(self, tok: Token) -> Mention | None:
        return self.by_token.get(tok.i)

    def actor(self, tok: Token) -> list[str]:
        """The entities a subject token stands for (empty when unsure)."""
        m = self.at(tok)
        if m is not None and m.kind in {"country", "person", "organization"}:
            return [m.entity]
        low = tok.lower_
        if low in {"he", "she"}:
            before = [m for m in self.mentions if m.kind == "person" and m.end <= tok.idx]
            return [before[-1].entity] if before else []
        if low in _GROUP_NOUNS and any(c.lower_ in {"two", "both"} for c in tok.children):
            return list(self.parties) if len(self.parties) == 2 else []
        if low in {"both"} and tok.dep_ in _SUBJECT_DEPS:
            return list(self.parties) if len(self.parties) == 2 else []
        if low in _ROLE_NOUNS:
            for child in tok.children:
                cm = self.at(child)
                if cm is not None and cm.kind == "country" and child.dep_ in {"amod", "compound", "poss", "nmod"}:
                    return [cm.entity]
        return []

    def subject_of(self, tok: Token) -> list[str]:
        """Walk up from a verb (through "continue to", "is ready to", "and") to its subject."""
        seen = 0
        node: Token | None = tok
        while node is not None and seen < 8:
            for child in node.children:
                if child.dep_ in _SUBJECT_DEPS:
                    return self.actor(child)
            if node.head is node:
                return []
            node = node.head
            seen += 1
        return []

    def object_of(self, verb: Token) -> list[str]:
        """The direct object's entity: itself, its possessor ("Iran's efforts"), or "X of Y"."""
        out: list[str] = []
        for child in verb.children:
            if child.dep_ not in {"dobj", "obj"}:
                continue
            for head in [child, *child.conjuncts]:
                found = self._object_entity(head)
                if found:
                    out.append(found)
        return out

    def _object_entity(self, head: Token) -> str | None:
        m = self.at(head)
        if m is not None and m.kind in {"country", "organization", "initiative", "person", "location"}:
            return m.entity
        for child in head.children:
            if child.dep_ == "poss":
                pm = self.at(child)
                if pm is not None and pm.kind in {"country", "organization", "person"}:
                    return pm.entity
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    pm = self.at(pobj)
                    if pm is not None and pm.kind in {"initiative", "organization", "country"}:
                        return pm.entity
        return None


def _rel(out: list[Relation], subject: str, relation: str, obj: str, sentence: int, method: str,
         date: str | None, partnership_type: str | None = None) -> None:
    if subject == obj:
        return
    out.append(Relation(subject, relation, obj, sentence, method, CONFIDENCE[method], partnership_type, date))


def _countries_in(mentions: Sequence[Mention]) -> list[Mention]:
    return [m for m in mentions if m.kind == "country"]


def _stances(index: _Index, sent_no: int, sent, date: str | None, out: list[Relation]) -> None:  # type: ignore[no-untyped-def]
    for tok in sent:
        relation = _STANCE_VERBS.get(tok.lower_)
        if relation is None or not tok.tag_.startswith("VB"):
            continue
        subjects = index.subject_of(tok)
        if not subjects:
            continue
        objects = index.object_of(tok)
        each_other = any(c.dep_ in {"dobj", "obj"} and c.lower_ == "other" and
                         any(g.lower_ == "each" for g in c.children) for c in tok.children)
        if each_other and relation == "supports":
            partners = [m.entity for m in _countries_in(index.mentions)
                        if sent.start_char <= m.start < sent.end_char and m.entity not in subjects]
            for subject in subjects:
                for partner in dict.fromkeys(partners):
                    _rel(out, subject, "supports", partner, sent_no, "mutual", date)
                    _rel(out, partner, "supports", subject, sent_no, "mutual", date)
            continue
        for subject in subjects:
            for obj in objects:
                _rel(out, subject, relation, obj, sent_no, "verb", date)


def _parties_between(text: str, offset: int, mentions: Sequence[Mention]) -> list[str]:
    match = re.search(r"\bbetween\s+", text)
    countries = _countries_in(mentions)
    if match:
        after = [m for m in countries if m.start >= offset + match.end()]
        if len(after) >= 2:
            return [after[0].entity, after[1].entity]
    for a, b in zip(countries, countries[1:]):  # "the Iran-Saudi dialogue"
        if text[a.end - offset : b.start - offset] == "-":
            return [a.entity, b.entity]
    return []


def _agent_of_mediation(index: _Index, sent) -> list[str]:  # type: ignore[no-untyped-def]
    """The country that mediated by the grammar: "talks mediated by X", "X helped to broker"."""
    for tok in sent:
        if not _MEDIATING_VERB.match(tok.text):
            continue
        for child in tok.children:  # passive: "mediated by China"
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                for pobj in child.children:
                    m = index.at(pobj)
                    if pobj.dep_ == "pobj" and m is not None and m.kind == "country":
                        return [m.entity]
        head = index.at(tok.head)
        if tok.dep_ == "relcl" and head is not None and head.kind == "country":
            return [head.entity]  # "Oman, which brokered the deal"
        deps = {c.dep_ for c in tok.children}
        if "auxpass" not in deps and (tok.tag_ != "VBN" or "aux" in deps):  # active voice
            subjects = [s for s in index.subject_of(tok) if s.startswith("country:")]
            if subjects:
                return subjects[:1]
    return []


def _mediation(index: _Index, sent_no: int, sent, mentions: Sequence[Mention], date: str | None,  # type: ignore[no-untyped-def]
               out: list[Relation]) -> None:
    if not _MEDIATION.search(sent.text):
        return
    parties = _parties_between(sent.text, sent.start_char, mentions)
    if len(parties) == 2:
        mediators = [m.entity for m in _countries_in(mentions) if m.entity not in parties]
    else:
        # "the two rivals ... after talks mediated by China": the named mediator between the
        # article's two parties, when the sentence refers to them as a pair
        mediators = _agent_of_mediation(index, sent)
        if not mediators or not _PAIR.search(sent.text):
            return
        parties = index.parties_besides(mediators[0])
        if len(parties) != 2:
            return
    if not mediators:
        return
    for party in parties:
        _rel(out, mediators[0], "mediates", party, sent_no, "mediation", date)


def _partnership(index: _Index, sent_no: int, sent, mentions: Sequence[Mention], date: str | None,  # type: ignore[no-untyped-def]
                 out: list[Relation]) -> None:
    match = _PARTNER.search(sent.text)
    if not match:
        return
    words = [w for w in match.group(1).split() if w in _PARTNER_WORDS]
    kind = " ".join([*words, "partnership"]) if words else "partnership"
    countries = list(dict.fromkeys(m.entity for m in _countries_in(mentions)))
    if len(countries) != 2:
        return
    a, b = sorted(countries)
    _rel(out, a, "partnership", b, sent_no, "partnership", date, kind)


def _cooperation(index: _Index, sent_no: int, sent, mentions: Sequence[Mention], date: str | None,  # type: ignore[no-untyped-def]
                 out: list[Relation]) -> None:
    initiatives = [m for m in mentions if m.kind == "initiative"]
    if not initiatives:
        return
    cooperative = bool(_COOPERATION.search(sent.text))
    implementing = bool(_IMPLEMENT.search(sent.text))
    if not (cooperative or implementing):
        return
    relation, method = ("cooperates_on", "cooperation") if cooperative else ("supports", "implementation")
    for m in initiatives:
        span = index.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        subjects = index.subject_of(span.root)
        if not subjects:
            # "Only by resuming ... can the issue be resolved, Wang said": the speaker
            speakers = [c for t in sent if t.lower_ in {"said", "says", "noted", "added", "stressed"}
                        for c in t.children if c.dep_ in _SUBJECT_DEPS]
            subjects = [s for c in speakers for s in index.actor(c)]
        for subject in subjects:
            _rel(out, subject, relation, m.entity, sent_no, method, date)


def _membership(index: _Index, sent_no: int, sent, mentions: Sequence[Mention], date: str | None,  # type: ignore[no-untyped-def]
                out: list[Relation]) -> None:
    if not _JOIN.search(sent.text):
        return
    for tok in sent:
        if tok.lower_ not in {"join", "joined", "joins", "joining"} or not tok.tag_.startswith("VB"):
            continue
        subjects = [s for s in index.subject_of(tok) if s.startswith("country:")]
        objects = [o for o in index.object_of(tok) if o.startswith("organization:")]
        for s in subjects:
            for o in objects:
                _rel(out, s, "member_of", o, sent_no, "membership", date)


def _discussed(events: Sequence[Event], sentences: Sequence[str], by_sentence: dict[int, list[Mention]],
               out: list[Relation], date: str | None) -> None:
    """The article's own contact discussed the initiatives named from its first report on, and
    the regions and topics of sentences that say something was discussed."""
    primary = next((e for e in events if e.primary), None)
    if primary is None:
        return
    skip = {primary.location, primary.host, *primary.participants}
    first = min(primary.sentences or (primary.sentence,))
    for sent_no, mentions in sorted(by_sentence.items()):
        if sent_no < first or sent_no >= len(sentences):
            continue
        talk = bool(_DISCUSSION.search(sentences[sent_no]))
        for m in mentions:
            if m.entity in skip:
                continue
            region = m.kind in {"location", "topic"} and m.label in {"LOC", "TOPIC"}
            if m.kind == "initiative" or (region and talk):
                _rel(out, primary.id, "discussed", m.entity, sent_no, "discussion", date)


def find_relations(
    doc: Doc,
    mentions: Sequence[Mention],
    events: Sequence[Event],
    *,
    person_country: dict[str, str],
    date: str | None = None,
) -> list[Relation]:
    """Stance, cooperation and discussion relations stated in one article."""
    index = _Index(doc, mentions, events, person_country)
    by_sentence: dict[int, list[Mention]] = {}
    for m in index.mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Relation] = []
    sents = list(doc.sents)
    for sent_no, sent in enumerate(sents):
        sent_mentions = by_sentence.get(sent_no, [])
        if not sent_mentions:
            continue
        _stances(index, sent_no, sent, date, out)
        _mediation(index, sent_no, sent, sent_mentions, date, out)
        _partnership(index, sent_no, sent, sent_mentions, date, out)
        _cooperation(index, sent_no, sent, sent_mentions, date, out)
        _membership(index, sent_no, sent, sent_mentions, date, out)
    _discussed(events, [s.text for s in sents], by_sentence, out, date)
    unique: dict[tuple[str, str, str, int], Relation] = {}
    for r in out:
        unique.setdefault((r.subject, r.relation, r.object, r.sentence), r)
    return list(unique.values())
