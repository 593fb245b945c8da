from __future__ import annotations

import datetime as dt

import pytest

from sources.enrich import enrich
from sources.records import Article


def test_fills_gaps_from_text() -> None:
    text = " date 2022-01-05 Talks Resume (@wire_desk)\n\nLIMA, Jan. 4 (Wire) -- Talks resumed."
    article = enrich(Article(id="a", text=text))
    assert article.text == text
    assert (article.title, article.published, article.date_source) == (
        "Talks Resume",
        dt.date(2022, 1, 5),
        "date-line",
    )
    assert (article.dateline, article.outlet) == ("LIMA", "Wire")
    assert [text[start:end] for start, end in article.furniture] == [
        " date 2022-01-05",
        "(@wire_desk)",
        "(Wire)",
    ]


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        ({"title": "Given Title"}, {"title": "Given Title"}),
        (
            {"published": dt.date(2000, 1, 1), "date_source": "jsonl"},
            {"published": dt.date(2000, 1, 1), "date_source": "jsonl"},
        ),
        ({"outlet": "Given Outlet"}, {"outlet": "Given Outlet"}),
        ({"dateline": "Given Place"}, {"dateline": "Given Place"}),
    ],
)
def test_known_fields_win(known: dict[str, object], expected: dict[str, object]) -> None:
    text = " date 2022-01-05 Talks Resume\n\nLIMA, Jan. 4 (Wire) -- Talks resumed."
    article = enrich(Article(id="a", text=text, **known))  # type: ignore[arg-type]
    for name, value in expected.items():
        assert getattr(article, name) == value


def test_is_idempotent() -> None:
    text = "• share\nTalks Resume in Lima\n\nLIMA, Jan. 4 (Wire) -- Talks resumed in 2022.\n\nOther Story Gets a Link"
    once = enrich(Article(id="a", text=text))
    assert enrich(once) == once
    assert once.title == "Talks Resume in Lima"
    assert "Other Story" not in once.content()
