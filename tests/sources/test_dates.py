from __future__ import annotations

import datetime as dt

import pytest

from sources.dates import (
    detect_dates,
    find_date_line,
    find_dateline,
    find_published_line,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 25, 2023", dt.date(2023, 7, 25)),
        ("21st Aug, 2023", dt.date(2023, 8, 21)),
        ("24 July 2023", dt.date(2023, 7, 24)),
        ("Sept. 12, 2024", dt.date(2024, 9, 12)),
        ("2023-07-24T10:00:00Z", dt.date(2023, 7, 24)),
        ("Aug. 11", None),
        ("Monday", None),
        ("not a date", None),
        ("Feb. 30, 2023", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_parse_date_takes_year_only_when_missing() -> None:
    assert parse_date("Aug. 11", year=2019) == dt.date(2019, 8, 11)
    assert parse_date("Aug. 11, 2020", year=2019) == dt.date(2020, 8, 11)


@pytest.mark.parametrize(
    ("text", "published", "title"),
    [
        (
            " date 2021-03-04 Envoys Meet in Geneva\n\nBody.",
            dt.date(2021, 3, 4),
            "Envoys Meet in Geneva",
        ),
        ("date 2021-03-04\nBody.", dt.date(2021, 3, 4), ""),
        (" date 2021-13-04 Bad Month\n", None, None),
        ("Body first.\n date 2021-03-04 Too Late\n", None, None),
    ],
)
def test_date_line(text: str, published: dt.date | None, title: str | None) -> None:
    line = find_date_line(text)
    if published is None:
        assert line is None
    else:
        assert line is not None
        assert (line.published, line.title) == (published, title)
        assert text[slice(*line.title_span)] == title
        assert text[slice(*line.marker)].strip() == f"date {published.isoformat()}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline Here\n\nPublished 9 March 2022\n\nBody.", dt.date(2022, 3, 9)),
        ("Posted: Mar 9, 2022 10:31 GMT\nBody.", dt.date(2022, 3, 9)),
        ("Published on March 9, 2022\n", dt.date(2022, 3, 9)),
        ("Published by the foreign ministry.\n", None),
        ("The statement was published 9 March 2022 in the gazette.\n", None),
    ],
)
def test_published_line(text: str, expected: dt.date | None) -> None:
    line = find_published_line(text)
    assert (line.published if line else None) == expected


@pytest.mark.parametrize(
    ("text", "place", "published", "outlet", "month_day"),
    [
        (
            "LIMA, Jan. 4 (Wire) -- Talks, halted on Dec. 2, 2022, resumed.",
            "LIMA",
            dt.date(2022, 1, 4),
            "Wire",
            (1, 4),
        ),
        ("LIMA, Jan. 4 (Wire) -- Talks resumed.", "LIMA", None, "Wire", (1, 4)),
        (
            "OSLO, (Agency Net / Nordic Wire - 3rd Feb, 2021 ) :Talks.",
            "OSLO",
            dt.date(2021, 2, 3),
            "Agency Net / Nordic Wire",
            (2, 3),
        ),
        ("March 9, 2022 – The ministers met.", None, dt.date(2022, 3, 9), None, (3, 9)),
        ("NEW DELHI, India (Wire) — The ministers met.", "NEW DELHI", None, "Wire", None),
        (
            "Headline\n\nST. PETERSBURG, May 2 -- They met, as on 1 May 2020.",
            "ST. PETERSBURG",
            dt.date(2020, 5, 2),
            None,
            (5, 2),
        ),
    ],
)
def test_dateline(
    text: str,
    place: str | None,
    published: dt.date | None,
    outlet: str | None,
    month_day: tuple[int, int] | None,
) -> None:
    line = find_dateline(text)
    assert line is not None
    assert (line.place, line.published, line.outlet, line.month_day) == (
        place,
        published,
        outlet,
        month_day,
    )
    if outlet is not None:
        assert line.outlet_span is not None
        assert outlet in text[slice(*line.outlet_span)]


@pytest.mark.parametrize(
    "text",
    [
        "The ministers met on Monday.",
        "NATO - an alliance - met.",
        "Iran: talks resume.",
        "Wang said he would visit.",
        "\n".join(["Line one is long."] * 7) + "\nLIMA, Jan. 4 (Wire) -- Too far down.",
    ],
)
def test_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "LIMA, Jan. 4 (Wire) -- Talks resumed after the clashes of June 2020.",
        "LIMA, Jan. 4 (Wire) -- Talks resumed, with a deal due by 2027.",
    ],
)
def test_dateline_year_not_taken_from_a_bare_year(text: str) -> None:
    line = find_dateline(text)
    assert line is not None
    assert (line.published, line.month_day) == (None, (1, 4))


def test_dateline_year_from_argument() -> None:
    line = find_dateline("LIMA, Jan. 4 (Wire) -- Talks resumed in 1999.", year=2022)
    assert line is not None and line.published == dt.date(2022, 1, 4)


@pytest.mark.parametrize(
    ("text", "published", "source", "title", "dateline", "outlet"),
    [
        (
            " date 2022-01-05 Talks Resume\n\nLIMA, Jan. 4 (Wire) -- Talks resumed.",
            dt.date(2022, 1, 5),
            "date-line",
            "Talks Resume",
            "LIMA",
            "Wire",
        ),
        (
            "Talks Resume Again\n\nPublished 6 January 2022\n\nLIMA, Jan. 4 (Wire) -- Talks resumed.",
            dt.date(2022, 1, 6),
            "published",
            None,
            "LIMA",
            "Wire",
        ),
        (
            "Talks Resume\n\nJanuary 4, 2022 – Talks resumed.",
            dt.date(2022, 1, 4),
            "dateline",
            None,
            None,
            None,
        ),
        (
            "LIMA, Jan. 4 (Wire) -- Talks resumed, as promised on 2021-01-02.",
            dt.date(2021, 1, 4),
            "dateline",
            None,
            "LIMA",
            "Wire",
        ),
        ("LIMA, Jan. 4 (Wire) -- Talks resumed.", None, None, None, "LIMA", "Wire"),
        ("Talks resumed on Tuesday.", None, None, None, None, None),
    ],
)
def test_detect_dates(
    text: str,
    published: dt.date | None,
    source: str | None,
    title: str | None,
    dateline: str | None,
    outlet: str | None,
) -> None:
    info = detect_dates(text)
    assert (info.published, info.date_source, info.title, info.dateline, info.outlet) == (
        published,
        source,
        title,
        dateline,
        outlet,
    )
