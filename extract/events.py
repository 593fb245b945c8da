"""Contacts: meetings, phone and video calls, visits and summits, with date, place and initiator.

One sentence reports at most one contact: the strongest trigger in it (a phone call before a
visit before a meeting). Participants are the people named around the trigger; the date comes
from the sentence's date expressions resolved against the article's date; the place from "in"
or "at" before a location; the initiator from "at the latter's request", "at the request of X",
"at the invitation of X" or "X called Y". The same contact told twice in one article (headline,
caption and body) is one event.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from extract.dates import resolve_date
from extract.records import Event, Mention

__all__ = ["find_events", "TRIGGERS", "CAMEO", "reference_date"]

#: Event type and the patterns that announce it, strongest first.
TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phone_call", re.compile(
        r"\b(?:tele)?phone\s+(?:call|conversation|talks?|conversations)\b|\bheld\s+(?:tele)?phone\s+talks\b"
        r"|\bspoke\s+(?:by|over\s+the|on\s+the)\s+(?:tele)?phone\b|\b(?:tele)?phoned\b"
        r"|\bcalled\s+(?=(?-i:[A-Z]))", re.IGNORECASE)),
    ("video_call", re.compile(r"\bvideo\s+(?:call|conference|talks)\b|\bvirtual\s+(?:meeting|talks)\b", re.IGNORECASE)),
    ("visit", re.compile(
        r"\b(?:state|official|working|paid\s+an?(?:\s+\w+)?)\s+visit\s+to\b|\bvisit(?:ed|ing)?\s+to\b"
        r"|\barriv\w+\s+in\b.*\b(?:visit|invitation)\b|\bvisit(?:ed|ing)\s+(?=[A-Z])", re.IGNORECASE)),
    ("meeting", re.compile(
        r"\bmeets?\s+with\b|\bmet\s+with\b|\bmet\b|\bheld\s+(?:\w+\s+){0,3}talks\b|\bholds\s+talks\b"
        r"|\btalks\s+with\b|\bmeeting\s+(?:between|with)\b|\breceived\b|\bsat\s+down\s+with\b", re.IGNORECASE)),
    ("summit", re.compile(r"\bsummit\b", re.IGNORECASE)),
)

#: CAMEO codes and PLOVER CONSULT modes by event type. A meeting is not yet told apart as hosted
#: (043, "host") or at a third location (044, "third-party"): that needs the country of the venue.
CAMEO = {
    "phone_call": ("041", "phone"),
    "video_call": ("041", "phone"),
    "visit": ("042", "visit"),
    "summit": ("040", "multilateral"),
    "meeting": ("040", None),
}

_LATTER = re.compile(r"\bat\s+the\s+latter'?s\s+request\b|\bat\s+the\s+request\s+of\s+the\s+latter\b", re.I)
_FORMER = re.compile(r"\bat\s+the\s+former'?s\s+request\b|\bat\s+the\s+request\s+of\s+the\s+former\b", re.I)
_BARE_REQUEST = re.compile(r"\bat\s+(?:his|her|their|the)?\s*request\b(?!\s+of)", re.I)
_REQUEST_OF = re.compile(r"\bat\s+the\s+(?:request|invitation)\s+of\s+", re.I)
_POSSESSIVE_REQUEST = re.compile(r"'s?\s+(?:request|invitation)\b", re.I)
_CALLED = re.compile(r"\bcall(?:ed|s)?\s+$", re.I)
_CALL_FROM = re.compile(r"\bcall\s+from\s+$", re.I)
_PLACE_PREP = re.compile(r"\b(?:in|at)\s+(?:[A-Z][\w.-]*(?:'s)?\s+){0,2}$")
_ACTOR_KINDS = frozenset({"person"})
_PLACE_KINDS = frozenset({"country", "location"})
# A contact that has not happened: "expected at the summit", "the possibility of a meeting".
_NOT_YET = re.compile(
    r"\b(?:expected|possibility|possible|plans?\s+to|planned|scheduled|due\s+to|set\s+to|will|would"
    r"|may|might|could|to\s+hold|invited\s+to|proposed)\b", re.IGNORECASE)


@dataclass
class _Draft:
    event_type: str
    participants: list[str]
    sentence: int
    trigger: str
    date: str | None = None
    date_text: str | None = None
    location: str | None = None
    initiator: str | None = None
    host: str | None = None
    sentences: list[int] = field(default_factory=list)


def reference_date(published: dt.date | None, doc: Doc) -> dt.date | None:
    """The date relative expressions count from: the article's, else the first full date in it."""
    if published is not None:
        return published
    for ent in doc.ents:
        if ent.label_ == "DATE":
            resolved = resolve_date(ent.text, None)
            if resolved and len(resolved.value) == 10:
                return dt.date.fromisoformat(resolved.value)
    return None


def _trigger(text: str) -> tuple[str, re.Match[str]] | None:
    for event_type, pattern in TRIGGERS:
        match = pattern.search(text)
        if match:
            return event_type, match
    return None


_UNNAMED = Mention(-1, -1, "", "person", "", -1)


def _subject(doc: Doc, trigger_at: int, people: list[Mention]) -> Mention | None:
    """The person who is the grammatical subject of the trigger's verb, if the parse says so.

    A proper-noun subject that is no known person returns ``_UNNAMED``: the subject is someone
    the model missed, and the nearest person before the verb is then not a participant.
    """
    span = doc.char_span(trigger_at, trigger_at + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[0]
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            for m in people:
                if m.start <= child.idx < m.end:
                    return m
            if child.pos_ == "PROPN":
                return _UNNAMED
    return None


def _participants(
    people: list[Mention], trigger_at: int, event_type: str, subject: Mention | None = None,
    text: str = "",
) -> list[Mention]:
    """The people on either side of the trigger: its subject (or the nearest person before it)
    and those after it, with the ones joined to them by "and" ("received Burns and Barnea").
    ``text`` is the document's text, which the mentions' offsets point into."""
    before = [m for m in people if m.end <= trigger_at]
    after = [m for m in people if m.start >= trigger_at]
    chosen: list[Mention] = []
    if subject is _UNNAMED:
        pass
    elif subject is not None:
        chosen.append(subject)
    elif before:
        chosen.append(before[-1])
    for m in after:
        # "met the two ministers": a group reference stands for all the people it names
        same_group = bool(chosen) and chosen[-1].start == m.start and chosen[-1].end == m.end
        joined = bool(chosen) and chosen[-1].start >= trigger_at and bool(
            _JOINED.match(text[chosen[-1].end : m.start])
        )
        if event_type in {"summit"} or len({c.entity for c in chosen}) < 2 or same_group or joined:
            chosen.append(m)
    if len({c.entity for c in chosen}) < 2 and event_type != "visit" and subject is not _UNNAMED:
        chosen = list(people)
    unique: dict[str, Mention] = {}
    for m in chosen:
        unique.setdefault(m.entity, m)
    return list(unique.values())


# Between two people named after a contact's verb: "X and Y", "X and CIA Director Y" (a bare
# comma is no join: "met Fidan, Lavrov said").
_JOINED = re.compile(r"^,?\s+and\s+(?:[A-Z][\w.'-]*\s+){0,4}$")
_GROUP_REFERENCE = re.compile(r"\b(?:the\s+two|both)\s+(?:leaders|men|ministers|sides|presidents|officials)\b", re.I)


def _with_references(sent, people: list[Mention], mentions: Sequence[Mention]) -> list[Mention]:  # type: ignore[no-untyped-def]
    """Add the people that "he", "she" or "the two leaders" stand for: the nearest named before."""
    earlier = [m for m in mentions if m.kind in _ACTOR_KINDS and m.end <= sent.start_char]
    out = list(people)
    group = _GROUP_REFERENCE.search(sent.text)
    if group and len({m.entity for m in people}) < 2:
        named: list[Mention] = []
        for m in reversed(earlier):
            if m.entity not in {n.entity for n in named}:
                named.append(m)
            if len(named) == 2:
                break
        at = sent.start_char + group.start()
        out += [Mention(at, at + len(group.group(0)), group.group(0), m.kind, m.entity, m.sentence) for m in named]
    for tok in sent:
        # "He met ..." and "Earlier this month he received ...": the main clause's subject,
        # before any name (not "since he took office")
        opening = tok.i == sent.start or (
            tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.dep_ == "ROOT"
            and not any(m.start < tok.idx for m in people)
        )
        if tok.lower_ in {"he", "she"} and opening and earlier:
            ref = earlier[-1]
            out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, ref.kind, ref.entity, ref.sentence))
    return sorted(out, key=lambda m: m.start)


def _initiator(text: str, offset: int, parts: list[Mention], mentions: list[Mention], trigger_at: int) -> str | None:
    """Who asked for the contact, in sentence-relative character offsets."""
    if not parts:
        return None
    ordered = sorted(parts, key=lambda m: m.start)
    if _LATTER.search(text):
        return ordered[-1].entity
    if _FORMER.search(text):
        return ordered[0].entity
    match = _REQUEST_OF.search(text)
    if match:
        after = [m for m in mentions if m.start >= offset + match.end() and m.kind in {"person", "country"}]
        if after:
            return after[0].entity
    match = _POSSESSIVE_REQUEST.search(text)
    if match:
        before = [m for m in mentions if m.end <= offset + match.start() + 1 and m.kind in {"person", "country"}]
        if before and offset + match.start() - before[-1].end <= 1:
            return before[-1].entity
    match = _BARE_REQUEST.search(text)
    if match:
        before = [m for m in ordered if m.end <= offset + match.start()]
        if before:
            return before[-1].entity
    for m in ordered:  # "Wang called Fidan": the caller asked for the call
        rest = text[m.end - offset : m.end - offset + 12]
        if re.match(r"\s+(?:called|phoned|telephoned)\b", rest):
            return m.entity
    for m in ordered:  # "received a phone call from X"
        if _CALL_FROM.search(text[: m.start - offset]):
            return m.entity
    return None


def _location(text: str, offset: int, mentions: list[Mention], kinds: frozenset[str]) -> str | None:
    for m in mentions:
        if m.kind not in kinds:
            continue
        if _PLACE_PREP.search(text[max(0, m.start - offset - 40) : m.start - offset]):
            return m.entity
    return None


def _is_place(entity: str | None) -> bool:
    """Whether a node id names a place an event can happen in (a country or a location)."""
    return entity is not None and entity.split(":", 1)[0] in _PLACE_KINDS


def _destination(text: str, offset: int, mentions: list[Mention]) -> str | None:
    for m in mentions:
        if m.kind in {"country", "location"} and re.search(r"\b(?:to|in)\s+(?:the\s+)?$", text[: m.start - offset]):
            return m.entity
    return None


def _date(sent: Span, reference: dt.date | None) -> tuple[str, str] | None:
    best: tuple[int, str, str] | None = None
    text = sent.doc.text
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        line_start = text.rfind("\n", 0, ent.start_char) + 1
        before = text[line_start : ent.start_char]
        if not before.strip() or before.strip().casefold().endswith("date"):
            continue  # a dateline or a metadata line dates the article, not the contact
        resolved = resolve_date(ent.text, reference)
        if resolved is None:
            continue
        # "on July 24" or "in February" says when the contact was; prefer it, then precision
        rank = (2 if re.search(r"\b(?:on|in|during)\s+$", before) else 0) + (1 if len(resolved.value) == 10 else 0)
        if best is None or rank > best[0]:
            best = (rank, resolved.value, resolved.text)
    return (best[1], best[2]) if best else None


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def find_events(
    doc: Doc,
    mentions: Sequence[Mention],
    *,
    doc_id: str,
    published: dt.date | None,
    dateline: str | None = None,
) -> list[Event]:
    """The contacts one article reports (ids are local to the document)."""
    reference = reference_date(published, doc)
    by_sentence: dict[int, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        by_sentence.setdefault(m.sentence, []).append(m)
    drafts: list[_Draft] = []
    for index, sent in enumerate(doc.sents):
        found = _trigger(sent.text)
        if found is None:
            continue
        event_type, match = found
        if _NOT_YET.search(sent.text[: match.start()]):
            continue
        sent_mentions = by_sentence.get(index, [])
        people = [m for m in sent_mentions if m.kind in _ACTOR_KINDS]
        people = _with_references(sent, people, mentions)
        trigger_at = sent.start_char + match.start()
        parts = _participants(people, trigger_at, event_type, _subject(doc, trigger_at, people), doc.text)
        text = sent.text
        offset = sent.start_char
        draft = _Draft(event_type, [m.entity for m in parts], index, match.group(0).strip())
        if event_type == "visit":
            if not parts:
                continue
            visitor = parts[0].entity
            invited = _REQUEST_OF.search(text)
            host_person = next(
                (m for m in people if invited and m.start >= offset + invited.end()), None
            )
            draft.host = host_person.entity if host_person else _destination(
                text, offset, [m for m in sent_mentions if m.start > trigger_at]
            )
            draft.participants = [visitor] + ([host_person.entity] if host_person and host_person.entity != visitor else [])
            if draft.host is None:
                continue
        elif len(parts) < 2:
            continue
        date = _date(sent, reference)
        if date:
            draft.date, draft.date_text = date
        draft.location = _location(text, offset, sent_mentions, frozenset({"location"}))
        if draft.location is None and dateline and re.search(r"\bhere\b", text):
            draft.location = f"location:{dateline.casefold()}"
        if event_type == "visit" and draft.location is None:
            # the place visited; a host who is a person ("at the invitation of X") is no place
            draft.location = draft.host if _is_place(draft.host) else _destination(text, offset, sent_mentions)
        draft.initiator = _initiator(text, offset, parts, sent_mentions, trigger_at)
        drafts.append(draft)
    return _merge(drafts, doc_id)


def _merge(drafts: list[_Draft], doc_id: str) -> list[Event]:
    """Headline, caption and body telling one contact become one event."""
    merged: list[_Draft] = []
    for d in drafts:
        for m in merged:
            if (
                m.event_type == d.event_type
                and set(m.participants) == set(d.participants)
                and _compatible(m.date, d.date)
                and (m.location is None or d.location is None or m.location == d.location)
            ):
                if d.date and (m.date is None or len(d.date) > len(m.date)):
                    m.date, m.date_text = d.date, d.date_text
                m.location = m.location or d.location
                m.initiator = m.initiator or d.initiator
                m.host = m.host or d.host
                m.sentences.append(d.sentence)
                break
        else:
            d.sentences = [d.sentence]
            merged.append(d)
    events = []
    primary_done = False
    for n, d in enumerate(merged):
        cameo, mode = CAMEO[d.event_type]
        primary = not primary_done and d.event_type in {"meeting", "phone_call", "video_call", "visit", "summit"}
        primary_done = primary_done or primary
        events.append(
            Event(
                id=f"event:{doc_id}:{n}", event_type=d.event_type, participants=tuple(d.participants),
                sentence=d.sentence, date=d.date, date_text=d.date_text, location=d.location,
                initiator=d.initiator, host=d.host, cameo=cameo, plover_mode=mode, trigger=d.trigger,
                primary=primary, sentences=tuple(d.sentences),
            )
        )
    return events
