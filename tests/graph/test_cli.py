"""graph.cli: the argument parser on its own, and ``main`` end to end with its exit codes."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.cli import EXIT_FAILED, EXIT_NOTHING_READ, EXIT_OK, EXIT_USAGE, main, make_parser

ARTICLE = "TEHRAN (Wire) \u2014 Iran\u2019s envoy met BRICS officials and the UN on Monday.\n"
OTHER = "China and Iran discussed the Belt and Road Initiative in Beijing.\n"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """``main`` configures logging for the process; put it back after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    logging.captureWarnings(False)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "envoy.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "bri.txt").write_text(OTHER, encoding="utf-8")
    return folder


# --- the parser -----------------------------------------------------------------------------


def test_parser_defaults() -> None:
    args = make_parser().parse_args(["build", "a.txt", "--out", "o"])
    assert (args.command, args.inputs, args.out) == ("build", ["a.txt"], "o")
    assert (args.gazetteer, args.model, args.no_html, args.verbose, args.quiet) == ([], None, False, 0, False)
    assert args.force is False


def test_parser_every_option() -> None:
    args = make_parser().parse_args(
        ["-vv", "-q", "build", "a.txt", "folder", "--out", "o", "--gazetteer", "g1.jsonl",
         "--gazetteer", "g2.jsonl", "--model", "blank", "--no-html", "--force"]
    )
    assert args.force is True
    assert args.inputs == ["a.txt", "folder"]
    assert args.gazetteer == ["g1.jsonl", "g2.jsonl"]
    assert (args.model, args.no_html, args.verbose, args.quiet) == ("blank", True, 2, True)


def test_parser_store_and_cluster_options() -> None:
    defaults = make_parser().parse_args(["build", "a.txt", "--out", "o"])
    assert (defaults.store, defaults.no_store, defaults.scheduler, defaults.workers) == (None, False, None, 1)
    args = make_parser().parse_args(
        ["build", "a.txt", "--out", "o", "--store", "s.sqlite", "--scheduler", "tcp://h:8786", "--workers", "4"]
    )
    assert (args.store, args.no_store, args.scheduler, args.workers) == ("s.sqlite", False, "tcp://h:8786", 4)
    assert make_parser().parse_args(["build", "a.txt", "--out", "o", "--no-store"]).no_store is True


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--store", "s.sqlite", "--no-store"], "not allowed with argument"),
        (["--workers", "0"], "expected at least 1, got 0"),
        (["--workers", "two"], "expected a whole number, got 'two'"),
    ],
    ids=["store-and-no-store", "zero-workers", "not-a-number"],
)
def test_parser_rejects_bad_store_and_cluster_options(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        make_parser().parse_args(["build", "a.txt", "--out", "o", *argv])
    assert info.value.code == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_store_option_puts_the_store_there_and_a_rerun_reuses_it(
    articles: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    store = tmp_path / "cache" / "records.sqlite"
    argv = ["build", str(articles), "--out", str(tmp_path / "o"), "--model", "blank", "--no-html", "--store", str(store)]
    assert main(argv) == EXIT_OK and store.is_file()
    assert not (tmp_path / "o" / "store.sqlite").exists()
    caplog.clear()
    assert main(argv) == EXIT_OK
    assert "extracted 0 documents with blank, reused 2 from the store" in [r.getMessage() for r in caplog.records]


def test_a_foreign_store_file_exits_3(articles: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("these are my notes, not a database\n" * 50, encoding="utf-8")
    code = main(["-q", "build", str(articles), "--out", str(tmp_path / "o"), "--model", "blank", "--store", str(bogus)])
    assert code == EXIT_FAILED
    assert any("not a diplograph store" in r.getMessage() for r in caplog.records)
    assert bogus.read_text(encoding="utf-8").startswith("these are my notes")


@pytest.mark.parametrize(
    "argv",
    [
        [],  # no command
        ["build", "--out", "o"],  # no input
        ["build", "a.txt"],  # no --out
        ["render", "a.txt", "--out", "o"],  # unknown command
        ["build", "a.txt", "--out", "o", "--bogus"],
    ],
    ids=["no-command", "no-input", "no-out", "unknown-command", "unknown-option"],
)
def test_parser_rejects_bad_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        make_parser().parse_args(argv)
    assert info.value.code == EXIT_USAGE == 2
    assert "usage: diplograph" in capsys.readouterr().err


def test_help_lists_the_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        make_parser().parse_args(["build", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for name in ("graph.json", "graph.graphml", "graph.gexf", "graph.html", "nodes.csv", "events.csv",
                 "extractions.jsonl", "--gazetteer", "--model"):
        assert name in out


# --- main -----------------------------------------------------------------------------------


def test_success_prints_the_written_paths(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["-q", "build", str(articles), "--out", str(out), "--model", "blank"])
    assert code == EXIT_OK == 0
    printed = capsys.readouterr().out.splitlines()
    assert sorted(Path(p).name for p in printed) == [
        "edges.csv", "events.csv", "extractions.jsonl", "graph.gexf", "graph.graphml", "graph.html",
        "graph.json", "nodes.csv",
    ]
    assert all(Path(p).parent == out and Path(p).is_file() for p in printed)
    rows = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(r)["doc_id"] for r in rows) == ["bri", "envoy"]


def test_no_html(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["-q", "build", str(articles), "--out", str(out), "--model", "blank", "--no-html"]) == 0
    assert not (out / "graph.html").exists()
    assert "graph.html" not in capsys.readouterr().out


def test_a_rebuild_with_nothing_new_says_so_and_force_rewrites(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    argv = ["build", str(articles), "--out", str(out), "--model", "blank", "--no-html"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    mtime = (out / "graph.json").stat().st_mtime_ns
    caplog.set_level(logging.INFO)
    assert main(argv) == 0
    assert capsys.readouterr().out == first  # the same paths, all still there
    assert any("outputs up to date" in r.getMessage() for r in caplog.records)
    assert (out / "graph.json").stat().st_mtime_ns == mtime
    caplog.clear()
    assert main([*argv, "--force"]) == 0
    assert not any("outputs up to date" in r.getMessage() for r in caplog.records)
    assert (out / "graph.json").stat().st_mtime_ns > mtime


def test_summary_is_logged_not_printed(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert main(["build", str(articles), "--out", str(tmp_path / "o"), "--model", "blank", "--no-html"]) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert "read 2 articles, skipped 0" in messages
    assert "extracted 2 documents with blank, reused 0 from the store" in messages
    assert "read 2" not in capsys.readouterr().out


def test_nothing_read_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["-q", "build", str(empty), str(tmp_path / "missing.txt"), "--out", str(out), "--model", "blank"])
    assert code == EXIT_NOTHING_READ == 1
    assert capsys.readouterr().out == ""
    assert not out.exists()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("no article could be read" in m and "empty.txt" in m for m in errors)


def test_bad_gazetteer_exits_3_naming_the_file(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    gazetteer = tmp_path / "my_patterns.jsonl"
    gazetteer.write_text('{"label": "ORG", "pattern": "Caspian Forum"}\n{not json}\n', encoding="utf-8")
    out = tmp_path / "out"
    code = main(["-q", "build", str(articles), "--out", str(out), "--model", "blank",
                 "--gazetteer", str(gazetteer)])
    assert code == EXIT_FAILED == 3
    assert capsys.readouterr().out == ""
    assert not out.exists()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(f"{gazetteer}:2" in m for m in errors), errors


def test_missing_gazetteer_exits_3(articles: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "nowhere.jsonl"
    code = main(["-q", "build", str(articles), "--out", str(tmp_path / "o"), "--model", "blank",
                 "--gazetteer", str(missing)])
    assert code == EXIT_FAILED
    assert any("nowhere.jsonl" in r.getMessage() for r in caplog.records)


def test_unknown_model_exits_3(articles: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    code = main(["-q", "build", str(articles), "--out", str(tmp_path / "o"), "--model", "no_such_model_xyz"])
    assert code == EXIT_FAILED
    assert any("no_such_model_xyz" in r.getMessage() for r in caplog.records)


def test_missing_out_is_a_usage_error(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["build", str(articles)])
    assert info.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_bad_input_in_a_batch_is_reported_and_the_rest_built(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = tmp_path / "out"
    code = main(["-q", "build", str(broken), str(articles), "--out", str(out), "--model", "blank", "--no-html"])
    assert code == EXIT_OK
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(str(broken) in m for m in warnings), warnings
    assert any("skipped 1" in m for m in warnings), warnings
    rows = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(r)["doc_id"] for r in rows) == ["bri", "envoy"]
    assert len(capsys.readouterr().out.splitlines()) == 7  # every output but graph.html


# --- the console script ---------------------------------------------------------------------


def test_console_script_is_run() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["diplograph"] == "graph.cli:run"


def test_run_freezes_what_is_left_then_exits_with_mains_status(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import graph.cli as cli

    calls: list[str] = []

    def fake_main() -> int:
        calls.append("main")
        return EXIT_FAILED

    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))  # never freeze the test process
    with pytest.raises(SystemExit) as exited:
        cli.run()
    assert exited.value.code == EXIT_FAILED
    assert calls == ["main", "freeze"]
