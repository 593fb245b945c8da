"""Completing an article from its own text: date, dateline, outlet, title and furniture."""

from __future__ import annotations

import dataclasses

from sources.dates import detect_dates
from sources.furniture import scan_layout, without_furniture
from sources.records import Article

__all__ = ["enrich"]


def enrich(article: Article) -> Article:
    """Return a copy of ``article`` completed from what its text says about itself.

    What the reader already knew (HTML metadata, JSONL fields) wins; the text only fills gaps:
    ``published`` and ``date_source`` (see :func:`sources.dates.detect_dates`), ``dateline``,
    ``outlet`` (when the dateline names one), ``title`` (the header line or first headline-like
    line, furniture removed). ``furniture`` is always recomputed (see
    :func:`sources.furniture.find_furniture`). ``text`` is never changed.

    Examples
    --------
    >>> art = enrich(Article(id="a", text=" date 2022-01-05 Talks Resume\\n\\nLIMA, Jan. 4 (Wire) -- Talks resumed."))
    >>> art.title, art.published, art.date_source, art.dateline, art.outlet
    ('Talks Resume', datetime.date(2022, 1, 5), 'date-line', 'LIMA', 'Wire')
    >>> art.content()[art.text.index("(Wire)"):].startswith("      ")
    True
    """
    info = detect_dates(article.text)
    layout = scan_layout(article.text, title=article.title)
    title = article.title
    if not title and layout.title_span is not None:
        title = without_furniture(article.text, layout.title_span, layout.furniture)
    published, date_source = article.published, article.date_source
    if published is None and info.published is not None:
        published, date_source = info.published, info.date_source
    return dataclasses.replace(
        article,
        title=title,
        published=published,
        date_source=date_source,
        dateline=article.dateline if article.dateline is not None else info.dateline,
        outlet=article.outlet if article.outlet is not None else info.outlet,
        furniture=layout.furniture,
    )
