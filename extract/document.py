"""Run the pipeline over articles: one :class:`~extract.records.DocumentRecord` per article."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from extract.entities import find_mentions, summarize_entities
from extract.events import find_events
from extract.relations import find_relations
from extract.errors import ExtractionError
from extract.pipeline import Pipeline
from extract.records import DocumentRecord, Sentence
from extract.text import normalize_chars
from sources.records import Article

__all__ = ["extract_articles", "extract_article", "extraction_text", "record_from_doc"]

log = logging.getLogger("diplograph.extract")


def record_from_doc(doc: Doc, article: Article, pipeline: Pipeline) -> DocumentRecord:
    """Build the record of one parsed article (``doc`` parsed from its normalized content)."""
    mentions, roles, cands = find_mentions(doc, pipeline.gazetteer, original=article.text)
    entities = summarize_entities(cands.values(), mentions, roles, pipeline.gazetteer)
    events = find_events(
        doc, mentions, doc_id=article.id, published=article.published, dateline=article.dateline
    )
    person_country = {e.id: e.country for e in entities if e.kind == "person" and e.country}
    relations = find_relations(
        doc, mentions, events, person_country=person_country,
        date=article.published.isoformat() if article.published else None,
    )
    sentences = tuple(
        Sentence(s.start_char, s.end_char, article.text[s.start_char : s.end_char].strip())
        for s in doc.sents
    )
    return DocumentRecord(
        doc_id=article.id,
        title=article.title,
        published=article.published.isoformat() if article.published else None,
        outlet=article.outlet,
        url=article.url,
        path=article.path,
        pipeline=pipeline.version,
        sentences=sentences,
        mentions=tuple(mentions),
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        roles=tuple(roles),
        events=tuple(events),
        relations=tuple(relations),
        extra={"date_source": article.date_source, "dateline": article.dateline},
    )


def extraction_text(article: Article) -> str:
    """Every text of an article extraction reads: the text the pipeline runs on (furniture
    blanked out), then its title, dateline, outlet and URL, a line each.

    Examples
    --------
    >>> extraction_text(Article("a", "Photo: Wire\\nIran met China.", title="Talks", furniture=((0, 11),)))
    '           \\nIran met China.\\nTalks'
    """
    fields = (normalize_chars(article.content()), article.title, article.dateline, article.outlet, article.url)
    return "\n".join(f for f in fields if f)


def _prepared(article: Article) -> str:
    text = normalize_chars(article.content())
    if len(text) != len(article.text):  # normalize_chars maps one character to one character
        raise ExtractionError(article.id, "text changed length while normalizing")
    return text


def extract_article(pipeline: Pipeline, article: Article) -> DocumentRecord:
    """Extract one article.

    Examples
    --------
    >>> from extract.pipeline import load_pipeline
    >>> rec = extract_article(load_pipeline("blank"), Article("d1", "Iran and China joined BRICS."))
    >>> sorted(m.entity for m in rec.mentions)
    ['country:CHN', 'country:IRN', 'organization:brics']
    """
    return record_from_doc(pipeline.nlp(_prepared(article)), article, pipeline)


def extract_articles(
    pipeline: Pipeline,
    articles: Iterable[Article],
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[DocumentRecord | ExtractionError]:
    """Extract many articles with ``nlp.pipe``; a failing article yields its error, the rest go on."""
    pairs = ((_prepared(a), a) for a in articles)
    stream = pipeline.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, article in stream:
        try:
            yield record_from_doc(doc, article, pipeline)
        except Exception as exc:  # one bad document must not end the batch
            log.warning("%s: extraction failed: %s", article.id, exc)
            yield ExtractionError(article.id, f"extraction failed: {exc}")
