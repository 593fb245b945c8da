"""graph.events: one contact per real-world event, merged without comparing unrelated contacts."""
from __future__ import annotations

import pytest

from extract.records import DocumentRecord, Event
from graph.events import ContactEvent, merge_events


def _doc(doc_id: str, *events: Event) -> DocumentRecord:
    return DocumentRecord(doc_id, events=events)


def _meeting(a: str, b: str, date: str | None, *, location: str | None = None, kind: str = "meeting") -> Event:
    return Event("e0", kind, (f"person:{a}", f"person:{b}"), 0, date=date, location=location)


@pytest.fixture
def counted_accepts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of ContactEvent.accepts while the test runs."""
    calls = [0]
    original = ContactEvent.accepts

    def accepts(self: ContactEvent, event: Event) -> bool:
        calls[0] += 1
        return original(self, event)

    monkeypatch.setattr(ContactEvent, "accepts", accepts)
    return calls


def test_reports_are_only_compared_with_contacts_of_their_type_and_people(counted_accepts: list[int]) -> None:
    # 300 contacts between different pairs: none can take another's report
    records = [_doc(f"d{i:03}", _meeting(f"a{i}", f"b{i}", "2023-07-24")) for i in range(300)]
    merged = merge_events(records)
    assert len(merged) == 300
    assert counted_accepts[0] == 0


def test_same_people_still_merge_by_date_and_place(counted_accepts: list[int]) -> None:
    records = [
        _doc("a", _meeting("x", "y", "2023-07-24", location="location:beijing")),
        _doc("b", _meeting("y", "x", "2023-07")),  # the month agrees: the same contact
        _doc("c", _meeting("x", "y", "2023-07-24", location="location:tehran")),  # another place
        _doc("d", _meeting("x", "y", None)),  # undated: joins the first contact that fits
        _doc("e", _meeting("x", "y", "2023-07-24", kind="phone_call")),  # another type
    ]
    merged = merge_events(records)
    assert sorted(v.sources for v in merged.values()) == [["a", "b", "d"], ["c"], ["e"]]
    # full dates first: c is compared with a (another place), then b and d each join a at once;
    # the phone call is compared with nothing
    assert counted_accepts[0] == 3
