"""Dates of events: absolute and relative expressions resolved against the article's date.

Weekday names are resolved here, not by the date library: "on Sunday" in an article of Monday
21 August is Sunday 20 August, the most recent Sunday on or before the reference date (date
libraries are known to land a week off on these). Everything with a month name goes through
``dateparser``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["ResolvedDate", "resolve_date", "WEEKDAYS"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_MONTH_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date: ``value`` is ``YYYY-MM-DD`` or ``YYYY-MM``; ``text`` what the article said."""

    value: str
    text: str
    relative: bool


def _month_only(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


# "july 24", "july 24, 2023", "24 july 2023", "aug 11": the common shapes, read without dateparser
_MONTH_NUMBERS = {**{m: i + 1 for i, m in enumerate(_MONTHS)}, **{m[:3]: i + 1 for i, m in enumerate(_MONTHS)}}
_SIMPLE_DATE = re.compile(
    r"(?:(?P<m1>[a-z]+) (?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,? (?P<y1>(?:19|20)\d\d))?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)? (?P<m2>[a-z]+),?(?: (?P<y2>(?:19|20)\d\d))?)"
)


def _simple_date(cleaned: str, reference: dt.date | None) -> str | None:
    """What dateparser makes of a plain month-and-day date, about a thousand times faster;
    None when the text has another shape (dateparser then reads it)."""
    match = _SIMPLE_DATE.fullmatch(cleaned.casefold())
    if match is None:
        return None
    month = _MONTH_NUMBERS.get(match["m1"] or match["m2"])
    day, year = int(match["d1"] or match["d2"]), match["y1"] or match["y2"]
    if month is None:
        return None
    try:
        if year is not None:
            return dt.date(int(year), month, day).isoformat()
        if reference is None:
            return None
        value = dt.date(reference.year, month, day)
        if value > reference:  # dateparser's PREFER_DATES_FROM="past"
            value = dt.date(reference.year - 1, month, day)
    except ValueError:  # "February 30", "February 29" of a common year: dateparser decides
        return None
    return value.isoformat()


def _parse_absolute(text: str, reference: dt.date | None) -> str | None:
    """'July 24, 2023', 'Sept. 12, 2024', 'Aug. 11' (year from the reference, in the past)."""
    import dateparser

    cleaned = re.sub(r"\bsept\b\.?", "Sep", text, flags=re.IGNORECASE).replace(".", " ")
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    fast = _simple_date(cleaned, reference)
    if fast is not None:
        return fast
    has_year = bool(re.search(r"\b(19|20)\d\d\b", cleaned))
    has_day = bool(re.search(r"\b([0-3]?\d)(st|nd|rd|th)?\b", re.sub(r"\b(19|20)\d\d\b", "", cleaned)))
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"]}
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(reference, dt.time(23, 59))
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    if not has_year and reference is None:
        return None
    if has_day:
        return parsed.date().isoformat()
    return _month_only(parsed.year, parsed.month)


def resolve_date(text: str, reference: dt.date | None) -> ResolvedDate | None:
    """Resolve a date expression against the article's date (None when it cannot be).

    Examples
    --------
    >>> ref = dt.date(2023, 8, 21)  # a Monday
    >>> [resolve_date(t, ref).value for t in ["on Sunday", "Monday", "on July 24, 2023",
    ...     "in February of this year", "last week", "earlier this month", "Aug. 11"]]
    ['2023-08-20', '2023-08-21', '2023-07-24', '2023-02', '2023-08', '2023-08', '2023-08-11']
    >>> resolve_date("on Sept. 12, 2024", None).value
    '2024-09-12'
    >>> resolve_date("on Thursday", None) is None
    True
    """
    raw = text.strip()
    low = re.sub(r"^(on|in|at|during|since|by)\s+", "", raw.casefold()).strip(" ,.")
    low = re.sub(r"^(the\s+)", "", low)
    for index, name in enumerate(WEEKDAYS):
        if re.fullmatch(rf"(last\s+|this\s+(past\s+)?)?{name}", low):
            if reference is None:
                return None
            back = (reference.weekday() - index) % 7
            if low.startswith("last") and back == 0:
                back = 7
            return ResolvedDate((reference - dt.timedelta(days=back)).isoformat(), raw, True)
    if reference is not None:
        relative = {
            "today": reference,
            "yesterday": reference - dt.timedelta(days=1),
            "the day before yesterday": reference - dt.timedelta(days=2),
        }
        if low in relative:
            return ResolvedDate(relative[low].isoformat(), raw, True)
        if low in {"this week", "earlier this week", "earlier this month", "this month"}:
            return ResolvedDate(_month_only(reference.year, reference.month), raw, True)
        if low in {"last week", "the previous week", "past week"}:
            day = reference - dt.timedelta(days=7)
            return ResolvedDate(_month_only(day.year, day.month), raw, True)
        if low in {"last month", "the previous month", "earlier last month"}:
            return ResolvedDate(_month_only(*_shift_month(reference, -1)), raw, True)
        month = re.fullmatch(
            r"(early |late |mid-?)?(" + "|".join(_MONTHS) + r")(,)?( of)?( this| last)? year", low
        )
        if month:
            number = _MONTHS.index(month.group(2)) + 1
            year = reference.year - (1 if month.group(5) == " last" else 0)
            if month.group(5) != " last" and number > reference.month:
                year -= 1  # "in November this year" read in March cannot be ahead: last year's
            return ResolvedDate(_month_only(year, number), raw, True)
        bare_month = re.fullmatch(r"(early |late |mid-?)?(" + "|".join(_MONTHS) + r")", low)
        if bare_month:
            number = _MONTHS.index(bare_month.group(2)) + 1
            year = reference.year - (1 if number > reference.month else 0)
            return ResolvedDate(_month_only(year, number), raw, True)
    if not _MONTH_RE.search(low):
        return None
    value = _parse_absolute(low, reference)
    return ResolvedDate(value, raw, False) if value else None
