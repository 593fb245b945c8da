"""Issue 6 end to end: ``diplograph build`` on a folder of every broken input plus good articles.

Each bad input must give one warning ``path[:line]: reason``, the good articles must reach the
graph, the summary must count what was read and skipped, and the exit status must be the
documented one (0: graph written, skips counted; 1: nothing could be read).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.cli import EXIT_NOTHING_READ, EXIT_OK, EXIT_USAGE, main

GOOD = "China and Iran discussed the Belt and Road Initiative in Beijing on Monday.\n"
FEED_GOOD = "Iran and Russia joined BRICS officials and the UN for talks in Tehran.\n"
LATIN = "Le ministre de la Chine a rencontré son homologue de l'Iran à Genève; la réunion a duré."
WESTERN = "The envoy’s “frank” talks with China and Iran in Genève cost 5 €, a café owner said."


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


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("story.txt", GOOD * 20)
    return buffer.getvalue()


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """A folder of every bad case of issue 6 and the good articles, and the expected warnings."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "feed.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"id": "feed-good", "text": FEED_GOOD, "published": "2024-05-06"}),
                '{"id": "broken", "text": ',
                json.dumps({"id": "no-text"}),
                json.dumps({"id": ["a", "list"], "text": GOOD}),
                json.dumps({"id": "cp1252", "text": "Another story under the same id."}),
                json.dumps({"id": "feed-good", "text": FEED_GOOD, "published": "2024-05-06"}),
                json.dumps({"id": 42, "text": FEED_GOOD + " A numbered record."}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    (d / "archive.html").write_bytes(_zip())
    (d / "archive.jsonl").write_bytes(_zip())
    (d / "cp1252.txt").write_bytes(WESTERN.encode("cp1252"))
    (d / "latin1.txt").write_bytes(LATIN.encode("latin-1"))
    (d / "utf16.txt").write_bytes(WESTERN.replace("5", "7").encode("utf-16"))  # with its BOM
    (d / "mixed.txt").write_bytes(b"Talks in Beijing\r\n\r\nChina and Iran met.\rThey spoke.\n")
    with (d / "huge.txt").open("wb") as handle:  # 200 MiB, sparse: nothing is written or read
        handle.write(GOOD.encode())
        handle.truncate(200 * 2**20)
    (d / "oneline.txt").write_text(GOOD.strip() * (3 * 2**20 // len(GOOD)), encoding="utf-8")
    (d / "shell.html").write_text(
        "<html><head><script>var s = 'China and Iran met';</script><style>p {}</style></head>"
        "<body><script>document.write('China and Iran met in Beijing for talks');</script>"
        "<iframe src='https://example.org/embed'>Your browser does not support iframes.</iframe>"
        "</body></html>",
        encoding="utf-8",
    )
    (d / "controls.txt").write_bytes(b"China\x00 and Iran\x07 met in Beijing.\x1b " + GOOD.encode() * 6)
    (d / "undated.txt").write_text(GOOD + "Nothing says when.", encoding="utf-8")
    (d / "future.txt").write_text(" date 2999-03-04 Talks in Beijing\n\n" + GOOD, encoding="utf-8")
    (d / "feb30.txt").write_text("BEIJING, Feb. 30, 2023 (Wire) -- " + GOOD, encoding="utf-8")
    (d / "loop").symlink_to(d)
    (d / "dangling.txt").symlink_to(d / "nowhere.txt")
    os.mkfifo(d / "pipe.txt")
    locked = d / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)  # refused to an ordinary user; root reads it anyway, hence the patched open
    real_open = open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)
    sub1, sub2 = d / "sub1", d / "sub2"
    sub1.mkdir()
    sub2.mkdir()
    (sub1 / "same.txt").write_text(GOOD + "First telling.", encoding="utf-8")
    (sub2 / "same.txt").write_text(GOOD + "Second telling.", encoding="utf-8")
    (d / "twin.html").write_text(
        "<html><head><title>Twin</title></head><body><article><p>"
        + GOOD * 2
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (d / "twin.txt").write_text(GOOD + "The text version.", encoding="utf-8")

    expected = {
        f"{d / 'archive.html'}": "binary: looks like a zip archive (or docx, xlsx, epub)",
        f"{d / 'archive.jsonl'}": "binary: looks like a zip archive (or docx, xlsx, epub)",
        f"{d / 'dangling.txt'}": f"broken symlink: its target {str(d / 'nowhere.txt')!r} does not exist",
        f"{d / 'empty.txt'}": "empty",
        f"{d / 'feed.jsonl'}:2": "bad JSON: Expecting value at column 26",
        f"{d / 'feed.jsonl'}:3": "missing text",
        f"{d / 'feed.jsonl'}:4": "bad id: expected a string or an integer, got array",
        f"{d / 'feed.jsonl'}:5": (
            f"duplicate id: 'cp1252' already read from {d / 'cp1252.txt'} (a different text)"
        ),
        f"{d / 'feed.jsonl'}:6": (
            f"duplicate id: 'feed-good' already read from {d / 'feed.jsonl'}:1 (the same text)"
        ),
        f"{d / 'huge.txt'}": (
            "too large: 200 MiB, over the limit of 50 MiB per file; raise it with --max-bytes "
            "or max_bytes=, or split the file (a .jsonl file is read line by line)"
        ),
        f"{d / 'image.txt'}": "binary: looks like a PNG image",
        f"{d / 'locked.txt'}": "unreadable: Permission denied",
        f"{d / 'loop'}": f"symlink loop: leads back to {d}",
        f"{d / 'oneline.txt'}": (
            f"too long: {(d / 'oneline.txt').stat().st_size:,} characters, over the limit of "
            "1,000,000 per article (spaCy's max_length); split the text into several articles"
        ),
        f"{d / 'pipe.txt'}": "not a regular file: a FIFO",
        f"{d / 'shell.html'}": "no main text",
        f"{d / 'sub2' / 'same.txt'}": (
            f"duplicate id: 'same' already read from {sub1 / 'same.txt'} (a different text)"
        ),
        f"{d / 'twin.txt'}": (
            f"duplicate id: 'twin' already read from {d / 'twin.html'} (a different text)"
        ),
        f"{d / 'nothing' / '*.txt'}": "no match: no file matches this pattern",
    }
    return d, expected


GOOD_IDS = {
    "good", "feed-good", "42", "cp1252", "latin1", "utf16", "mixed", "controls", "undated",
    "future", "feb30", "same", "twin",
}


def _messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name.startswith("diplograph") and r.levelno == level
    ]


def test_every_bad_input_is_named_and_the_rest_is_built(
    hostile: tuple[Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, expected = hostile
    out = tmp_path / "out"
    pattern = str(folder / "nothing" / "*.txt")
    with caplog.at_level(logging.INFO):
        status = main(["build", str(folder), pattern, "--out", str(out), "--model", "blank",
                       "--no-store", "--no-html"])
    assert status == EXIT_OK
    warnings = [  # those of the readers (the build may add its own)
        m for m in _messages(caplog, logging.WARNING) if m.startswith(str(folder))
    ]
    skips = [w for w in warnings if not w.endswith("; ignored")]
    # One warning per bad input, each "path[:line]: reason", in reading order.
    assert sorted(skips) == sorted(f"{where}: {reason}" for where, reason in expected.items())
    future = f"{folder / 'future.txt'}: future date: publication date 2999-03-04 (from date-line)"
    assert [w for w in warnings if w.endswith("; ignored")] == [
        f"{future} is after {dt.date.today().isoformat()}; ignored"
    ]
    # The summary counts them.
    info = _messages(caplog, logging.INFO)
    [summary] = [line for line in info if line.startswith("read ")]
    assert summary.startswith(f"read {len(GOOD_IDS)} articles, skipped {len(expected)} (")
    assert "4 duplicate id" in summary and "3 binary" in summary and "1 too large" in summary
    assert summary.endswith(", 1 note (1 future date)")
    # The good articles are in the outputs, decoded right.
    printed = capsys.readouterr().out.split()
    assert str(out / "graph.json") in printed
    records = {
        rec["doc_id"]: rec
        for rec in map(json.loads, (out / "extractions.jsonl").read_text("utf-8").splitlines())
    }
    assert set(records) == GOOD_IDS
    graph = json.loads((out / "graph.json").read_text("utf-8"))
    sources = {doc for node in graph["nodes"] for doc in node["sources"]}
    assert {"good", "feed-good", "cp1252", "utf16", "controls", "twin", "same"} <= sources
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert {"good", "feed-good", "42"} <= set(nodes["country:IRN"]["sources"])
    texts = {doc: " ".join(s["text"] for s in rec["sentences"]) for doc, rec in records.items()}
    assert "Genève" in texts["cp1252"] and "€" in texts["cp1252"] and "“frank”" in texts["cp1252"]
    assert texts["utf16"] == texts["cp1252"].replace("5", "7")
    assert "rencontré" in texts["latin1"] and "Genève" in texts["latin1"]
    assert "\x00" not in texts["controls"] and "\x07" not in texts["controls"]
    assert "Your browser" not in " ".join(texts.values())
    as_read = {  # the decoded content, control characters replaced one for one by spaces
        "cp1252": WESTERN,
        "utf16": WESTERN.replace("5", "7"),
        "controls": "China  and Iran  met in Beijing.  " + GOOD * 6,
    }
    for doc, text in as_read.items():  # mention offsets point into the text as read
        assert records[doc]["mentions"]
        for mention in records[doc]["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    assert records["future"]["published"] is None
    assert records["feb30"]["published"] is None
    assert records["undated"]["published"] is None
    assert records["feed-good"]["published"] == "2024-05-06"


def test_mixed_line_endings_keep_offsets_into_the_text_as_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = b"Talks in Beijing\r\n\r\nChina and Iran met.\rThey spoke of Iran.\n"
    (folder / "mixed.txt").write_bytes(raw)
    out = tmp_path / "out"
    assert main(["-q", "build", str(folder), "--out", str(out), "--model", "blank", "--no-store",
                 "--no-html"]) == EXIT_OK
    [record] = map(json.loads, (out / "extractions.jsonl").read_text("utf-8").splitlines())
    as_read = raw.decode().replace("\r\n", "\n").replace("\r", "\n")  # Python's text mode
    assert record["mentions"]
    for mention in record["mentions"]:
        assert as_read[mention["start"] : mention["end"]] == mention["text"]


def test_nothing_readable_exits_1(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    out = tmp_path / "out"
    with caplog.at_level(logging.INFO):
        status = main(["build", str(folder), "--out", str(out), "--model", "blank", "--no-store"])
    assert status == EXIT_NOTHING_READ
    assert not out.exists()
    assert f"{folder / 'empty.txt'}: empty" in _messages(caplog, logging.WARNING)
    assert any(m.startswith("no article could be read from") for m in _messages(caplog, logging.ERROR))


def test_glob_matching_nothing_alone_exits_1(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pattern = str(tmp_path / "x" / "*.txt")
    with caplog.at_level(logging.INFO):
        status = main(["build", pattern, "--out", str(tmp_path / "out"), "--model", "blank"])
    assert status == EXIT_NOTHING_READ
    assert f"{pattern}: no match: no file matches this pattern" in _messages(caplog, logging.WARNING)


def test_max_bytes_option_lowers_and_raises_the_limit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "small.txt").write_text(GOOD, encoding="utf-8")
    (folder / "bigger.txt").write_text(GOOD * 30, encoding="utf-8")
    args = ["build", str(folder), "--out", str(tmp_path / "out"), "--model", "blank", "--no-store",
            "--no-html"]
    with caplog.at_level(logging.INFO):
        assert main([*args, "--max-bytes", "1K"]) == EXIT_OK
    assert f"{folder / 'bigger.txt'}: too large: 2.2 KiB, over the limit of 1 KiB per file" in (
        " ".join(_messages(caplog, logging.WARNING))
    )
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert main([*args, "--max-bytes", "1M"]) == EXIT_OK
    assert _messages(caplog, logging.WARNING) == []


def test_bad_max_bytes_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--max-bytes", "lots"])
    assert caught.value.code == EXIT_USAGE
    assert "argument --max-bytes: not a size: 'lots'" in capsys.readouterr().err
