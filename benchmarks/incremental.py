"""Incremental builds: what adding 1% new documents to a stored corpus costs, against a full build.

The synthetic corpus of ``N + N/100`` articles is written; the first ``N`` go into a folder and
``diplograph build`` runs on it from scratch (a fresh ``--out``, so a fresh store). Then the same
build runs again with nothing new (the fixed cost of a rebuild: reading, store look-ups, linking,
assembly, writing every output), and once more after the other 1% were copied in. Last, a
user gazetteer with one new entry (:data:`GAZETTEER_ENTRY`, an alias of an initiative the
stories name) is given: only the documents naming the entry's initiative are extracted again.
Each build is the CLI in a fresh process, timed from start to exit.

Run ``python -m benchmarks.incremental 10000``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate
from benchmarks.throughput import load_average

__all__ = ["run", "format_table", "main"]


#: The user gazetteer's entry of the last build: a new alias of a shipped initiative, so every
#: document naming that initiative (by its id's words) may change, and no other.
GAZETTEER_ENTRY = {"label": "INITIATIVE", "pattern": "DSR", "id": "initiative:digital-silk-road"}


def _build(articles: Path, out: Path, processes: int, *extra: str) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("diplograph")
    cmd = [str(exe) if exe.exists() else "diplograph", "build", str(articles), "--out", str(out),
           "--workers", str(processes), *extra]
    load = load_average()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS, not the largest child's
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"diplograph build failed ({proc.returncode}): {stderr[-2000:]}")
    summary = [line for line in stderr.splitlines() if line.startswith("diplograph:")]
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024,
            "load": load, "summary": summary}


def run(n_docs: int, *, share: float = 0.01, seed: int = 0, processes: int = 1,
        work: Path | None = None) -> dict[str, Any]:
    """Full build of ``n_docs``, a rebuild with nothing new, and one with ``share`` more documents."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share!r}")
    root = Path(work) if work else Path(tempfile.mkdtemp(prefix="diplograph-incremental-"))
    extra = max(1, round(n_docs * share))
    corpus = generate(n_docs + extra, seed=seed)
    articles = root / "articles"
    shutil.rmtree(root / "out", ignore_errors=True)
    shutil.rmtree(articles, ignore_errors=True)
    articles.mkdir(parents=True)
    for doc in corpus.documents[:n_docs]:
        (articles / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    out = root / "out"
    steps: dict[str, Any] = {}
    steps["full"] = _build(articles, out, processes)
    print(f"  full build of {n_docs:,}: {steps['full']['wall_s']:.1f} s", file=sys.stderr)
    steps["unchanged"] = _build(articles, out, processes)
    print(f"  rebuild, nothing new: {steps['unchanged']['wall_s']:.1f} s", file=sys.stderr)
    for doc in corpus.documents[n_docs:]:
        (articles / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    steps["added"] = _build(articles, out, processes)
    print(f"  rebuild with {extra:,} new: {steps['added']['wall_s']:.1f} s", file=sys.stderr)
    gazetteer = root / "gazetteer.jsonl"
    gazetteer.write_text(json.dumps(GAZETTEER_ENTRY) + "\n", encoding="utf-8")
    steps["gazetteer"] = _build(articles, out, processes, "--gazetteer", str(gazetteer))
    steps["gazetteer"]["extracted"] = _extracted(steps["gazetteer"]["summary"])
    print(f"  rebuild with a new gazetteer entry: {steps['gazetteer']['wall_s']:.1f} s", file=sys.stderr)
    words = sum(len(d.text.split()) for d in corpus.documents[:n_docs])
    return {"docs": n_docs, "added": extra, "words": words, "processes": processes, "steps": steps,
            "work": str(root)}


def _extracted(summary: list[str]) -> int | None:
    """The documents a build extracted, from its summary line (``extracted 12 documents ...``)."""
    for line in summary:
        words = line.split()
        if "extracted" in words and words.index("extracted") + 1 < len(words):
            number = words[words.index("extracted") + 1].replace(",", "")
            if number.isdigit():
                return int(number)
    return None


def format_table(result: dict[str, Any]) -> str:
    """A Markdown table of the builds and their cost relative to the full one."""
    full = result["steps"]["full"]["wall_s"]
    names = {"full": f"full build of {result['docs']:,} documents ({result['words']:,} words)",
             "unchanged": "rebuild, nothing new",
             "added": f"rebuild with {result['added']:,} new documents ({result['added'] / result['docs']:.0%})"}
    if "gazetteer" in result["steps"]:
        again = result["steps"]["gazetteer"].get("extracted")
        names["gazetteer"] = "rebuild with a new gazetteer entry" + (
            f" ({again:,} documents extracted again)" if again is not None else "")
    lines = ["| build | wall s | share of the full build | CPU s | peak RSS MiB | load avg |",
             "|---|---:|---:|---:|---:|---:|"]
    for key, name in names.items():
        step = result["steps"][key]
        cpu = f"{step['cpu_s']:.1f}" if "cpu_s" in step else "–"
        rss = f"{step['peak_rss_mib']:.0f}" if "peak_rss_mib" in step else "–"
        lines.append(f"| {name} | {step['wall_s']:.1f} | {step['wall_s'] / full:.1%} | {cpu} | {rss} | {step['load']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.incremental [N_DOCS] [--share 0.01] [--json FILE]``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.incremental", description=__doc__.splitlines()[0])
    ap.add_argument("n_docs", nargs="?", type=int, default=10_000)
    ap.add_argument("--share", type=float, default=0.01, help="share of new documents (default 0.01)")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", help="folder for the corpus and outputs (default: a new temporary one)")
    ap.add_argument("--json", help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    result = run(args.n_docs, share=args.share, seed=args.seed, processes=args.processes,
                 work=Path(args.work) if args.work else None)
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
