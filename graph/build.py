"""Assemble the knowledge graph from extraction records, and run the whole build."""
from __future__ import annotations

import gc
import hashlib
import itertools
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx
import orjson

from extract.errors import ExtractionError
from extract.linking import LinkedEntity, link_records
from extract.pipeline import Pipeline
from extract.records import DocumentRecord
from graph._fork import Standby, WorkShare, run_forked
from graph._gc import collector_paused
from graph._fragments import Fragments, fingerprint, index_path
from graph._io import atomic_write_bytes, atomic_write_text, remove_stale_temps
from graph.events import merge_events
from sources.files import DEFAULT_MAX_BYTES, ReadReport, file_state, iter_articles
from sources.records import Article

if TYPE_CHECKING:
    from graph.store import ReadCache, Store

__all__ = [
    "Build", "assemble", "build", "outputs_fingerprint", "write_extractions", "MAX_EVIDENCE", "MANIFEST_NAME",
    "STATEMENT_RELATIONS",
]

log = logging.getLogger("diplograph.graph")

T = TypeVar("T")

#: Evidence sentences kept on one edge; the count and the sources keep the full tally.
MAX_EVIDENCE = 5


def _add_evidence(data: dict[str, Any], rec: DocumentRecord, sentence: int) -> None:
    data["sources"].add(rec.doc_id)  # a set while assembling (a list would make this quadratic)
    if 0 <= sentence < len(rec.sentences) and len(data["evidence"]) < MAX_EVIDENCE:
        s = rec.sentences[sentence]
        item = {"doc": rec.doc_id, "sentence": s.text, "start": s.start, "end": s.end}
        if item not in data["evidence"]:
            data["evidence"].append(item)


def _edge(G: nx.MultiDiGraph, u: str, v: str, relation: str, **attrs: Any) -> dict[str, Any]:
    """The one edge of ``relation`` from u to v, created on first use (``sources`` a set until the end)."""
    if not G.has_edge(u, v, key=relation):
        G.add_edge(u, v, key=relation, relation=relation, sources=set(), evidence=[], weight=0, **attrs)
    data: dict[str, Any] = G.edges[u, v, relation]
    return data


def _node_attrs(ent: LinkedEntity) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "kind": ent.kind,
        "label": ent.label,
        "aliases": sorted(ent.aliases | {ent.label}),
        "sources": sorted(ent.sources),
        "mentions": ent.mentions,
    }
    if ent.kind == "person":
        attrs["country"] = ent.country
        attrs["titles"] = sorted(ent.titles, key=lambda t: (-ent.titles[t], t))
    if ent.kind == "country":
        attrs["iso3"] = ent.iso3 or ent.id.split(":", 1)[1]
    return attrs


def assemble(
    records: Sequence[DocumentRecord], entities: dict[str, LinkedEntity] | None = None
) -> nx.MultiDiGraph:
    """Build the graph from extraction records (linked across documents if ``entities`` is None).

    Nodes are canonical entities with their aliases and sources; edges are ``role`` (person to
    the organization a title is held in), ``acts_for`` (person to state) and ``co_mentioned``
    (two entities in one sentence, with a count: for exploring, never a relation).

    Examples
    --------
    >>> from extract.records import Entity, Mention, Sentence
    >>> rec = DocumentRecord("d1", sentences=(Sentence(0, 15, "Iran and China."),),
    ...     mentions=(Mention(0, 4, "Iran", "country", "country:IRN", 0),
    ...               Mention(9, 14, "China", "country", "country:CHN", 0)))
    >>> G = assemble([rec])
    >>> sorted(G.nodes), G.nodes["country:IRN"]["sources"]
    (['country:CHN', 'country:IRN'], ['d1'])
    >>> [(u, v, d["relation"], d["weight"]) for u, v, d in G.edges(data=True)]
    [('country:CHN', 'country:IRN', 'co_mentioned', 1)]
    """
    if entities is None:
        records, entities = link_records(records)
    G = nx.MultiDiGraph()
    for ent_id in sorted(entities):
        G.add_node(ent_id, **_node_attrs(entities[ent_id]))
    for rec in records:
        for role in rec.roles:
            if role.organization and role.organization in G and role.person in G:
                data = _edge(G, role.person, role.organization, "role", title=role.title)
                data["weight"] += 1
                _add_evidence(data, rec, role.sentence)
            if role.country and role.person in G:
                country = f"country:{role.country}"
                if country not in G:
                    continue
                data = _edge(G, role.person, country, "acts_for")
                data["weight"] += 1
                _add_evidence(data, rec, role.sentence)
        by_sentence: dict[int, set[str]] = {}
        for m in rec.mentions:
            by_sentence.setdefault(m.sentence, set()).add(m.entity)
        for sentence, ids in sorted(by_sentence.items()):
            for u, v in itertools.combinations(sorted(ids), 2):
                data = _edge(G, u, v, "co_mentioned")
                data["weight"] += 1
                _add_evidence(data, rec, sentence)
    event_ids = _add_events(G, records)
    _add_relations(G, records, event_ids)
    for _, _, data in G.edges(data=True):
        data["sources"] = sorted(data["sources"])
        if data["relation"] == "co_mentioned":
            data["count"] = data["weight"]
    return G


def _event_label(G: nx.MultiDiGraph, event_type: str, people: list[str], date: str | None) -> str:
    names = " – ".join(str(G.nodes[p].get("label", p)) for p in people if p in G)
    return f"{event_type.replace('_', ' ')}: {names}"  # the date has its own attribute


#: Relations between entities that are statements, not co-occurrence.
STATEMENT_RELATIONS = frozenset(
    {"supports", "opposes", "condemns", "cooperates_on", "mediates", "partnership", "member_of", "discussed"}
)


def _add_relations(G: nx.MultiDiGraph, records: Sequence[DocumentRecord], event_ids: dict[str, str]) -> None:
    """One edge per (subject, relation, object) across the corpus, with all its evidence."""
    for rec in records:
        for rel in rec.relations:
            subject = event_ids.get(rel.subject, rel.subject)
            obj = event_ids.get(rel.object, rel.object)
            if subject not in G or obj not in G or subject == obj:
                continue
            data = _edge(G, subject, obj, rel.relation, confidence=0.0, dates=set(), methods=[])
            data["weight"] += 1
            data["confidence"] = max(data["confidence"], rel.confidence)
            if rel.method not in data["methods"]:
                data["methods"].append(rel.method)
            if rel.date:
                data["dates"].add(rel.date)
            if rel.partnership_type:
                kinds = data.setdefault("partnership_types", [])
                if rel.partnership_type not in kinds:
                    kinds.append(rel.partnership_type)
            _add_evidence(data, rec, rel.sentence)
    for _, _, data in G.edges(data=True):
        if data.get("relation") in STATEMENT_RELATIONS:
            data["dates"] = sorted(data["dates"])
            if "partnership_types" in data:  # the most specific wording names the edge
                data["partnership_type"] = max(data["partnership_types"], key=len)


def _add_events(G: nx.MultiDiGraph, records: Sequence[DocumentRecord]) -> dict[str, str]:
    """Event nodes (one per real-world contact) and their ``participant`` edges.

    Returns the mapping from each document's local event id to the merged event's id.
    """
    local: dict[str, str] = {}
    for ev_id, ev in merge_events(records).items():
        for _, report in ev.reports:
            local[report.id] = ev_id
        people = sorted(ev.participants)
        G.add_node(
            ev_id,
            kind="event",
            label=_event_label(G, ev.event_type, people, ev.date),
            aliases=[],
            sources=list(ev.sources),
            source_count=len(ev.sources),
            event_type=ev.event_type,
            date=ev.date,
            date_text=list(ev.date_texts),
            location=ev.location if ev.location in G else None,
            initiator=ev.initiator if ev.initiator in G else None,
            host=ev.host if ev.host in G else None,
            cameo=ev.cameo,
            plover_mode=ev.plover_mode,
            evidence=ev.evidence[:MAX_EVIDENCE],
            mentions=len(ev.reports),
        )
        for person in people:
            if person not in G:
                continue
            data = _edge(G, person, ev_id, "participant")
            data["weight"] += len(ev.reports)
            data["sources"] = list(ev.sources)
            data["evidence"] = ev.evidence[:MAX_EVIDENCE]
            if ev.initiator == person:
                data["initiator"] = True
        if ev.location is not None and ev.location in G:
            data = _edge(G, ev_id, ev.location, "held_in")
            data["weight"] = len(ev.reports)
            data["sources"] = list(ev.sources)
    return local


def _progress_bar() -> type[Any]:
    """tqdm's notebook widget where ipywidgets can draw it, else the text bar.

    ``tqdm.auto`` picks the widget in any notebook and, without ipywidgets, warns
    "IProgress not found" on every build before falling back to text.
    """
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        from tqdm.std import tqdm as text_bar

        return text_bar
    from tqdm.auto import tqdm as auto_bar

    return auto_bar


def write_extractions(
    records: Iterable[DocumentRecord],
    path: str | os.PathLike[str],
    *,
    fingerprints: Sequence[bytes | None] | None = None,
) -> Path:
    """Write ``extractions.jsonl``: one JSON object per document (atomically).

    With ``fingerprints`` (one per record, see :func:`line_fingerprints`), the line of a record
    whose fingerprint is that of a line of the file already at ``path`` is copied from it,
    and the new file is indexed for the next build (:mod:`graph._fragments`).
    """
    records = list(records)
    fps = list(fingerprints) if fingerprints is not None else [None] * len(records)
    if len(fps) != len(records):
        raise ValueError(f"{len(fps)} fingerprints for {len(records)} records")
    context = {"orjson": orjson.__version__}
    parts = Fragments.previous(path, context) if fingerprints is not None else Fragments(path, context)
    try:  # compact, in C; the same values as the json module's
        for rec, fp in zip(records, fps):
            line = parts.get(fp)
            parts.add(fp, line if line is not None else orjson.dumps(rec.to_json(), option=_JSONL))
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate: \u escapes keep it exactly
        text = "".join(json.dumps(rec.to_json(), ensure_ascii=True, sort_keys=True) + "\n" for rec in records)
        return atomic_write_text(path, text)
    if fingerprints is not None:
        log.debug("%s: %d of %d lines reused", Path(path).name, parts.reused, parts.indexed)
    return parts.write(index=fingerprints is not None)


def line_fingerprints(
    linked: Sequence[DocumentRecord], kept: Sequence[DocumentRecord], keys: dict[str, str], version: str
) -> list[bytes | None]:
    """For each linked record, a fingerprint of what its line of ``extractions.jsonl`` holds.

    A record's parts are what the extractor ``version`` made of the document's content (its
    key, :func:`graph.store.document_key`), renamed after its id; its other fields are few.
    So the fingerprint is that of the key, the version and those fields. A record that linking
    changed (``linked[i]`` is not ``kept[i]``) gets None: its ids depend on the whole corpus.
    """
    fps: list[bytes | None] = []
    for rec, before in zip(linked, kept):
        key = keys.get(rec.doc_id)
        if rec is not before or key is None:
            fps.append(None)
            continue
        top = {name: getattr(rec, name) for name in _RECORD_FIELDS}
        fps.append(fingerprint((key, version, top)))
    return fps


#: The fields of a record besides its parts (what a line depends on besides content and version).
_RECORD_FIELDS = tuple(
    f.name for f in fields(DocumentRecord)
    if f.name not in ("sentences", "mentions", "entities", "roles", "events", "relations")
)


_JSONL = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


@dataclass
class Build:
    """What :func:`build` made: the graph, the reading report, the records and the files.

    ``extracted`` counts the documents extracted by this run, ``reused`` those whose records
    came from the store unchanged; ``duplicates`` maps each document dropped for having the
    same content as another to the one kept (the smallest id); ``store`` is the store's path,
    or None when the build used none; ``up_to_date`` is True when the output folder already
    held what this build would write (see :func:`outputs_fingerprint`), so nothing was rewritten.

    When that was known before the stored records were read (every document unchanged since
    the build that wrote the folder), ``graph`` and ``records`` are read from the store,
    linked and assembled when first used: a command-line rebuild with nothing new needs
    neither, only the counts its summary gives, which the folder's manifest keeps. If another
    build replaced some of those records in the store meanwhile, that first use raises
    :class:`graph.store.StoreError` rather than give a graph the outputs do not hold.
    """

    graph: nx.MultiDiGraph
    report: ReadReport
    records: list[DocumentRecord]
    failed: list[ExtractionError] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    model: str = ""
    extracted: int = 0
    reused: int = 0
    duplicates: dict[str, str] = field(default_factory=dict)
    store: Path | None = None
    up_to_date: bool = False
    #: For each record, a fingerprint of what its line of ``extractions.jsonl`` is made of, when
    #: that is known without reading the record (see :func:`line_fingerprints`), else None;
    #: set by a build that writes its outputs.
    line_fingerprints: list[bytes | None] = field(default_factory=list, repr=False)

    @classmethod
    def deferred(
        cls, load: Callable[[], tuple[nx.MultiDiGraph, list[DocumentRecord]]], counts: dict[str, Any], **fields: Any
    ) -> Build:
        """A build whose ``graph`` and ``records`` are ``load()``-ed when first used; until then
        its summary takes the graph's size from ``counts`` (:func:`_graph_counts`)."""
        result = cls(nx.MultiDiGraph(), records=[], **fields)
        del result.graph, result.records  # so that __getattr__ is asked for them
        result.__dict__["_deferred"] = (load, counts)
        return result

    def __getattr__(self, name: str) -> Any:  # only for attributes not found: a deferred graph's
        deferred = self.__dict__.get("_deferred") if name in ("graph", "records") else None
        if deferred is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.graph, self.records = deferred[0]()
        del self.__dict__["_deferred"]
        return self.__dict__[name]

    def __getstate__(self) -> dict[str, Any]:  # a pickle or a deep copy holds the graph, not its loader
        if "_deferred" in self.__dict__:
            self.graph  # noqa: B018 (loads it)
        return self.__dict__

    def summary(self) -> str:
        """One paragraph for the end of a run."""
        deferred = self.__dict__.get("_deferred")
        counts = deferred[1] if deferred is not None else _graph_counts(self.graph)
        kinds: dict[str, int] = dict(counts["kinds"])
        parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        lines = [
            self.report.summary(),
            f"extracted {self.extracted} documents with {self.model}"
            + (f", reused {self.reused} from the store" if self.store is not None else "")
            + (f", {len(self.duplicates)} counted once (same text as another)" if self.duplicates else "")
            + (f", {len(self.failed)} failed" if self.failed else ""),
            f"graph: {sum(kinds.values())} nodes ({parts or 'none'}), {counts['edges']} edges",
        ]
        if self.up_to_date:
            lines.append("outputs up to date: the same documents and code made them, not rewritten")
        return "\n".join(lines)


def build(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    out: str | os.PathLike[str] | None = None,
    gazetteers: Sequence[str | Path] = (),
    model: str | None = None,
    progress: bool = True,
    html: bool = True,
    store: str | os.PathLike[str] | bool = True,
    scheduler: str | None = None,
    workers: int = 1,
    batch_size: int = 32,
    max_bytes: int = DEFAULT_MAX_BYTES,
    force: bool = False,
) -> Build:
    """Read articles, extract, link and assemble the graph; write the outputs into ``out``.

    Documents with the same content (:func:`graph.store.document_key`) are extracted once and
    count once, under the smallest of their ids; the others are listed in the kept record's
    ``extra["duplicates"]``. Records are assembled in the order the articles were read,
    whichever process extracted them, so the graph does not depend on how the work was spread.

    Parameters
    ----------
    inputs : paths
        Files (``.txt``, ``.html``, ``.jsonl``) and folders of them.
    out : path, optional
        Folder for ``graph.json``, ``graph.graphml``, ``graph.gexf``, ``graph.html``, ``nodes.csv``,
        ``edges.csv``, ``events.csv`` and ``extractions.jsonl``;
        nothing is written when omitted, or when no article could be extracted.
    gazetteers : paths
        Extra entity-ruler pattern files.
    model : str, optional
        spaCy model name (see :func:`extract.pipeline.load_pipeline`).
    progress : bool
        Show a progress bar on stderr.
    html : bool
        Also write the interactive page. Without it, a page an earlier build wrote into ``out``
        is removed (it would show another graph than the files beside it).
    store : path or bool
        The SQLite store of extraction records (:class:`graph.store.Store`): records of
        unchanged documents are reused from it and new ones added as they are extracted, and
        the articles of ``.txt``/``.html`` files unchanged since they were read are taken from
        it instead of being read again (:class:`graph.store.ReadCache`).
        True (the default) means ``<out>/store.sqlite`` (no store when ``out`` is None);
        False disables it.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to extract on (needs the ``cluster``
        extra); see :mod:`graph.distributed`.
    workers : int
        Without ``scheduler``, more than 1 starts a local Dask cluster of that many processes.
        With 1, a rebuild on Linux (the store exists, and a second processor is free) forks a
        child as it starts, which loads the model while this process reads the articles; the
        child then extracts the new documents into the store (with a second child sharing its
        model when at least :data:`JOIN_AT_LEAST` are new) while this process reads the stored
        records. A rebuild with nothing new kills it.
    batch_size : int
        Records committed to the store at once (a killed run loses at most this many), and
        the most documents sent to a Dask worker at once.
    max_bytes : int
        Largest ``.txt``/``.html`` file read, and longest ``.jsonl`` line (50 MiB by default);
        larger ones are skipped with the reason (see :func:`sources.files.iter_articles`).
    force : bool
        Write the outputs even when ``out`` already holds what this build would write. By
        default a build whose documents, extractor, code and options are those of the build
        that wrote ``out`` (:func:`outputs_fingerprint`), and whose files are unchanged since,
        rewrites nothing.

    Raises
    ------
    ValueError
        If ``workers`` or ``batch_size`` is below 1.
    graph.store.StoreError
        If the store file is not a diplograph store.
    """
    from extract.pipeline import load_pipeline
    from graph.store import STORE_NAME, Store, StoreError, document_key, extractor_version, reader_version, renamed

    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size!r}")
    store_path: Path | None = None
    if store is True and out is not None:
        store_path = Path(out) / STORE_NAME
    elif store is not True and store is not False:
        store_path = Path(store)
    report = ReadReport()
    pipeline = load_pipeline(model, gazetteers=gazetteers)
    team = _extraction_team(store_path, pipeline, batch_size) if scheduler is None and workers == 1 else None
    records: dict[str, DocumentRecord] = {}
    failed: list[ExtractionError] = []
    extracted = reused = 0
    db: Store | None = None
    bar: _SharedBar | None = None
    try:
        reads = _read_cache(store_path, reader_version(max_bytes)) if store_path is not None else None

        def read() -> tuple[list[Article], ReadReport, ReadCache | None]:
            return list(iter_articles(inputs, report=report, max_bytes=max_bytes, cache=reads)), report, reads

        if scheduler is None and pipeline.model != "blank" and (store_path is None or not store_path.is_file()):
            articles, report, reads = _read_while_loading(read, pipeline)  # every article is new
        else:
            articles, report, reads = read()
        if reads is not None and reads.hits:
            log.info("store: %d of %d articles unchanged since read, not read again", reads.hits, len(articles))
        keys = {a.id: document_key(a) for a in articles}
        unique, duplicates = _unique(articles, keys)
        version = extractor_version(pipeline) if store_path is not None or out is not None else ""
        db = Store(store_path) if store_path is not None and unique else None
        todo = unique
        if db is not None and reads is not None:
            reads.save(db)
        beside = None
        carried: dict[str, DocumentRecord] = {}  # records another gazetteer made that still hold
        if db is not None:
            present = db.present((keys[a.id] for a in unique), version)
            todo = [a for a in unique if keys[a.id] not in present]
            carried = db.carry_over({keys[a.id]: a for a in todo}, pipeline)
            if carried:
                log.info("store: the gazetteers changed; %d documents that name no changed entry keep their records",
                         len(carried))
                present |= carried.keys()
                todo = [a for a in todo if keys[a.id] not in carried]
            if not todo and not carried and out is not None and not force:
                current = _current_outputs(Path(out), _fingerprint_of(unique, duplicates, keys, version, html))
                if current is not None:  # neither the records nor the graph are needed yet
                    log.info("store %s: %d of %d documents unchanged", db.path, len(unique), len(unique))
                    log.info("outputs in %s are up to date, not rewritten", out)
                    outputs, counts = current

                    def load() -> tuple[nx.MultiDiGraph, list[DocumentRecord]]:
                        with Store(db.path) as again:
                            stored = again.get((keys[a.id] for a in unique), version)
                        gone = [a.id for a in unique if keys[a.id] not in stored]
                        if gone:  # the graph would not be the outputs' one
                            raise StoreError(
                                f"{db.path}: the records of {len(gone)} documents this build found "
                                f"up to date were replaced since (by a build with other gazetteers or "
                                f"another model?), {gone[0]} among them; build again"
                            )
                        kept = [renamed(stored[keys[a.id]], a) for a in unique]
                        with collector_paused():
                            linked, entities = link_records(_with_duplicates(kept, duplicates))
                            return assemble(linked, entities), linked

                    return Build.deferred(
                        load, counts, report=report, model=pipeline.model, reused=len(unique),
                        duplicates=duplicates, store=db.path, outputs=outputs, up_to_date=True,
                    )
            if todo and present and team is not None:
                # the child that loaded the model meanwhile extracts the new documents into the
                # store (with a second one when many are new) while this process reads the others
                team.share.n = len(todo)
                team.child.send((todo, {a.id: keys[a.id] for a in todo}, version, batch_size))
                beside = team.child
                bar = _SharedBar(team.share, progress)
            wanted = (keys[a.id] for a in unique if keys[a.id] in present and keys[a.id] not in carried)
            stored = {**db.get(wanted, version), **carried}  # the carried records are read already
            moved = []
            for article in unique:
                rec = stored.get(keys[article.id])
                if rec is not None:
                    records[article.id] = renamed(rec, article)
                    if records[article.id] is not rec:
                        moved.append((keys[article.id], records[article.id]))
            db.put(moved, version)  # a renamed or moved file: its record under its new name
            reused = len(records)
            log.info("store %s: %d of %d documents unchanged", db.path, reused, len(unique))
        if beside is not None:
            if out is not None:
                _import_writers(html)  # while the child extracts
            failures = beside.wait() or []
            failed.extend(ExtractionError(doc_id, reason) for doc_id, reason in failures)
            new = db.get((keys[a.id] for a in todo), version) if db is not None else {}
            for article in todo:
                if keys[article.id] in new:
                    records[article.id] = new[keys[article.id]]
                    extracted += 1
        else:
            for item in _extract_stored(
                _extract(pipeline, todo, gazetteers, scheduler, workers, batch_size), db, keys, version,
                batch_size, progress=progress, total=len(todo),
            ):
                if isinstance(item, ExtractionError):
                    failed.append(item)
                else:
                    records[item.doc_id] = item
                    extracted += 1
        if db is not None and (todo or carried):
            db.forget_versions(version)  # the records this run replaced may have been the last of theirs
    finally:
        if team is not None:
            team.child.stop()  # killed if it was given nothing to extract, else waited for
        if bar is not None:
            bar.close()
        if db is not None:
            db.close()
    order = {a.id: i for i, a in enumerate(articles)}
    failed.sort(key=lambda e: order.get(e.doc_id, len(order)))
    kept = _with_duplicates([records[a.id] for a in unique if a.id in records], duplicates)
    with collector_paused():
        if kept:  # the last long step without a bar: say what it is on a large corpus
            log.info("linking the names of %s documents and assembling the graph", f"{len(kept):,}")
        linked, entities = link_records(kept)
        G = assemble(linked, entities)
        result = Build(
            G, report, linked, failed, model=pipeline.model, extracted=extracted, reused=reused,
            duplicates=duplicates, store=store_path if db is not None else None,
        )
        if out is not None and linked:  # never replace a good build's files with an empty one
            fingerprint = outputs_fingerprint(linked, keys, version, html=html)
            current = None if force else _current_outputs(Path(out), fingerprint)
            if current is not None:
                log.info("outputs in %s are up to date, not rewritten", out)
                result.outputs, result.up_to_date = current[0], True
            else:
                result.line_fingerprints = line_fingerprints(linked, kept, keys, version)
                log.info("writing the outputs of %s nodes and %s edges into %s",
                         f"{G.number_of_nodes():,}", f"{G.number_of_edges():,}", out)
                result.outputs = write_outputs(result, Path(out), html=html)
                _write_manifest(Path(out), fingerprint, result.outputs, _graph_counts(G))
    return result


def _read_while_loading(read: Callable[[], T], pipeline: Pipeline) -> T:
    """``read()``, in a forked child while this process loads the model (Linux, with a
    second processor), as a build with no store yet does: it extracts every article it reads.

    Reading 1,000 articles took 0.37 s, loading spaCy and the model 0.9-1.1 s, one after the
    other. The child's log records (the files skipped) are passed on here, in their order; if
    the child fails, ``read()`` runs here, and raises what it raises.
    """
    if sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2 or pipeline.loaded:
        return read()

    def child() -> tuple[T, list[logging.LogRecord]]:
        said: list[logging.LogRecord] = []

        def keep(self: logging.Logger, record: logging.LogRecord) -> None:
            if not self.disabled and self.filter(record):
                record.msg, record.args = record.getMessage(), None  # the arguments may not pickle
                if record.exc_info:
                    record.exc_text, record.exc_info = logging.Formatter().formatException(record.exc_info), None
                said.append(record)

        logging.Logger.handle = keep  # type: ignore[method-assign]  # only in the child
        return read(), said

    wait = run_forked(child)
    try:
        pipeline.nlp  # noqa: B018 (loads it)
    finally:
        got = wait(check=False)
    if got is None:
        return read()
    result, said = got
    for record in said:
        logging.getLogger(record.name).handle(record)
    return result


def _import_writers(html: bool) -> None:
    """Import the modules that write the outputs (0.18-0.24 s; they need no pandas), as a
    rebuild does while a forked child extracts the new documents.

    With the collector paused: the objects the imports make would otherwise set off a full
    collection, which traversed the stored records just read (0.5 s on 10,000 documents).
    """
    with collector_paused():
        import graph.export  # noqa: F401
        import graph.query  # noqa: F401

        if html:
            import graph.render  # noqa: F401


def _read_cache(path: Path, reader: str) -> ReadCache:
    """The store's cache of articles read by ``reader`` (empty when the store is not made yet)."""
    from graph.store import ReadCache, Store

    if not path.exists():
        return ReadCache(reader)
    with Store(path) as db:
        return db.reads(reader)


def _extract_stored(
    items: Iterator[DocumentRecord | ExtractionError], db: Store | None, keys: dict[str, str], version: str,
    batch_size: int, *, progress: bool, total: int,
) -> Iterator[DocumentRecord | ExtractionError]:
    """``items`` as they come, each record also put in ``db`` (``batch_size`` at a time), with a bar.

    Ctrl-C or a failing worker: what was extracted is stored before the error goes on.
    """
    bar = _progress_bar()(total=total, desc="extracting", unit="doc", disable=not progress or None)
    pending: list[tuple[str, DocumentRecord]] = []
    try:
        for item in items:
            if not isinstance(item, ExtractionError):
                pending.append((keys[item.doc_id], item))
                if db is not None and len(pending) >= batch_size:
                    db.put(pending, version)
                    pending = []
            bar.update(1)
            yield item
    finally:
        bar.close()
        if db is not None and pending:
            db.put(pending, version)


#: The fewest new documents for which a rebuild's extracting child forks a second one, which
#: shares the model it loaded: loading it, and the first document's set-up, take about 0.7 s
#: with en_core_web_sm, as long as extracting 25 documents, so fewer are not worth a second
#: process beside this one, which reads the stored records meanwhile.
JOIN_AT_LEAST = 32


@dataclass
class _Team:
    """A rebuild's extracting child (:class:`graph._fork.Standby`), and the share of the new
    documents it hands out to the second child it may fork."""

    child: Standby[list[tuple[str, str]]]
    share: WorkShare


def _extraction_team(store: Path | None, pipeline: Pipeline, batch_size: int) -> _Team | None:
    """The child that loads the model while this process reads the articles, for a rebuild
    (the store exists) on Linux with a processor to spare; None otherwise.

    Loading spaCy and the model takes 1.2-1.6 s, about as long as reading 10,000 stored
    articles again. A child is forked for every such rebuild, before it is known whether any
    document is new: one with nothing new kills it.
    """
    if store is None or not store.is_file() or sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2:
        return None
    share = WorkShare(0, largest=batch_size)  # sized when the new documents are known
    child: Standby[list[tuple[str, str]]] = Standby(
        lambda: _load_for_the_team(pipeline), lambda job: _extract_team(store, pipeline, share, *job)
    )
    return _Team(child, share)


def _load_for_the_team(pipeline: Pipeline) -> None:
    """Load the model in the team's child, with one BLAS thread (numpy's OpenBLAS) unless the
    environment says otherwise.

    The team's two children and this process are three processes on two or more processors:
    OpenBLAS's own threads (one per processor by default) would only take turns with them. On
    two processors, a 1% rebuild of 10,000 documents took 20.4-20.9 s of CPU with them and
    16.2-19.2 s without. The variable is read when numpy is first imported, so it does nothing
    when this process had imported numpy before the fork (a notebook, say).

    The model is loaded with the cyclic collector off, then what the child holds (the model,
    spaCy, what it shares with this process) is frozen (:func:`gc.freeze`): it lives as long as
    the child, and each full collection traversed it all again (two while loading, 0.15 s;
    0.1-0.2 s each during the extraction, in both children), writing to every object's header,
    so that the second child, forked from this one, copied those pages too. What the
    extraction makes is collected as before.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.disable()
    try:
        pipeline.nlp  # noqa: B018
    finally:
        gc.freeze()
        gc.enable()


def _extract_team(
    path: Path, pipeline: Pipeline, share: WorkShare, articles: Sequence[Article], keys: dict[str, str],
    version: str, batch_size: int,
) -> list[tuple[str, str]]:
    """Extract ``articles`` into the store at ``path`` (in the team's child), with a second
    child forked with the model when at least :data:`JOIN_AT_LEAST` are new; return the
    failures' (document id, reason) pairs."""
    second = None
    if len(articles) >= JOIN_AT_LEAST:
        second = run_forked(lambda: _extract_into(path, pipeline, articles, share, keys, version, batch_size, slot=0))
    try:
        failures = _extract_into(path, pipeline, articles, share, keys, version, batch_size, slot=1)
    except BaseException:
        if second is not None:
            second(check=False)  # Ctrl-C reaches it too: it stores what it extracted, then ends
        raise
    return failures + (second() or []) if second is not None else failures


def _extract_into(
    path: Path, pipeline: Pipeline, articles: Sequence[Article], share: WorkShare, keys: dict[str, str],
    version: str, batch_size: int, *, slot: int,
) -> list[tuple[str, str]]:
    """Extract the chunks of ``articles`` this process claims from ``share`` into the store at
    ``path`` (in a forked child), counting them in ``slot``; return the failures' (document id,
    reason) pairs."""
    from graph.store import Store

    with Store(path) as db:
        items = _extract_share(pipeline, articles, share, slot=slot)
        stream = _extract_stored(items, db, keys, version, batch_size, progress=False, total=len(articles))
        return [(e.doc_id, e.reason) for e in stream if isinstance(e, ExtractionError)]


def _extract_share(
    pipeline: Pipeline, articles: Sequence[Article], share: WorkShare, *, slot: int
) -> Iterator[DocumentRecord | ExtractionError]:
    """Extract the ``articles`` of each chunk this process claims from ``share``, one chunk at a
    time (``nlp.pipe`` would otherwise take several at once), counting them in ``slot``."""
    from extract.document import extract_articles

    for chunk in share.chunks():
        for item in extract_articles(pipeline, [articles[i] for i in chunk], batch_size=len(chunk)):
            share.count(slot)
            yield item


class _SharedBar:
    """The progress bar of a :class:`WorkShare`'s items, drawn from a thread of this process
    while this process and a forked child extract them."""

    def __init__(self, share: WorkShare, progress: bool) -> None:
        self._share = share
        self._bar = _progress_bar()(total=share.n, desc="extracting", unit="doc", disable=not progress or None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._draw, name="diplograph-progress", daemon=True)
        if not self._bar.disable:
            self._thread.start()

    def _draw(self) -> None:
        while not self._stop.wait(0.2):
            self._bar.update(self._share.finished - self._bar.n)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._bar.update(self._share.finished - self._bar.n)
        self._bar.close()


#: The hidden file in the output folder that says what its outputs were made from.
MANIFEST_NAME = ".diplograph-outputs.json"


def outputs_fingerprint(
    records: Sequence[DocumentRecord], keys: dict[str, str], version: str, *, html: bool
) -> str:
    """A digest of everything the outputs of a build depend on.

    The records are functions of their document's content key and the extractor version, so
    the digest takes those (with each record's id, path and duplicates), the code of ``graph``
    that assembles and writes, the networkx, pyvis and pandas releases (their writers and the
    page's script), and whether the page is written. Two builds with the same fingerprint
    write the same files.

    Examples
    --------
    >>> recs = [DocumentRecord("a", path="a.txt")]
    >>> fp = outputs_fingerprint(recs, {"a": "k1"}, "v1", html=True)
    >>> fp == outputs_fingerprint(recs, {"a": "k2"}, "v1", html=True), len(fp)
    (False, 64)
    """
    rows = ((rec.doc_id, rec.path, keys.get(rec.doc_id), rec.extra.get("duplicates")) for rec in records)
    return _outputs_digest(rows, version, html)


def _outputs_digest(rows: Iterable[tuple[str, str | None, str | None, list[str] | None]], version: str,
                    html: bool) -> str:
    """:func:`outputs_fingerprint` of the records' (id, path, content key, duplicates) rows."""
    from graph.store import code_digest, release

    digest = hashlib.sha256()
    head = [version, code_digest("graph"), nx.__version__, release("pyvis"), release("pandas"), html]
    digest.update(json.dumps(head).encode("utf-8") + b"\n")
    for row in rows:
        digest.update(json.dumps(list(row), ensure_ascii=True).encode("ascii") + b"\n")
    return digest.hexdigest()


def _file_state(path: Path) -> list[int]:
    return list(file_state(path))  # the size and times alone miss an edit that set the time back


def _fingerprint_of(
    unique: Sequence[Article], duplicates: dict[str, str], keys: dict[str, str], version: str, html: bool
) -> str:
    """:func:`outputs_fingerprint` of the records of ``unique``, known without reading them: a
    stored record is renamed after its article, and given the duplicates' names."""
    names = _duplicate_names(duplicates)
    return _outputs_digest(((a.id, a.path, keys[a.id], names.get(a.id)) for a in unique), version, html)


def _graph_counts(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph's size as a build's summary gives it: nodes by kind, and edges."""
    kinds: dict[str, int] = {}
    for _, kind in G.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"kinds": sorted(kinds.items(), key=lambda item: str(item[0])), "edges": G.number_of_edges()}


def _current_outputs(out: Path, fingerprint: str | None) -> tuple[dict[str, Path], dict[str, Any]] | None:
    """The outputs in ``out`` and the counts of their graph (:func:`_graph_counts`), if its
    manifest has ``fingerprint`` (any, if None) and no file changed since."""
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        if fingerprint is not None and manifest.get("fingerprint") != fingerprint:
            return None
        files = {name: (out / entry[0], entry[1:]) for name, entry in manifest["files"].items()}
        if not files or any(_file_state(path) != state for path, state in files.values()):
            return None  # a file removed, or replaced since (by hand, or by a build killed while writing)
        counts = manifest["graph"]
        counts = {"kinds": [(kind, int(n)) for kind, n in counts["kinds"]], "edges": int(counts["edges"])}
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    return {name: path for name, (path, _) in files.items()}, counts


def _write_manifest(out: Path, fingerprint: str, outputs: dict[str, Path], counts: dict[str, Any]) -> None:
    """Record, after every output is in place, what they were made from, their file states and
    the size of their graph."""
    files = {name: [path.name, *_file_state(path)] for name, path in outputs.items()}
    manifest = {"fingerprint": fingerprint, "files": files, "graph": counts}
    atomic_write_text(out / MANIFEST_NAME, json.dumps(manifest, indent=1) + "\n")


def _duplicate_names(duplicates: dict[str, str]) -> dict[str, list[str]]:
    """Each kept document's id -> the ids dropped for having its content, in order."""
    names: dict[str, list[str]] = {}
    for dropped, winner in sorted(duplicates.items()):
        names.setdefault(winner, []).append(dropped)
    return names


def _with_duplicates(kept: list[DocumentRecord], duplicates: dict[str, str]) -> list[DocumentRecord]:
    """The records, each kept one naming in ``extra["duplicates"]`` the documents dropped for it."""
    if not duplicates:
        return kept
    names = _duplicate_names(duplicates)
    return [
        replace(rec, extra={**rec.extra, "duplicates": names[rec.doc_id]}) if rec.doc_id in names else rec
        for rec in kept
    ]


def _unique(articles: Sequence[Article], keys: dict[str, str]) -> tuple[list[Article], dict[str, str]]:
    """The articles with distinct content, and each other article's id mapped to the one kept.

    Of articles with the same key the one with the smallest id is kept (not the first read, so
    the choice does not depend on the order of the inputs); the kept ones stay in read order.
    """
    winner: dict[str, str] = {}
    for article in articles:
        key = keys[article.id]
        if key not in winner or article.id < winner[key]:
            winner[key] = article.id
    duplicates = {a.id: winner[keys[a.id]] for a in articles if winner[keys[a.id]] != a.id}
    for dropped, kept in sorted(duplicates.items()):
        log.warning("%s: same text as %s, counted once (as %s)", dropped, kept, kept)
    return [a for a in articles if a.id not in duplicates], duplicates


def _extract(
    pipeline: Pipeline,
    articles: Sequence[Article],
    gazetteers: Sequence[str | Path],
    scheduler: str | None,
    workers: int,
    batch_size: int,
) -> Iterator[DocumentRecord | ExtractionError]:
    """Extract in this process, or on Dask when a scheduler or several workers are asked for.

    A local cluster (``workers`` > 1) is started only now, with the pipeline loaded, so that
    its workers are forked with it (:func:`graph.distributed.start_client`); a build whose
    documents are all in the store starts none.
    """
    if not articles:
        return
    if scheduler is None and workers == 1:
        from extract.document import extract_articles

        yield from extract_articles(pipeline, articles)
        return
    from graph.distributed import extract_distributed

    yield from extract_distributed(
        articles, pipeline, gazetteers=gazetteers, scheduler=scheduler, workers=workers,
        batch_size=batch_size,
    )


#: Every file :func:`write_outputs` may write into the output folder.
OUTPUT_NAMES = (
    "extractions.jsonl", "graph.json", "graph.graphml", "graph.gexf",
    "nodes.csv", "edges.csv", "events.csv", "graph.html",
)


def write_outputs(result: Build, out: Path, *, html: bool = True, processes: int = 2) -> dict[str, Path]:
    """Write every output file of a build into ``out`` (each one atomically).

    With ``processes`` 2 (the default) on Linux, a forked child writes ``graph.graphml``,
    ``graph.gexf``, ``nodes.csv`` and ``edges.csv`` while this process writes ``graph.json``,
    ``extractions.jsonl``, ``events.csv`` and the page: the writers are mostly Python, so two
    processes take about half the time (the split is the one that took least time in a
    rebuild of 10,000 documents, with the garbage collector paused as :func:`build` pauses it). The child shares
    the graph's and the records' memory (copied page by page as it touches them), dies with
    this process, and a writer failing in it raises here.

    The nodes, edges, rows and lines of GraphML, GEXF, the CSV tables and ``extractions.jsonl``,
    and the page's edges, that have not changed since the files already in ``out`` were written
    are copied from them (see :mod:`graph._fragments`; ``extractions.jsonl`` needs
    ``result.line_fingerprints``). Without ``html``, the page an earlier build wrote into
    ``out`` is removed once the other files are written: it would show another graph.
    """
    from graph.export import CSV_TABLES, write_csv, write_graphml_and_gexf, write_json

    if processes not in (1, 2):
        raise ValueError(f"processes must be 1 or 2, got {processes!r}")
    out.mkdir(parents=True, exist_ok=True)
    listed = set() if html else _listed_outputs(out)  # read before this build's manifest replaces it
    indexes = [index_path(out / name).name for name in OUTPUT_NAMES]
    for stale in remove_stale_temps(out, (*OUTPUT_NAMES, *indexes, MANIFEST_NAME)):
        log.info("removed %s, left by a build that was killed while writing", stale)
    G = result.graph
    outputs = {
        "extractions": out / "extractions.jsonl", "json": out / "graph.json",
        "graphml": out / "graph.graphml", "gexf": out / "graph.gexf",
        **{f"{name}_csv": out / file for name, file in CSV_TABLES.items()},
    }

    def graph_files() -> None:
        # the nodes, edges and rows unchanged since the last build are copied from its files
        write_graphml_and_gexf(G, outputs["graphml"], outputs["gexf"], reuse=True)
        write_csv(G, out, reuse=True, tables=("nodes", "edges"))

    def the_rest() -> None:
        write_json(G, outputs["json"])
        write_extractions(
            result.records, outputs["extractions"], fingerprints=result.line_fingerprints or None
        )
        write_csv(G, out, reuse=True, tables=("events",))
        if html:
            from graph.render import documents_of, write_html

            write_html(G, out / "graph.html", documents=documents_of(result.records), reuse=True)

    if processes == 2 and sys.platform == "linux":
        wait = run_forked(graph_files)
        try:
            the_rest()
        except BaseException:
            wait(check=False)
            raise
        wait()
    else:
        graph_files()
        the_rest()
    if html:
        outputs["html"] = out / "graph.html"
    else:
        _remove_earlier_page(out, listed)
    return outputs


def _listed_outputs(out: Path) -> set[str]:
    """The file names the manifest in ``out`` lists (none when there is no readable one)."""
    current = _current_outputs(out, None)
    return {path.name for path in current[0].values()} if current is not None else set()


def _remove_earlier_page(out: Path, listed: set[str]) -> None:
    """Remove the page an earlier build wrote into ``out``: it shows another graph than the
    files written now. Only a page this tool wrote goes (the last manifest lists it, or its
    fragments index lies beside it); any other ``graph.html`` is left, with a warning."""
    page, index = out / "graph.html", index_path(out / "graph.html")
    if "graph.html" in listed or index.exists():
        for path in (page, index):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as e:
                log.warning("%s: could not remove the earlier build's file (%s); it does not show this "
                            "build's graph", path, e.strerror or e)
                continue
            if path == page:
                log.info("removed %s, an earlier build's page: this build wrote no page (--no-html)", path)
    elif page.exists():
        log.warning("%s was not written by this build (--no-html) and does not show its graph", page)
