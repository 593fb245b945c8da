from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.furniture import (
    find_furniture,
    find_title,
    merge_spans,
    scan_layout,
    without_furniture,
)


def furniture_strings(text: str, title: str = "") -> list[str]:
    return [text[start:end] for start, end in find_furniture(text, title=title)]


# A scraped page in the shape of a real one: share menu, breadcrumb, title, caption with a
# credit, a "Published" line, body, a link to an unrelated story, and a comment counter.
PAGE = """\
• Live
    • Audio Only
  • google plus
  • facebook
  • twitter
News > Europe

Ruritania and Freedonia Agree to Expand Trade

  • "We want closer ties," the minister said. May 3, 2022. | Photo: Twitter/@some_reporter

Published 3 May 2022

The two countries will widen cooperation in farming and energy.

Foreign Minister Anna Berg met her Freedonian counterpart Piet Vos in Lisbon on Tuesday.

Coastal Towns Brace for Summer Storms

During the meeting, Berg said Ruritania wants a steady relationship with Freedonia.

Post with no comments.
"""


def test_page_furniture() -> None:
    assert furniture_strings(PAGE) == [
        "• Live",
        "• Audio Only",
        "• google plus",
        "• facebook",
        "• twitter",
        "News > Europe",
        "| Photo: Twitter/@some_reporter",
        "Published 3 May 2022",
        "Coastal Towns Brace for Summer Storms",
        "Post with no comments.",
    ]


def test_page_title_and_content() -> None:
    layout = scan_layout(PAGE)
    assert layout.title_span is not None
    assert PAGE[slice(*layout.title_span)] == "Ruritania and Freedonia Agree to Expand Trade"
    assert find_title(PAGE) == "Ruritania and Freedonia Agree to Expand Trade"
    content = _content(PAGE, layout.furniture)
    for kept in ("Anna Berg", "Piet Vos", "Berg said Ruritania", '"We want closer ties,"'):
        assert kept in content
    for gone in ("Audio Only", "google plus", "some_reporter", "Coastal Towns", "no comments"):
        assert gone not in content
    assert len(content) == len(PAGE)


def _content(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# A wire story in the shape of the scraper's output: header line, handle as title, dateline
# with an outlet and a date in parentheses.
WIRE = """\
 date 2022-02-03 (@SomeReporter)

OSLO, (Nordic Wire / Fjord News - 3rd Feb, 2022 ) :Norway is ready to work with Chile, said Foreign Minister Kari Lund on Wednesday.
"""


def test_wire_furniture() -> None:
    assert furniture_strings(WIRE) == [
        " date 2022-02-03",
        "(@SomeReporter)",
        "(Nordic Wire / Fjord News - 3rd Feb, 2022 )",
    ]
    assert find_title(WIRE) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LIMA, Jan. 4 (Wire) -- Talks resumed.", ["(Wire)"]),
        ("Talks resumed. [Photo/Ministry of Things]\nMore.", ["[Photo/Ministry of Things]"]),
        ("A caption line (Photo: Some Agency)\n", ["(Photo: Some Agency)"]),
        (
            "Photo: Ministers pose before the talks\nThe talks began.",
            ["Photo: Ministers pose before the talks"],
        ),
        ("File photo: the ministry\n", ["File photo: the ministry"]),
        ("By Jane Doe\nThe talks began.", ["By Jane Doe"]),
        (
            "By Jane Doe and John Roe | Staff Writers\nText.",
            ["By Jane Doe and John Roe | Staff Writers"],
        ),
        ("Follow (@Someone) for more.", ["(@Someone)"]),
        ("Write to @desk_editor today.", ["@desk_editor"]),
        ("Home » World » Asia\n", ["Home » World » Asia"]),
        ("3 Comments\n", ["3 Comments"]),
        ("Leave a reply\n", ["Leave a reply"]),
        ("  ▪ Share\n", ["▪ Share"]),
    ],
)
def test_furniture_shapes(text: str, expected: list[str]) -> None:
    assert furniture_strings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "By contrast, the talks went well and both ministers said so.",
        "By Monday the envoys had left Geneva for the capital.",
        "Prices rose > 5% while the talks went on.",
        "The photo: a handshake that the ministers hoped would end the dispute.",
        "• The minister of Ruritania met the envoy of Freedonia on Tuesday.",
        "• Ruritania backs talks.",
        "Write to desk@example.org for a copy of the statement.",
        "Minister Anna Berg met Piet Vos.\n\nBerg Meets Vos",
        "The comments were welcomed by both sides.",
    ],
)
def test_real_sentences_stay_content(text: str) -> None:
    assert find_furniture(text) == ()


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # The known title's line stays, other headline-like lines go, wherever they are.
        (
            "Envoys Meet in Geneva\nThe envoys met in Geneva today.\nMarkets Rally on Trade Hopes",
            "Envoys Meet in Geneva",
            ["Markets Rally on Trade Hopes"],
        ),
        # Without a title: the first headline-like line before the body is the title.
        (
            "Envoys Meet in Geneva\nThe envoys met in Geneva today.\nMarkets Rally on Trade Hopes",
            "",
            ["Markets Rally on Trade Hopes"],
        ),
        # Without any title line, headline-like lines after the first sentence are links.
        (
            "The envoys met in Geneva today.\nMarkets Rally on Trade Hopes",
            "",
            ["Markets Rally on Trade Hopes"],
        ),
        # Short lines of one to three words are not taken for headlines.
        ("Envoys Meet in Geneva\nThe envoys met in Geneva today.\nAnna Berg", "", []),
        # A line ending in punctuation is a sentence, not a headline.
        (
            "Envoys Meet in Geneva\nThe envoys met in Geneva today.\nBoth Sides Were Pleased.",
            "",
            [],
        ),
    ],
)
def test_headline_links(text: str, title: str, expected: list[str]) -> None:
    assert furniture_strings(text, title) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Envoys agree on a water plan\n\nThe envoys agreed on a plan today.",
            "Envoys agree on a water plan",
        ),
        (
            "Published 3 May 2022\n\nEnvoys agree on a water plan\n\nThey agreed today.",
            "Envoys agree on a water plan",
        ),
        # Not a title: no blank line after it, or punctuated, or after the body began.
        ("Envoys agree on a water plan\nThe envoys agreed on a plan today.", ""),
        ("Envoys agree on a water plan.\n\nThe envoys agreed on a plan today.", ""),
        ("The envoys agreed on a plan today.\n\nEnvoys agree on a water plan\n\nMore.", ""),
    ],
)
def test_sentence_case_title(text: str, title: str) -> None:
    assert find_title(text) == title
    assert title == "" or title not in [text[s:e] for s, e in find_furniture(text)]


def test_merge_spans() -> None:
    assert merge_spans([(4, 6), (0, 2), (1, 3), (3, 3)]) == ((0, 3), (4, 6))


def test_without_furniture() -> None:
    assert without_furniture("A (@x) B", (0, 8), ((2, 6),)) == "A B"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AB.,:-•>|@()[]/\n\t1920")), max_size=200))
def test_ranges_are_sorted_disjoint_and_inside_the_text(text: str) -> None:
    spans = find_furniture(text)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    "teaser",
    [
        "ALSO READ: Monsoon rains flood low-lying districts of a port city",
        "Trending: Temples brace for the spring tourist rush",
        "Related: Ministers to meet again next month",
        "Read more: What the grain corridor means for prices",
    ],
)
def test_teaser_lines_for_other_stories_are_furniture(teaser: str) -> None:
    text = f"The ministers met in the capital on Monday.\n\n{teaser}\n\nThey agreed to meet again."
    ranges = find_furniture(text)
    start = text.index(teaser)
    assert any(s <= start and start + len(teaser) <= e for s, e in ranges)
    assert "ministers met" in text[: ranges[0][0]]
