"""extract.document: one record per article; a failing article is reported and the rest go on."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

import extract.document as document
from extract.document import extract_article, extract_articles
from extract.errors import ExtractionError
from extract.pipeline import Pipeline
from extract.records import DocumentRecord
from sources.records import Article


@pytest.fixture
def articles() -> list[Article]:
    return [
        Article("one", "Iran and China joined BRICS.", title="One"),
        Article("two", "The WHO met in Geneva with Qatari officials.", title="Two"),
        Article("three", "Saudi and Iranian envoys met in Beijing.", title="Three"),
    ]


def test_extract_article_fills_the_record(blank_pipeline: Pipeline) -> None:
    article = Article(
        "d1",
        "Iran spoke. China\u2019s envoy listened.",
        title="Talks",
        published=dt.date(2024, 9, 12),
        outlet="Wire",
        url="https://example.org/d1",
        path="/in/d1.txt",
        date_source="published",
        dateline="BEIJING",
    )
    rec = extract_article(blank_pipeline, article)
    assert (rec.doc_id, rec.title, rec.published, rec.outlet, rec.url, rec.path) == (
        "d1", "Talks", "2024-09-12", "Wire", "https://example.org/d1", "/in/d1.txt",
    )
    assert rec.pipeline == blank_pipeline.version
    assert [(s.start, s.end, s.text) for s in rec.sentences] == [
        (0, 11, "Iran spoke."),
        (12, 35, "China\u2019s envoy listened."),
    ]
    assert [(m.text, m.entity, m.sentence) for m in rec.mentions] == [
        ("Iran", "country:IRN", 0),
        ("China", "country:CHN", 1),
    ]
    assert [e.id for e in rec.entities] == ["country:CHN", "country:IRN"]
    assert rec.extra == {"date_source": "published", "dateline": "BEIJING"}


def test_record_round_trips_through_json(blank_pipeline: Pipeline) -> None:
    rec = extract_article(blank_pipeline, Article("d1", "Iran and the UN met in Doha."))
    assert DocumentRecord.from_json(rec.to_json()) == rec


def test_extract_articles_yields_one_record_per_article(
    blank_pipeline: Pipeline, articles: list[Article]
) -> None:
    out = list(extract_articles(blank_pipeline, articles, batch_size=2))
    assert all(isinstance(r, DocumentRecord) for r in out)
    assert [r.doc_id for r in out] == ["one", "two", "three"]  # type: ignore[union-attr]
    assert out[0].mentions == extract_article(blank_pipeline, articles[0]).mentions  # type: ignore[union-attr]


def test_a_failing_article_is_reported_and_the_rest_go_on(
    blank_pipeline: Pipeline,
    articles: list[Article],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = document.record_from_doc

    def flaky(doc, article, pipeline):  # type: ignore[no-untyped-def]
        if article.id == "two":
            raise ValueError("boom")
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", flaky)
    with caplog.at_level(logging.WARNING, logger="diplograph.extract"):
        out = list(extract_articles(blank_pipeline, articles))
    assert [type(r).__name__ for r in out] == ["DocumentRecord", "ExtractionError", "DocumentRecord"]
    error = out[1]
    assert isinstance(error, ExtractionError)
    assert error.doc_id == "two"
    assert "boom" in error.reason
    assert str(error).startswith("two: ")
    assert [r.doc_id for r in out] == ["one", "two", "three"]
    assert any("two" in rec.getMessage() and "boom" in rec.getMessage() for rec in caplog.records)


def test_furniture_is_blanked_before_parsing(blank_pipeline: Pipeline) -> None:
    text = "Share on BRICS TV\nIran spoke."
    rec = extract_article(blank_pipeline, Article("d", text, furniture=((0, 17),)))
    assert [m.entity for m in rec.mentions] == ["country:IRN"]
    assert rec.mentions[0].start == text.index("Iran")


def test_extraction_error_is_a_runtime_error() -> None:
    error = ExtractionError("doc-7", "no text")
    assert isinstance(error, RuntimeError)
    assert (error.doc_id, error.reason, str(error)) == ("doc-7", "no text", "doc-7: no text")
