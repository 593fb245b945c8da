from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from sources.jsonl import read_jsonl
from sources.records import Article, Skipped


def test_fields() -> None:
    record = {
        "id": "talks-1",
        "text": "The envoys met in Geneva.",
        "title": "Envoys Meet",
        "published": "2021-05-06",
        "outlet": "Example Wire",
        "url": "https://example.org/talks-1",
    }
    [article] = read_jsonl(json.dumps(record), path="feed.jsonl")
    assert isinstance(article, Article)
    assert (article.id, article.text, article.title) == (
        "talks-1",
        "The envoys met in Geneva.",
        "Envoys Meet",
    )
    assert (article.published, article.date_source) == (dt.date(2021, 5, 6), "jsonl")
    assert (article.outlet, article.url) == ("Example Wire", "https://example.org/talks-1")
    assert (article.path, article.line) == ("feed.jsonl", 1)


@pytest.mark.parametrize(
    ("extra", "published", "outlet"),
    [
        ({"date": "2021-05-06T08:00:00Z", "source": "Wire"}, dt.date(2021, 5, 6), "Wire"),
        ({"published": "2021-05-06", "date": "1999-01-01"}, dt.date(2021, 5, 6), None),
    ],
)
def test_alternative_field_names(
    extra: dict[str, str], published: dt.date, outlet: str | None
) -> None:
    [article] = read_jsonl(json.dumps({"id": "a", "text": "Envoys met.", **extra}))
    assert isinstance(article, Article)
    assert (article.published, article.outlet) == (published, outlet)


def test_text_fills_what_the_record_lacks() -> None:
    text = "LIMA, Jan. 4 (Wire) -- Talks, halted on Dec. 2, 2021, resumed."
    [article] = read_jsonl(json.dumps({"id": "a", "text": text}))
    assert isinstance(article, Article)
    assert (article.published, article.date_source, article.dateline, article.outlet) == (
        dt.date(2021, 1, 4),
        "dateline",
        "LIMA",
        "Wire",
    )
    assert "Wire" not in article.content()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "b", "text": ', "bad JSON: Expecting value at column 21"),
        ("not json at all", "bad JSON: Expecting value at column 1"),
        ('["b", "Envoys met."]', "bad record: expected a JSON object, got array"),
        ('{"text": "Envoys met."}', "missing id"),
        ('{"id": 7.5, "text": "Envoys met."}', "bad id: expected a string or an integer, got float"),
        ('{"id": [7], "text": "Envoys met."}', "bad id: expected a string or an integer, got array"),
        ('{"id": {"n": 7}, "text": "Envoys met."}', "bad id: expected a string or an integer, got object"),
        ('{"id": true, "text": "Envoys met."}', "bad id: expected a string or an integer, got boolean"),
        ('{"id": null, "text": "Envoys met."}', "bad id: expected a string or an integer, got null"),
        ('{"id": " ", "text": "Envoys met."}', "empty id"),
        ('{"id": "b"}', "missing text"),
        ('{"id": "b", "text": ""}', "empty text"),
        ('{"id": "b", "text": "  \\n "}', "empty text"),
        ('{"id": "b", "text": ["Envoys met."]}', "bad text: expected a string, got array"),
    ],
)
def test_bad_line_is_skipped_and_others_read(line: str, reason: str) -> None:
    good = '{"id": "a", "text": "Envoys met."}'
    results = list(
        read_jsonl(f"{good}\n{line}\n\n{good.replace('a', 'c', 1)}\n", path="in/feed.jsonl")
    )
    assert [r.id for r in results if isinstance(r, Article)] == ["a", "c"]
    assert [r.line for r in results if isinstance(r, Article)] == [1, 4]
    [skipped] = [r for r in results if isinstance(r, Skipped)]
    assert skipped == Skipped("in/feed.jsonl", reason, 2)
    assert str(skipped) == f"in/feed.jsonl:2: {reason}"


@pytest.mark.parametrize(
    ("extra", "warned"),
    [
        ({"published": "last Tuesday"}, "published"),
        ({"published": 20210506}, "published"),
        ({"title": 5}, "title"),
        ({"url": ""}, "url"),
    ],
)
def test_bad_optional_field_is_ignored_with_a_warning(
    extra: dict[str, object], warned: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        [article] = read_jsonl(
            json.dumps({"id": "a", "text": "Envoys met.", **extra}), path="f.jsonl"
        )
    assert isinstance(article, Article)
    assert article.published is None
    assert any(r.getMessage().startswith(f"f.jsonl:1: ignoring {warned}") for r in caplog.records)
