"""Graph assembly alone, from stored records: time and peak memory as the corpus grows.

The records are made directly from the synthetic corpus (:mod:`benchmarks.corpus`), no spaCy:
each article's mentions (with offsets), entities, roles, its contact event and its statements,
as :mod:`extract` would store them. Each size runs in its own process, so its peak RSS
(``resource.getrusage``) is its own; ``link_records`` (cross-document linking) and ``assemble``
(the graph) are timed apart, with the cyclic garbage collector paused as ``diplograph build``
pauses it (:func:`graph._gc.collector_paused`). A size that does not finish within
``--timeout`` seconds is reported as such.

Run ``python -m benchmarks.assembly 10000 100000 1000000``.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

from benchmarks.corpus import Document, Writer, iter_reports
from extract.records import DocumentRecord, Entity, Event, Mention, Relation, Role, Sentence
from extract.text import slugify

__all__ = ["record_of", "synthetic_records", "measure", "run_sizes", "format_table", "main"]

_SENTENCE = re.compile(r"\S[^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)")
_LABEL = {"person": "PERSON", "country": "GPE", "location": "GPE", "organization": "ORG", "initiative": "INITIATIVE"}


def _entity_id(kind: str, name: str, iso3: dict[str, str]) -> str:
    return f"country:{iso3[name]}" if kind == "country" else f"{kind}:{slugify(name)}"


def record_of(doc: Document, w: Writer) -> DocumentRecord:
    """The extraction record a perfect extractor would store for one synthetic article.

    Examples
    --------
    >>> doc, w = next(iter_reports(1, seed=2))
    >>> rec = record_of(doc, w)
    >>> rec.doc_id == doc.id, len(rec.events), rec.events[0].event_type == w.c.event_type
    (True, 1, True)
    >>> all(doc.text[m.start:m.end] == m.text for m in rec.mentions)
    True
    """
    c = w.c
    nations = w.nations
    iso3 = {n.label: n.iso3 for n in nations.values()}
    officials = {o.name: o for n in nations.values() for o in n.officials}
    sentences = tuple(Sentence(m.start(), m.end(), m.group()) for m in _SENTENCE.finditer(doc.text))
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int:
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    mentions: list[Mention] = []
    entities: list[Entity] = []
    roles: list[Role] = []
    for kind, name in sorted(w.named):
        ent_id = _entity_id(kind, name, iso3)
        forms = [name]
        if kind == "person":
            forms.append(officials[name].surname)
        elif kind == "country":
            forms.append(nations[iso3[name]].demonym)
        seen: set[int] = set()
        for form in forms:
            for m in re.finditer(rf"\b{re.escape(form)}\b", doc.text):
                if m.start() in seen or any(s <= m.start() < e for s, e in _spans(mentions)):
                    continue
                seen.add(m.start())
                mentions.append(Mention(m.start(), m.end(), form, kind, ent_id, sentence_of(m.start()), _LABEL[kind]))
        if kind == "person":
            off = officials[name]
            entities.append(Entity(ent_id, kind, name, (name, off.surname), off.iso3, (off.title,)))
            first = doc.text.find(name)
            roles.append(Role(ent_id, off.title, None, off.iso3, sentence_of(first)))
        elif kind == "country":
            entities.append(Entity(ent_id, kind, name, tuple(forms), iso3=iso3[name]))
        else:
            entities.append(Entity(ent_id, kind, name, (name,)))
    mentions.sort(key=lambda m: m.start)
    lead = sentence_of(doc.text.find(c.a.name))
    person = {o: _entity_id("person", o, iso3) for o in (c.a.name, c.b.name)}
    event = Event(
        id=f"event:{doc.id}:0",
        event_type=c.event_type,
        participants=(person[c.a.name], person[c.b.name]),
        sentence=lead,
        date=c.date.isoformat(),
        date_text=c.date.strftime("%A"),
        location=_entity_id("location", c.location, iso3) if c.location else None,
        initiator=person[c.initiator.name] if c.initiator else None,
        primary=True,
        sentences=(lead,),
    )
    relations = []
    for subject, relation, obj, _ in w.relations:
        subj_id = event.id if subject == ("event",) else _entity_id(_kind_of(subject[0], w), subject[0], iso3)
        obj_id = _entity_id(_kind_of(obj[0], w), obj[0], iso3)
        text_at = doc.text.find(obj[0])
        relations.append(Relation(subj_id, relation, obj_id, sentence_of(text_at), "verb", 0.8,
                                  date=doc.published.isoformat()))
    return DocumentRecord(
        doc_id=doc.id, title=doc.title, published=doc.published.isoformat(), outlet=doc.outlet,
        path=f"{doc.id}.txt", pipeline="synthetic", sentences=sentences, mentions=tuple(mentions),
        entities=tuple(sorted(entities, key=lambda e: e.id)), roles=tuple(roles), events=(event,),
        relations=tuple(relations),
    )


def _spans(mentions: Sequence[Mention]) -> Iterator[tuple[int, int]]:
    return ((m.start, m.end) for m in mentions)


def _kind_of(name: str, w: Writer) -> str:
    for kind, named in w.named:
        if named == name:
            return kind
    raise ValueError(f"{name!r} is stated but not named in {w.c.id}")


def synthetic_records(n_docs: int, *, seed: int = 0) -> list[DocumentRecord]:
    """``n_docs`` records of the synthetic corpus (made directly, no spaCy)."""
    return [record_of(doc, w) for doc, w in iter_reports(n_docs, seed=seed)]


def _rss_now_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def measure(n_docs: int, *, seed: int = 0) -> dict[str, Any]:
    """Make the records, then time linking and assembly; peak RSS of this process in MiB."""
    from extract.linking import link_records
    from graph._gc import collector_paused
    from graph.build import assemble

    rss_start = _rss_now_mib()
    t0 = time.perf_counter()
    records = synthetic_records(n_docs, seed=seed)
    t1 = time.perf_counter()
    rss_records = _rss_now_mib()
    c1 = time.process_time()
    with collector_paused():  # as diplograph build runs them
        linked, entities = link_records(records)
        t2, c2 = time.perf_counter(), time.process_time()
        G = assemble(linked, entities)
        t3, c3 = time.perf_counter(), time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "docs": n_docs, "generate_s": t1 - t0, "link_s": t2 - t1, "assemble_s": t3 - t2,
        "total_s": t3 - t1, "us_per_doc": (t3 - t1) / n_docs * 1e6,
        "cpu_s": c3 - c1, "cpu_us_per_doc": (c3 - c1) / n_docs * 1e6,
        "rss_start_mib": rss_start, "rss_records_mib": rss_records, "peak_rss_mib": peak,
        "growth_mib": peak - rss_start,
        "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "mentions": sum(len(r.mentions) for r in records), "events_in": sum(len(r.events) for r in records),
        "event_nodes": sum(1 for _, k in G.nodes(data="kind") if k == "event"),
    }


def _available_mib() -> float:
    with open("/proc/meminfo", encoding="ascii") as fh:
        info = dict(line.split(":", 1) for line in fh)
    return int(info["MemAvailable"].split()[0]) / 1024


def _limit_memory(mib: float) -> None:
    """Cap the child's address space, so a size too big fails alone instead of starving the machine."""
    limit = int(mib * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_sizes(sizes: Sequence[int], *, seed: int = 0, timeout: float = 900.0,
              memory_share: float = 0.6) -> list[dict[str, Any]]:
    """:func:`measure` each size in a fresh process (so peak RSS is that size's alone).

    A size whose peak RSS, projected linearly from the last finished size, would pass
    ``memory_share`` of the memory now available is skipped; each child's address space is
    capped at that share too.
    """
    rows: list[dict[str, Any]] = []
    for n in sorted(sizes):
        budget = _available_mib() * memory_share
        if rows and "error" in rows[-1]:  # a smaller size did not finish: a larger one will not
            rows.append({"docs": n, "error": f"skipped: {rows[-1]['docs']:,} did not finish"})
            print(format_table(rows[-1:], header=len(rows) == 1), file=sys.stderr, flush=True)
            continue
        done_rows = [r for r in rows if "peak_rss_mib" in r]
        if done_rows:
            last = done_rows[-1]
            projected = last["peak_rss_mib"] * n / last["docs"]
            if projected > budget:
                rows.append({"docs": n, "error": f"skipped: projected peak RSS {projected / 1024:.1f} GiB "
                                                 f"> {memory_share:.0%} of available ({budget / 1024:.1f} GiB)"})
                print(format_table(rows[-1:], header=len(rows) == 1), file=sys.stderr, flush=True)
                continue
        cmd = [sys.executable, "-m", "benchmarks.assembly", "--one", str(n), "--seed", str(seed),
               "--memory-mib", str(int(budget))]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            row = {"docs": n, "error": f"did not finish in {timeout:.0f} s"}
        except subprocess.CalledProcessError as exc:
            row = {"docs": n, "error": f"failed: {exc.stderr.strip().splitlines()[-1:]}"}
        rows.append(row)
        print(format_table(rows[-1:], header=len(rows) == 1), file=sys.stderr, flush=True)
    return rows


def _get(row: dict[str, Any], key: str, fmt: str) -> str:
    return format(row[key], fmt) if key in row else "–"


def _exponent(rows: Sequence[dict[str, Any]], key: str) -> str:
    ok = [r for r in rows if key in r and r[key] > 0]
    if len(ok) < 2:
        return "n/a"
    a, b = ok[0], ok[-1]
    return f"{math.log(b[key] / a[key]) / math.log(b['docs'] / a['docs']):.2f}"


def format_table(rows: Sequence[dict[str, Any]], *, header: bool = True) -> str:
    """A Markdown table of the rows (plus the growth exponents when there are several sizes)."""
    lines = []
    if header:
        lines += ["| docs | link s | assemble s | total s | µs/doc | CPU s | CPU µs/doc | RSS records MiB "
                  "| peak RSS MiB | nodes | edges |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['docs']:,} | {r['error']} | | | | | | | | | |")
            continue
        lines.append(
            f"| {r['docs']:,} | {r['link_s']:.2f} | {r['assemble_s']:.2f} | {r['total_s']:.2f} | {r['us_per_doc']:.0f} "
            f"| {_get(r, 'cpu_s', '.2f')} | {_get(r, 'cpu_us_per_doc', '.0f')} | {r['rss_records_mib']:.0f} | {r['peak_rss_mib']:.0f} | {r['nodes']:,} | {r['edges']:,} |"
        )
    if len(rows) > 1:
        lines.append("")
        lines.append(f"Growth exponent from smallest to largest finished size (1.0 is linear): "
                     f"total time {_exponent(rows, 'total_s')}, CPU time {_exponent(rows, 'cpu_s')}, link {_exponent(rows, 'link_s')}, "
                     f"assemble {_exponent(rows, 'assemble_s')}, memory above the interpreter's "
                     f"{_exponent(rows, 'growth_mib')}.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.assembly [SIZE ...] [--timeout S] [--json FILE]``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.assembly", description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per size")
    ap.add_argument("--json", help="also write the rows as JSON here")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process of one size
    ap.add_argument("--memory-share", type=float, default=0.6,
                    help="skip a size projected to need more than this share of the available memory (default 0.6)")
    ap.add_argument("--memory-mib", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        if args.memory_mib:
            _limit_memory(args.memory_mib)
        print(json.dumps(measure(args.one, seed=args.seed)))
        return 0
    if not 0 < args.memory_share <= 1:
        ap.error(f"--memory-share must be in (0, 1], got {args.memory_share!r}")
    rows = run_sizes(args.sizes, seed=args.seed, timeout=args.timeout, memory_share=args.memory_share)
    print(format_table(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
