"""extract.records: records read back from JSON hold each repeated id once."""

from __future__ import annotations

import json

from extract.records import DocumentRecord, Mention, Relation


def test_ids_read_back_from_json_are_shared_not_copied() -> None:
    rec = DocumentRecord(
        "d1",
        mentions=(Mention(0, 4, "Iran", "country", "country:IRN"), Mention(9, 13, "Iran", "country", "country:IRN")),
        relations=(Relation("country:CHN", "supports", "country:IRN", 0, date="2023-07-24"),),
    )
    # two separate decodings, as two documents read from the store would be
    a = DocumentRecord.from_json(json.loads(json.dumps(rec.to_json())))
    b = DocumentRecord.from_json(json.loads(json.dumps(rec.to_json())))
    assert a == b == rec
    assert a.mentions[0].entity is b.mentions[1].entity is a.relations[0].object
    assert a.mentions[0].kind is b.mentions[0].kind
    assert a.relations[0].date is b.relations[0].date
