from __future__ import annotations

import datetime as dt

import pytest

from extract.dates import WEEKDAYS, resolve_date

# one week of publication dates: Monday 2023-08-21 to Sunday 2023-08-27
PUBLISHED = [dt.date(2023, 8, 21) + dt.timedelta(days=n) for n in range(7)]


@pytest.mark.parametrize("published", PUBLISHED, ids=lambda d: d.strftime("%A"))
@pytest.mark.parametrize("weekday", WEEKDAYS)
def test_every_weekday_against_every_publication_weekday(published: dt.date, weekday: str) -> None:
    resolved = resolve_date(f"on {weekday.capitalize()}", published)
    assert resolved is not None and resolved.relative
    day = dt.date.fromisoformat(resolved.value)
    assert day.strftime("%A").lower() == weekday
    assert published - dt.timedelta(days=6) <= day <= published  # the past week, never a week off


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("on July 24, 2023", dt.date(2023, 7, 25), "2023-07-24"),
        ("on Sept. 12, 2024", None, "2024-09-12"),
        ("on Aug. 11", dt.date(2024, 8, 12), "2024-08-11"),
        ("Aug. 11", dt.date(2024, 1, 5), "2023-08-11"),  # no year: the past, not the future
        ("in February of this year", dt.date(2023, 7, 25), "2023-02"),
        ("in February this year", dt.date(2023, 8, 21), "2023-02"),
        ("last week", dt.date(2023, 8, 2), "2023-07"),
        ("earlier this month", dt.date(2023, 11, 20), "2023-11"),
        ("last month", dt.date(2024, 1, 10), "2023-12"),
        ("yesterday", dt.date(2024, 3, 1), "2024-02-29"),
        ("last Sunday", dt.date(2023, 8, 20), "2023-08-13"),
    ],
)
def test_expressions_resolve_against_the_article_date(text: str, published: dt.date | None, expected: str) -> None:
    resolved = resolve_date(text, published)
    assert resolved is not None
    assert resolved.value == expected
    assert resolved.text == text


@pytest.mark.parametrize("text", ["on Thursday", "last week", "earlier this month"])
def test_relative_expressions_need_a_reference(text: str) -> None:
    assert resolve_date(text, None) is None


@pytest.mark.parametrize("text", ["the two sides", "2023", "in the region"])
def test_non_dates_are_not_dates(text: str) -> None:
    assert resolve_date(text, dt.date(2023, 8, 21)) is None
