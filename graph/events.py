"""One event per real-world contact, however many articles report it."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.records import DocumentRecord, Event

__all__ = ["ContactEvent", "merge_events", "event_id"]


@dataclass
class ContactEvent:
    """A contact as the corpus knows it, with every report of it."""

    event_type: str
    participants: frozenset[str]
    date: str | None = None
    location: str | None = None
    initiator: str | None = None
    host: str | None = None
    cameo: str | None = None
    plover_mode: str | None = None
    date_texts: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    evidence: list[dict[str, object]] = field(default_factory=list)
    reports: list[tuple[str, Event]] = field(default_factory=list)

    def accepts(self, event: Event) -> bool:
        """Same type and people, dates that agree as far as both go, no conflicting place."""
        if event.event_type != self.event_type or frozenset(event.participants) != self.participants:
            return False
        a, b = self.date, event.date
        if a and b and not (a.startswith(b) or b.startswith(a)):
            return False
        if self.location and event.location and self.location != event.location:
            return False
        return True

    def add(self, doc: DocumentRecord, event: Event) -> None:
        if event.date and (self.date is None or len(event.date) > len(self.date)):
            self.date = event.date
        self.location = self.location or event.location
        self.initiator = self.initiator or event.initiator
        self.host = self.host or event.host
        self.cameo = self.cameo or event.cameo
        self.plover_mode = self.plover_mode or event.plover_mode
        if event.date_text and event.date_text not in self.date_texts:
            self.date_texts.append(event.date_text)
        if doc.doc_id not in self.sources:
            self.sources.append(doc.doc_id)
        for index in event.sentences or (event.sentence,):
            if 0 <= index < len(doc.sentences):
                s = doc.sentences[index]
                self.evidence.append({"doc": doc.doc_id, "sentence": s.text, "start": s.start, "end": s.end})
        self.reports.append((doc.doc_id, event))


def event_id(event: ContactEvent) -> str:
    """A stable id from what the event is: date, type and participants.

    Examples
    --------
    >>> event_id(ContactEvent("meeting", frozenset({"person:b", "person:a"}), date="2023-07-24"))
    'event:2023-07-24:meeting:a+b'
    """
    people = "+".join(sorted(p.split(":", 1)[-1] for p in event.participants))
    return f"event:{event.date or 'undated'}:{event.event_type}:{people}"


def merge_events(records: Sequence[DocumentRecord]) -> dict[str, ContactEvent]:
    """Merge the events of all documents; returns them by stable id.

    Reports are taken in date order, dated ones first, so an undated mention joins the
    contact it fits rather than opening one of its own. A report can only join a contact of
    its own type and people, so contacts are looked up by those: the time grows with the
    reports, not with reports times contacts (the first fitting contact, in the order they
    were opened, still wins).

    Examples
    --------
    >>> a = DocumentRecord("a", events=(Event("e0", "meeting", ("person:x", "person:y"), 0, date="2023-07-24"),))
    >>> b = DocumentRecord("b", events=(Event("e0", "meeting", ("person:y", "person:x"), 0, date="2023-07-24"),))
    >>> c = DocumentRecord("c", events=(Event("e0", "meeting", ("person:y", "person:x"), 0, date="2023-09-01"),))
    >>> merged = merge_events([a, b, c])
    >>> sorted((k, v.sources) for k, v in merged.items())  # doctest: +NORMALIZE_WHITESPACE
    [('event:2023-07-24:meeting:x+y', ['a', 'b']), ('event:2023-09-01:meeting:x+y', ['c'])]
    """
    reports = [(rec, ev) for rec in records for ev in rec.events]
    reports.sort(key=lambda r: (r[1].date is None, -len(r[1].date or ""), r[1].date or "", r[0].doc_id))
    contacts: list[ContactEvent] = []
    by_people: dict[tuple[str, frozenset[str]], list[ContactEvent]] = {}
    for rec, ev in reports:
        people = frozenset(ev.participants)
        same = by_people.setdefault((ev.event_type, people), [])
        for contact in same:
            if contact.accepts(ev):
                contact.add(rec, ev)
                break
        else:
            contact = ContactEvent(ev.event_type, people)
            contact.add(rec, ev)
            contacts.append(contact)
            same.append(contact)
    out: dict[str, ContactEvent] = {}
    for contact in contacts:
        key, n = event_id(contact), 2
        while key in out:
            key, n = f"{event_id(contact)}~{n}", n + 1
        contact.sources.sort()
        out[key] = contact
    return out
