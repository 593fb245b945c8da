"""Run every benchmark and write ``benchmarks/RESULTS.md`` with the machine, the date and the load.

``python -m benchmarks.run`` (or ``make bench``) runs the default sizes (about an hour
on two cores, most of it the 10,000-document build and the 1,000,000-document assembly); ``--quick`` runs small sizes in a few minutes, to check the scripts.
Each section can also be run alone with its own module (see ``benchmarks/README.md``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import assembly, exports, incremental, throughput

__all__ = ["SIZES", "machine", "accuracy", "main"]

ROOT = Path(__file__).resolve().parents[1]
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"

#: Sizes of each section: the default run, and --quick.
SIZES: dict[str, dict[str, Any]] = {
    "default": {"throughput": 1000, "processes": [1, 2], "assembly": [10_000, 100_000, 1_000_000],
                "assembly_timeout": 3600.0, "incremental": 10_000, "exports": [10_000, 100_000]},
    "quick": {"throughput": 200, "processes": [1, 2], "assembly": [1_000, 10_000],
              "assembly_timeout": 120.0, "incremental": 1_000, "exports": [1_000]},
}


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import spacy

    mem = "unknown"
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = f"{int(fh.readline().split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{_cpu()}, {os.cpu_count()} logical cores",
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": throughput.model_name(),
        "commit": commit,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def accuracy(graph_json: Path, gold_json: Path, score_py: Path = SCORE_PY) -> dict[str, Any] | None:
    """``score.py``'s metrics of a build against the corpus gold (None without the eval kit)."""
    if not score_py.is_file():
        return None
    spec = importlib.util.spec_from_file_location("diplograph_eval_score", score_py)
    if spec is None or spec.loader is None:
        return None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    nodes, edges = scorer.load_graph(str(graph_json))
    metrics, _ = scorer.score(nodes, edges, json.loads(gold_json.read_text(encoding="utf-8")))
    return dict(metrics)


_ACCURACY_KEYS = ("entity_precision", "entity_recall", "entity_f1", "forbidden_nodes", "source_coverage",
                  "person_country_accuracy", "title_accuracy", "event_precision", "event_recall", "event_f1",
                  "event_duplicates", "event_date_accuracy", "event_location_accuracy",
                  "event_initiator_accuracy", "event_source_coverage", "relation_precision",
                  "relation_recall", "relation_f1", "score")


def _accuracy_table(metrics: dict[str, Any]) -> str:
    lines = ["| metric | value |", "|---|---:|"]
    for key in _ACCURACY_KEYS:
        if key in metrics:
            value = metrics[key]
            lines.append(f"| {key} | {value:.3f} |" if isinstance(value, float) else f"| {key} | {value} |")
    return "\n".join(lines)


def _section(title: str, started: float, body: str, note: str = "") -> str:
    took = time.perf_counter() - started
    return f"## {title}\n\n{note + chr(10) + chr(10) if note else ''}{body}\n\n(section took {took:.0f} s)\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.run [--quick] [--out RESULTS.md] [--only SECTION ...]``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    ap.add_argument("--json", help="also write every figure as JSON here")
    ap.add_argument("--only", nargs="+", choices=["throughput", "assembly", "incremental", "exports"])
    ap.add_argument("--work", help="folder for corpora and outputs (default: a new temporary one)")
    ap.add_argument("--throughput", type=int, metavar="N", help="documents for throughput and accuracy")
    ap.add_argument("--repeat", type=int, default=1, metavar="R",
                    help="throughput: runs of each kind, the fastest kept (default 1)")
    ap.add_argument("--assembly", type=int, nargs="+", metavar="N", help="record counts for assembly")
    ap.add_argument("--assembly-timeout", type=float, metavar="S", help="seconds per assembly size")
    ap.add_argument("--incremental", type=int, metavar="N", help="documents in the stored corpus")
    ap.add_argument("--exports", type=int, nargs="+", metavar="N", help="record counts for exports")
    args = ap.parse_args(argv)
    sizes = dict(SIZES["quick" if args.quick else "default"])
    for key in ("throughput", "assembly", "assembly_timeout", "incremental", "exports"):
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    sections = args.only or ["throughput", "assembly", "incremental", "exports"]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="diplograph-bench-"))
    info = machine()
    figures: dict[str, Any] = {"machine": info, "sizes": sizes}
    parts = [
        "# Benchmark results\n",
        f"Written by `python -m benchmarks.run {' '.join(sys.argv[1:] if argv is None else argv)}` "
        f"on {info['date']}.\n",
        "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in info.items()) + "\n",
        "`load` is the 1, 5 and 15-minute load average when the run began; each timed run also shows "
        "the 1-minute load when it started. On a shared machine (load above the core count) wall "
        "times are inflated and ratios between runs made at different moments are noisy.\n",
    ]

    def flush() -> None:  # the file is rewritten after each section, so a long run keeps what it has
        Path(args.out).write_text("\n".join(parts), encoding="utf-8")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")

    if "throughput" in sections:
        started = time.perf_counter()
        print("throughput …", file=sys.stderr)
        result = throughput.run(sizes["throughput"], sizes["processes"], work=work / "throughput",
                                repeat=args.repeat)
        figures["throughput"] = result
        body = throughput.format_table(result)
        one = Path(result["work"]) / f"out-{sizes['processes'][0]}" / "graph.json"
        metrics = accuracy(one, Path(result["work"]) / "corpus" / "gold.json")
        figures["accuracy"] = metrics
        parts.append(_section(
            "Throughput: diplograph build against bare spaCy", started, body,
            "Same documents, same model, same number of processes; each run is a fresh process timed "
            "from start to exit (both include interpreter start and model load). `build ÷ this` is "
            "the build's throughput as a share of that run's (target: at least 0.9 against bare spaCy)."))
        if metrics is not None:
            parts.append(_section(
                f"Accuracy on the synthetic corpus ({sizes['throughput']:,} documents)", started,
                _accuracy_table(metrics),
                "`score.py` (../shared/eval) on the 1-process build above against the corpus' own gold."))
        flush()
    if "assembly" in sections:
        started = time.perf_counter()
        print("assembly …", file=sys.stderr)
        rows = assembly.run_sizes(sizes["assembly"], timeout=sizes["assembly_timeout"])
        figures["assembly"] = rows
        parts.append(_section(
            "Graph assembly from stored records", started, assembly.format_table(rows),
            f"Records made directly (no spaCy), one process per size; `link` is "
            f"`extract.linking.link_records`, `assemble` is `graph.build.assemble`; peak RSS by "
            f"`getrusage`, including the records themselves. Timeout {sizes['assembly_timeout']:.0f} s per size."))
        flush()
    if "incremental" in sections:
        started = time.perf_counter()
        print("incremental …", file=sys.stderr)
        result = incremental.run(sizes["incremental"], work=work / "incremental")
        figures["incremental"] = result
        parts.append(_section(
            "Incremental: 1% new documents on a stored corpus", started, incremental.format_table(result),
            "`diplograph build` (CLI, 1 process, default store `<out>/store.sqlite`, every output "
            "including the HTML page) on the same folder three times."))
        flush()
    if "exports" in sections:
        started = time.perf_counter()
        print("exports …", file=sys.stderr)
        rows = exports.run_sizes(sizes["exports"], work=work / "exports")
        figures["exports"] = rows
        parts.append(_section(
            "Exports: time and size", started, exports.format_table(rows),
            "Each writer on a graph assembled from synthetic records; `csv` is "
            "nodes.csv + edges.csv + events.csv; `html` keeps the 2,000 most connected nodes "
            "(`write_html`'s default)."))
        flush()
    flush()
    print(Path(args.out).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
