"""End-to-end ``diplograph build`` against bare ``nlp.pipe`` of the same spaCy model, same documents.

One run: the synthetic corpus is written once as ``.txt`` files; then, for each process count,
bare spaCy (``spacy.load`` + ``nlp.pipe(texts, n_process=N, batch_size=32)``) and the whole
``diplograph build`` CLI (``--workers N``, a fresh ``--out`` and store) each run in a fresh
process, alternately. Both walls include interpreter start and model load, so the ratio
compares like with like; the pipe-only figure of bare spaCy is printed too. Words are
whitespace-separated words of the article texts (:func:`benchmarks.corpus.word_count`).

Two baselines: ``full`` is the model with all its default pipes (the figure the issue quotes);
``same`` is the model as diplograph loads it (``exclude=["lemmatizer"]``), without our rulers.

Run ``python -m benchmarks.throughput 1000 --processes 1 2``.
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

from benchmarks.corpus import generate, word_count, write_corpus

__all__ = ["model_name", "bare_spacy", "end_to_end", "run", "format_table", "load_average", "main"]

BATCH_SIZE = 32


def load_average() -> str:
    """The 1-minute load average now (the machine may be shared: noisy timings say so)."""
    return f"{os.getloadavg()[0]:.2f}"


def model_name() -> str:
    """The spaCy package diplograph loads by default."""
    from extract.pipeline import PREFERRED_MODELS, _installed

    for name in PREFERRED_MODELS:
        if _installed(name):
            return name
    raise RuntimeError(f"none of {PREFERRED_MODELS} is installed: the throughput benchmark needs the model")


def _bare_child(texts_path: str, processes: int, pipes: str) -> dict[str, Any]:
    """In the child: load the model, pipe every text, and time both."""
    import spacy

    t0 = time.perf_counter()
    exclude = ["lemmatizer"] if pipes == "same" else []
    nlp = spacy.load(model_name(), exclude=exclude)
    t1 = time.perf_counter()
    with open(texts_path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    t2 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, n_process=processes, batch_size=BATCH_SIZE))
    t3 = time.perf_counter()
    return {"load_s": t1 - t0, "pipe_s": t3 - t2, "docs": n, "pipes": nlp.pipe_names}


def bare_spacy(texts_path: Path, processes: int, pipes: str = "full") -> dict[str, Any]:
    """Bare spaCy in a fresh process: wall time (start to exit), and its own pipe time."""
    cmd = [sys.executable, "-m", "benchmarks.throughput", "--bare", str(texts_path),
           "--processes", str(processes), "--pipes", pipes]
    load = load_average()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"bare spaCy run failed ({done.returncode}): {done.stderr[-2000:]}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    return {**row, "wall_s": wall, "load": load}


def end_to_end(articles: Path, processes: int, out: Path) -> dict[str, Any]:
    """``diplograph -q build ARTICLES --out OUT --workers N`` in a fresh process, timed."""
    exe = Path(sys.executable).with_name("diplograph")
    cmd = [str(exe) if exe.exists() else "diplograph", "-q", "build", str(articles), "--out", str(out),
           "--workers", str(processes)]
    shutil.rmtree(out, ignore_errors=True)
    load = load_average()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"diplograph build failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"wall_s": wall, "load": load, "outputs": sorted(p.name for p in out.iterdir())}


def run(n_docs: int, processes: Sequence[int], *, seed: int = 0, work: Path | None = None,
        baselines: Sequence[str] = ("full", "same"), repeat: int = 1) -> dict[str, Any]:
    """Write the corpus, then time bare spaCy and the build at each process count.

    With ``repeat`` > 1 the runs of one process count are made that many times, alternately,
    and the fastest of each kept (on a shared machine the fastest is the least disturbed).
    """
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat!r}")
    tmp = Path(work) if work else Path(tempfile.mkdtemp(prefix="diplograph-throughput-"))
    corpus = generate(n_docs, seed=seed)
    paths = write_corpus(corpus, tmp / "corpus", fmt="txt")
    texts = tmp / "texts.jsonl"
    with texts.open("w", encoding="utf-8") as fh:
        for doc in corpus.documents:
            fh.write(json.dumps({"text": doc.text}) + "\n")
    words = corpus.words
    rows = []
    for n in processes:
        row: dict[str, Any] = {"processes": n, "docs": n_docs, "words": words, "repeat": repeat}

        def keep(key: str, result: dict[str, Any]) -> None:
            if key not in row or result["wall_s"] < row[key]["wall_s"]:
                row[key] = result
            print(f"  {key}, {n} process(es): {result['wall_s']:.1f} s", file=sys.stderr)

        for _ in range(repeat):
            for pipes in baselines:
                keep(f"bare_{pipes}", bare_spacy(texts, n, pipes))
            keep("build", end_to_end(paths["articles"], n, tmp / f"out-{n}"))
        rows.append(row)
    return {"model": model_name(), "docs": n_docs, "words": words, "rows": rows, "work": str(tmp)}


def format_table(result: dict[str, Any]) -> str:
    """A Markdown table: documents/s and words/s of each, and the ratio build / bare spaCy."""
    repeat = result["rows"][0].get("repeat", 1) if result["rows"] else 1
    lines = [
        f"{result['docs']:,} documents, {result['words']:,} words, model {result['model']}, batch size {BATCH_SIZE}"
        + (f"; fastest of {repeat} alternating runs each." if repeat > 1 else "."),
        "",
        "| processes | run | wall s | docs/s | words/s | build ÷ this | load avg |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        build = row["build"]["wall_s"]
        runs = [(f"bare spaCy, {k.split('_', 1)[1]} pipes ({', '.join(v['pipes'])})", v)
                for k, v in row.items() if k.startswith("bare_")]
        for name, v in runs:
            lines.append(f"| {row['processes']} | {name} | {v['wall_s']:.1f} | {row['docs'] / v['wall_s']:.1f} "
                         f"| {row['words'] / v['wall_s']:,.0f} | **{v['wall_s'] / build:.2f}** | {v['load']} |")
            lines.append(f"| {row['processes']} | … its nlp.pipe alone | {v['pipe_s']:.1f} | {row['docs'] / v['pipe_s']:.1f} "
                         f"| {row['words'] / v['pipe_s']:,.0f} | {v['pipe_s'] / build:.2f} | |")
        lines.append(f"| {row['processes']} | diplograph build (end to end) | {build:.1f} | {row['docs'] / build:.1f} "
                     f"| {row['words'] / build:,.0f} | 1.00 | {row['build']['load']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.throughput [N_DOCS] [--processes 1 2] [--json FILE]``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__.splitlines()[0])
    ap.add_argument("n_docs", nargs="?", type=int, default=1000)
    ap.add_argument("--processes", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each kind, fastest kept (default 1)")
    ap.add_argument("--baselines", nargs="+", choices=["full", "same"], default=["full", "same"],
                    help="bare-spaCy baselines to run (default both; 'full' alone halves a long run)")
    ap.add_argument("--work", help="folder for the corpus and outputs (default: a new temporary one)")
    ap.add_argument("--json", help="also write the figures as JSON here")
    ap.add_argument("--bare", help=argparse.SUPPRESS)  # the child: texts.jsonl to pipe
    ap.add_argument("--pipes", choices=["full", "same"], default="full", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare:
        print(json.dumps(_bare_child(args.bare, args.processes[0], args.pipes)))
        return 0
    result = run(args.n_docs, args.processes, seed=args.seed, work=Path(args.work) if args.work else None,
                 repeat=args.repeat, baselines=args.baselines)
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
