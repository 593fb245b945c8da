"""Publication date, dateline place and outlet, found in an article's own text."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from dateutil import parser as dateutil_parser

__all__ = [
    "DateInfo",
    "DateLine",
    "DateSource",
    "Dateline",
    "PublishedLine",
    "detect_dates",
    "find_date_line",
    "find_dateline",
    "find_published_line",
    "parse_date",
]

DateSource = Literal["date-line", "published", "dateline", "html", "jsonl"]

Span = tuple[int, int]

# " date 2023-07-25 Title of the piece" as the first line (the scraper's header).
_DATE_LINE = re.compile(r"\A[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})\b[ \t]*(?P<title>[^\n]*)")

# "Published 24 July 2023" (or "Posted: Jul 24, 2023 10:31 GMT") on a line of its own.
_PUBLISHED_LINE = re.compile(
    r"^[ \t]*(?:Published|Posted|Publication[ ]date)(?:[ ]on)?[ \t]*:?[ \t]+(?P<date>[^\n]{4,60}?)[ \t]*$",
    re.MULTILINE,
)

# A written date as datelines carry it: "Aug. 11", "July 25, 2023", "21st Aug, 2023", "12 May".
# Only the shape is matched here; dateutil decides whether it is a date.
_WRITTEN_DATE = (
    r"(?:[A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:st|nd|rd|th)?(?:,?[ ]\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?[ ][A-Z][a-z]{2,8}\.?(?:,?[ ]\d{4})?)"
)

# The opening of a paragraph: "BEIJING, Aug. 11 (Xinhua) --", "TEHRAN, Iran (AP) —",
# "BEIJING, (UrduPoint / Pakistan Point News - 21st Aug, 2023 ) :", "July 25, 2023 –".
_DATELINE = re.compile(
    rf"""
    ^[ \t]*
    (?:(?P<place>[A-Z][A-Z'.\-]{{2,}}(?:[ ][A-Z][A-Z'.\-]+){{0,3}})
       (?:,[ ](?P<region>[A-Z][a-z]+(?:[ ][A-Z][a-z]+){{0,2}}))?
       ,?[ ]*)?
    (?P<date>{_WRITTEN_DATE})?
    [ ]*
    (?P<paren>\((?P<inner>[^()\n]{{1,80}})\))?
    [ ]*
    (?P<sep>--|—|–|-|:)
    """,
    re.MULTILINE | re.VERBOSE,
)

# A full date elsewhere in the text ("on July 24, 2023", "2023-07-24"): where a dateline without
# a year takes its year from. A bare year ("since 2020") says too little to be used.
_FULL_DATE = re.compile(
    r"\b(?:[A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:st|nd|rd|th)?,?[ ]\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?[ ][A-Z][a-z]{2,8}\.?,?[ ]\d{4}"
    r"|\d{4}-\d{2}-\d{2})\b"
)

# How many non-blank lines from the top a dateline may open.
_DATELINE_LINES = 6


@dataclass(frozen=True)
class DateLine:
    """The scraper's header line `` date YYYY-MM-DD Title``: its date marker and its title."""

    published: dt.date
    marker: Span
    title: str
    title_span: Span


@dataclass(frozen=True)
class PublishedLine:
    """A ``Published 24 July 2023`` line."""

    published: dt.date
    span: Span


@dataclass(frozen=True)
class Dateline:
    """The dateline opening a paragraph (``BEIJING, Aug. 11 (Xinhua) --``).

    ``published`` is None when the dateline has no date or no year could be found for it;
    ``month_day`` then still holds what it said. ``outlet_span`` is the parenthesis naming the
    outlet, page furniture rather than content.
    """

    span: Span
    place: str | None = None
    published: dt.date | None = None
    month_day: tuple[int, int] | None = None
    outlet: str | None = None
    outlet_span: Span | None = None


@dataclass(frozen=True)
class DateInfo:
    """What the text says about itself: publication date and where it came from, title, dateline."""

    published: dt.date | None = None
    date_source: DateSource | None = None
    title: str | None = None
    title_span: Span | None = None
    dateline: str | None = None
    outlet: str | None = None


def parse_date(text: str, *, year: int | None = None, fuzzy: bool = False) -> dt.date | None:
    """Parse a written date with dateutil; None unless it names a month, a day and a year.

    Parameters
    ----------
    text : str
        ``"July 25, 2023"``, ``"21st Aug, 2023"``, ``"2023-07-25T10:00Z"``, ``"Aug. 11"``...
    year : int, optional
        The year to use when ``text`` has none.
    fuzzy : bool, optional
        Let dateutil skip words that are not part of the date ("10:31 GMT | Updated").

    Examples
    --------
    >>> parse_date("21st Aug, 2023")
    datetime.date(2023, 8, 21)
    >>> parse_date("Aug. 11") is None
    True
    >>> parse_date("Aug. 11", year=2024)
    datetime.date(2024, 8, 11)
    >>> parse_date("Monday", year=2024) is None
    True
    """
    parsed = _parse_parts(text, fuzzy=fuzzy)
    if parsed is None:
        return None
    found_year, month, day = parsed
    if found_year is None:
        found_year = year
    if found_year is None:
        return None
    try:
        return dt.date(found_year, month, day)
    except ValueError:
        return None


@functools.lru_cache(maxsize=8192)
def _parse_parts(text: str, *, fuzzy: bool = False) -> tuple[int | None, int, int] | None:
    """(year or None, month, day), or None when ``text`` lacks a month or a day.

    Cached: a corpus repeats its dates (every article of a day has the same ``Published``
    line), and dateutil was a third of the time spent reading a file.
    """
    # Parsing against two different defaults shows which parts the text itself supplied.
    try:
        first = dateutil_parser.parse(text, default=dt.datetime(2000, 1, 1), fuzzy=fuzzy)
        second = dateutil_parser.parse(text, default=dt.datetime(2001, 2, 2), fuzzy=fuzzy)
    except (ValueError, OverflowError):
        return None
    if first.month != second.month or first.day != second.day:
        return None
    return (first.year if first.year == second.year else None), first.month, first.day


def find_date_line(text: str) -> DateLine | None:
    """The `` date YYYY-MM-DD Title`` header on the first line, if the text opens with one.

    Examples
    --------
    >>> line = find_date_line(" date 2021-03-04 Envoys Meet in Geneva\\n\\nBody.")
    >>> line.published, line.title, line.marker
    (datetime.date(2021, 3, 4), 'Envoys Meet in Geneva', (0, 16))
    >>> find_date_line("No header here.") is None
    True
    """
    match = _DATE_LINE.match(text)
    if match is None:
        return None
    try:
        published = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    title = match["title"].rstrip()
    start = match.start("title")
    return DateLine(
        published, (match.start(), match.end("date")), title, (start, start + len(title))
    )


def find_published_line(text: str) -> PublishedLine | None:
    """The first ``Published 24 July 2023`` line whose date parses, if any.

    Examples
    --------
    >>> find_published_line("Title\\n\\nPublished 24 July 2021\\n\\nBody.").published
    datetime.date(2021, 7, 24)
    >>> find_published_line("Published by the ministry.") is None
    True
    """
    for match in _PUBLISHED_LINE.finditer(text):
        published = parse_date(match["date"], fuzzy=True)
        if published is not None:
            return PublishedLine(published, (match.start(), match.end()))
    return None


def find_dateline(text: str, *, year: int | None = None) -> Dateline | None:
    """The dateline opening one of the first paragraphs, if any.

    Parameters
    ----------
    text : str
        The article text.
    year : int, optional
        The year for a dateline that gives none ("Aug. 11"); without it, the year of the first
        full date written elsewhere in the text ("July 24, 2023") is used, and failing that
        ``published`` stays None (a bare year such as "since 2020" is not used).

    Examples
    --------
    >>> line = find_dateline("ROME, May 3 (Agency) -- The envoy, here since May 1, 2021, met him.")
    >>> line.place, line.published, line.outlet
    ('ROME', datetime.date(2021, 5, 3), 'Agency')
    >>> find_dateline("LIMA, (Wire Service - 2nd Feb, 2020 ) : Talks began.").published
    datetime.date(2020, 2, 2)
    >>> find_dateline("March 9, 2022 – Ministers met.").place is None
    True
    >>> find_dateline("The ministers met on Monday.") is None
    True
    """
    for match in _candidate_datelines(text):
        dateline = _read_dateline(match, text, year)
        if dateline is not None:
            return dateline
    return None


def _candidate_datelines(text: str) -> list[re.Match[str]]:
    matches = []
    offset = 0
    seen = 0
    for line in text.split("\n"):
        if line.strip():
            seen += 1
            match = _DATELINE.match(text, offset, offset + len(line))
            if match is not None:
                matches.append(match)
            if seen >= _DATELINE_LINES:
                break
        offset += len(line) + 1
    return matches


def _read_dateline(match: re.Match[str], text: str, year: int | None) -> Dateline | None:
    place, written, inner, sep = match["place"], match["date"], match["inner"], match["sep"]
    outlet: str | None = None
    if inner is not None:
        outlet, _, after = inner.rpartition(" - ")
        if outlet and _parse_parts(after.strip()) is not None:
            written = written or after.strip()
            outlet = outlet.strip()
        elif _parse_parts(inner.strip()) is not None:
            written, outlet = written or inner.strip(), None
        else:
            outlet = inner.strip()
    parts = _parse_parts(written) if written else None
    if written and parts is None:
        return None
    if place is None and parts is None:
        return None
    if place is not None and parts is None and inner is None and sep not in ("--", "—", "–"):
        return None  # "NATO - ..." is too weak a sign on its own
    published: dt.date | None = None
    month_day: tuple[int, int] | None = None
    if parts is not None:
        found_year, month, day = parts
        month_day = (month, day)
        if found_year is None:
            found_year = year if year is not None else _first_year(text, match.span())
        if found_year is not None:
            try:
                published = dt.date(found_year, month, day)
            except ValueError:
                published = None
    outlet_span = match.span("paren") if inner is not None else None
    return Dateline(match.span(), place, published, month_day, outlet, outlet_span)


def _first_year(text: str, skip: Span) -> int | None:
    """The year of the first full date in ``text`` outside ``skip``."""
    for found in _FULL_DATE.finditer(text):
        if not skip[0] <= found.start() < skip[1]:
            parsed = parse_date(found.group())
            if parsed is not None:
                return parsed.year
    return None


def detect_dates(text: str) -> DateInfo:
    """Publication date, title, dateline place and outlet, from the article text alone.

    The date comes from the first of: the `` date YYYY-MM-DD`` header line (``date_source``
    ``"date-line"``, whose rest is the title), a ``Published ...`` line (``"published"``), the
    dateline opening a paragraph (``"dateline"``; a dateline without a year takes it from the
    header or another full date in the text).

    Examples
    --------
    >>> info = detect_dates(" date 2022-01-05 Talks Resume\\n\\nLIMA, Jan. 4 (Wire) -- Talks resumed.")
    >>> info.published, info.date_source, info.title, info.dateline, info.outlet
    (datetime.date(2022, 1, 5), 'date-line', 'Talks Resume', 'LIMA', 'Wire')
    >>> detect_dates("July 9, 2020 – The envoys met.").date_source
    'dateline'
    >>> detect_dates("Nothing to see.").published is None
    True
    """
    header = find_date_line(text)
    published_line = find_published_line(text)
    known = header.published if header else published_line.published if published_line else None
    dateline = find_dateline(text, year=known.year if known else None)
    published: dt.date | None = None
    source: DateSource | None = None
    if header is not None:
        published, source = header.published, "date-line"
    elif published_line is not None:
        published, source = published_line.published, "published"
    elif dateline is not None and dateline.published is not None:
        published, source = dateline.published, "dateline"
    return DateInfo(
        published=published,
        date_source=source,
        title=header.title if header else None,
        title_span=header.title_span if header else None,
        dateline=dateline.place if dateline else None,
        outlet=dateline.outlet if dateline else None,
    )
