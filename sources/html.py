"""Reading an HTML page: main text and metadata by trafilatura."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
import os
from configparser import ConfigParser

import lxml.etree
import trafilatura
import trafilatura.settings
import trafilatura.utils

from sources.enrich import enrich
from sources.errors import ArticleReadError
from sources.records import Article
from sources.text import clean_text

__all__ = ["MIN_TEXT_CHARS", "read_html"]

_LOG = logging.getLogger("diplograph.sources")

# Shorter extractions are menus or captions, not articles (trafilatura's MIN_OUTPUT_SIZE).
MIN_TEXT_CHARS = 40

# Dates from the page's metadata only: htmldate's extensive search turns a bare "2022" in the
# text into 2022-01-01; dates written in the text are read by sources.dates instead.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def read_html(html: str, *, doc_id: str, path: str | os.PathLike[str] = "") -> Article:
    """Extract the article from an HTML page.

    The main text is trafilatura's (comments left out); ``title``, ``published``
    (``date_source`` ``"html"``), ``outlet`` (the site name) and ``url`` come from the page's
    metadata, and what is missing there is looked for in the text (see
    :func:`sources.enrich.enrich`).

    Parameters
    ----------
    html : str
        The page's markup.
    doc_id : str
        The document id, normally the file name without its extension.
    path : str or os.PathLike, optional
        Where the page was read from; recorded on the article and named in errors.

    Raises
    ------
    ArticleReadError
        ``"no main text"`` when trafilatura keeps fewer than :data:`MIN_TEXT_CHARS` characters
        (a page of scripts, styles, iframes and menus), ``"unparsable HTML: ..."`` when it fails
        on the markup.

    Examples
    --------
    >>> page = ('<html><head><title>Envoys Meet</title></head><body><article><p>The two envoys met '
    ...         'in Geneva on Tuesday for talks about water sharing and border trade.</p>'
    ...         '</article></body></html>')
    >>> article = read_html(page, doc_id="envoys")
    >>> article.title, article.text.endswith("border trade.")
    ('Envoys Meet', True)
    """
    document = _extract(html, path)
    text = clean_text(getattr(document, "text", None) or "")
    if not text.strip():
        raise ArticleReadError(path, "no main text")
    published = _date(_field(document, "date"))
    article = Article(
        id=doc_id,
        text=text,
        title=_field(document, "title") or "",
        published=published,
        date_source="html" if published is not None else None,
        outlet=_field(document, "sitename"),
        url=_field(document, "url"),
        path=os.fspath(path),
    )
    return enrich(article)


def _extract(html: str, path: str | os.PathLike[str]) -> object:
    """trafilatura's document; its metadata left out when the metadata extractors fail."""
    try:
        return trafilatura.bare_extraction(
            _without_embeds(html),
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
            config=_config(),
        )
    except Exception as error:  # htmldate and lxml assert on some broken trees ("<svg><html>")
        _LOG.info("%s: page metadata unreadable (%r); reading the text alone", path, error)
    try:
        return trafilatura.bare_extraction(
            _without_embeds(html), with_metadata=False, include_comments=False, config=_config()
        )
    except Exception as error:
        raise ArticleReadError(path, f"unparsable HTML: {error!r}") from None


# Elements whose content is never the article: trafilatura's fallback extractors keep the text
# of iframes ("Your browser does not support iframes") and noscript blocks otherwise.
_EMBEDS = ("script", "style", "iframe", "noscript", "template", "object", "embed", "frameset")


def _without_embeds(html: str) -> object:
    """The parsed page without scripts, styles, iframes and the like (``html`` if unparsable)."""
    tree = trafilatura.utils.load_html(html)
    if tree is None:
        return html
    lxml.etree.strip_elements(tree, *_EMBEDS, with_tail=False)
    return tree


@functools.cache
def _config() -> ConfigParser:
    config = copy.deepcopy(trafilatura.settings.DEFAULT_CONFIG)
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_TEXT_CHARS))
    return config


def _field(document: object, name: str) -> str | None:
    value = getattr(document, name, None)
    return value.strip() or None if isinstance(value, str) else None


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
