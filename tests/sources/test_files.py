from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import zipfile
from pathlib import Path

import pytest

from sources.files import ReadReport, iter_articles, parse_size, read_file
from sources.records import Article, Skipped

GOOD = "Foreign Minister Anna Berg of Ruritania met Piet Vos of Freedonia in Lisbon on Tuesday."

PAGE = (
    "<html><head><title>Berg Meets Vos</title></head><body><article>"
    f"<p>{GOOD} The two agreed to widen cooperation in farming, energy and border trade.</p>"
    "</article></body></html>"
)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner.txt", GOOD * 20)
    return buffer.getvalue()


def read(inputs: list[Path | str]) -> tuple[list[Article], ReadReport]:
    report = ReadReport()
    articles = list(iter_articles(inputs, report=report))
    return articles, report


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.htm").write_text(PAGE, encoding="utf-8")
    (sub / "feed.jsonl").write_text(
        json.dumps({"id": "d", "text": GOOD}) + "\n" + json.dumps({"id": "e", "text": GOOD}) + "\n",
        encoding="utf-8",
    )
    (sub / "D.TXT").write_text(GOOD, encoding="utf-8")
    (sub / "notes.md").write_text("# notes", encoding="utf-8")
    (sub / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    hidden = tmp_path / ".cache"
    hidden.mkdir()
    (hidden / "old.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_folder_reads_every_format_in_sorted_order(corpus: Path) -> None:
    articles, report = read([corpus])
    # Sorted by code point, so upper case first: the same on every machine.
    assert [a.id for a in articles] == ["a", "b", "D", "c", "d", "e"]
    assert [Path(a.path).name for a in articles] == [
        "a.html",
        "b.txt",
        "D.TXT",
        "c.htm",
        "feed.jsonl",
        "feed.jsonl",
    ]
    assert [a.line for a in articles] == [None, None, None, None, 1, 2]
    assert all(GOOD in a.text for a in articles)
    assert articles[0].title == "Berg Meets Vos"
    assert (report.read, report.skipped, report.ignored) == (6, [], 2)
    assert report.summary() == "read 6 articles, skipped 0, ignored 2 files"


def test_order_is_deterministic(corpus: Path) -> None:
    first, _ = read([corpus])
    second, _ = read([corpus])
    assert first == second


def test_files_and_folders_in_the_order_given(corpus: Path) -> None:
    articles, _ = read([corpus / "sub" / "c.htm", corpus / "b.txt"])
    assert [a.id for a in articles] == ["c", "b"]


def test_glob_pattern(corpus: Path) -> None:
    articles, report = read([str(corpus / "sub" / "*")])
    assert [a.id for a in articles] == ["D", "c", "d", "e"]
    assert report.ignored == 2


def test_single_path_is_refused(corpus: Path) -> None:
    with pytest.raises(TypeError, match="single path"):
        iter_articles(str(corpus))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"\n  \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary: looks like a PNG image"),
        ("archive.txt", _zip_bytes(), "binary: looks like a zip archive (or docx, xlsx, epub)"),
        ("archive.html", _zip_bytes(), "binary: looks like a zip archive (or docx, xlsx, epub)"),
        ("archive.jsonl", _zip_bytes(), "binary: looks like a zip archive (or docx, xlsx, epub)"),
        ("image.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00", "binary: looks like a PNG image"),
        ("nul.jsonl", b'{"id": "x"\x00\x00}\n', "binary: NUL bytes and no byte-order mark"),
        ("broken.txt", b"\xff\xfe\x00\xd8", "undecodable: bad utf-16 after its BOM"),
        ("empty.jsonl", b"\n\n", "empty"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00", "binary: looks like a PNG image"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main text"),
    ],
)
def test_bad_file_is_skipped_and_the_rest_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, data: bytes, reason: str
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    (tmp_path / "z.txt").write_text(GOOD, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        articles, report = read([tmp_path])
    assert [a.id for a in articles] == ["a", "z"]
    expected = Skipped(str(tmp_path / name), reason)
    assert report.skipped == [expected]
    assert str(expected) == f"{tmp_path / name}: {reason}"
    kind = reason.partition(":")[0]
    assert report.summary() == f"read 2 articles, skipped 1 (1 {kind})"
    warnings = [
        r for r in caplog.records if r.name == "diplograph.sources" and r.levelno == logging.WARNING
    ]
    assert [r.getMessage() for r in warnings] == [str(expected)]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.txt", "not found: no such file or folder"),
        ("nothing-*.txt", "no match: no file matches this pattern"),
        ("notes.md", "unsupported extension: .md; expected one of .htm, .html, .jsonl, .txt"),
        ("README", "unsupported extension: (none); expected one of .htm, .html, .jsonl, .txt"),
    ],
)
def test_bad_input_name_is_skipped_and_the_rest_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, reason: str
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "README").write_text("read me", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        articles, report = read([tmp_path / name, tmp_path / "a.txt"])
    assert [a.id for a in articles] == ["a"]
    assert report.skipped == [Skipped(str(tmp_path / name), reason)]
    assert [r.getMessage() for r in caplog.records] == [f"{tmp_path / name}: {reason}"]


def test_bad_jsonl_lines_are_skipped_with_line_numbers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": GOOD}),
                '{"id": "b", "text": ',
                json.dumps({"id": "c"}),
                json.dumps({"id": "d", "text": ""}),
                json.dumps({"id": [5], "text": GOOD}),
                json.dumps({"id": "f", "text": GOOD}),
                json.dumps({"id": 7, "text": GOOD}),
            ]
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        articles, report = read([feed])
    assert [(a.id, a.line) for a in articles] == [("a", 1), ("f", 6), ("7", 7)]
    assert [str(s) for s in report.skipped] == [
        f"{feed}:2: bad JSON: Expecting value at column 21",
        f"{feed}:3: missing text",
        f"{feed}:4: empty text",
        f"{feed}:5: bad id: expected a string or an integer, got array",
    ]
    assert [r.getMessage() for r in caplog.records] == [str(s) for s in report.skipped]
    assert (
        report.summary()
        == "read 3 articles, skipped 4 (1 bad JSON, 1 missing text, 1 empty text, 1 bad id)"
    )


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "talks.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b" / "talks.txt").write_text("A later copy of the talks story.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "talks", "text": "Again."}) + "\n", encoding="utf-8"
    )
    articles, report = read([tmp_path])
    assert [(a.id, a.text) for a in articles] == [("talks", GOOD)]
    first = tmp_path / "a" / "talks.txt"
    assert [str(s) for s in report.skipped] == [
        f"{tmp_path / 'b' / 'talks.txt'}: duplicate id: 'talks' already read from {first}"
        " (a different text)",
        f"{tmp_path / 'c.jsonl'}:1: duplicate id: 'talks' already read from {first}"
        " (a different text)",
    ]
    assert report.summary() == "read 1 article, skipped 2 (2 duplicate id)"


def test_same_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    articles, report = read([tmp_path, tmp_path / "a.txt"])
    assert [a.id for a in articles] == ["a"]
    assert [s.reason.partition(":")[0] for s in report.skipped] == ["duplicate id"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("The envoy’s “frank” talks in Genève – and a café – went on for hours.", "cp1252"),
        ("Le ministre a rencontré son homologue à Genève; la réunion a duré une heure.", "latin-1"),
        ("The envoy’s “frank” talks in Genève – and a café – went on for hours.", "utf-16"),
        ("The envoy’s “frank” talks in Genève – and a café – went on for hours.", "utf-8-sig"),
    ],
)
def test_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    [article] = read_file(path)
    assert isinstance(article, Article)
    assert article.text == text


def test_crlf_text_offsets_match_the_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"Berg Meets Vos in Lisbon\r\n\r\n" + GOOD.encode())
    [article] = read_file(path)
    assert isinstance(article, Article)
    assert article.text == "Berg Meets Vos in Lisbon\n\n" + GOOD
    assert article.title == "Berg Meets Vos in Lisbon"
    assert article.text[article.text.index("Anna Berg") :].startswith("Anna Berg of Ruritania")


def test_folder_with_a_text_extension(tmp_path: Path) -> None:
    folder = tmp_path / "x.txt"
    folder.mkdir()
    [skipped] = read_file(folder)
    assert skipped == Skipped(str(folder), "not a file: a folder with an article's extension")


def test_text_article_fields(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text(
        " date 2022-01-05 Talks Resume\n\nLIMA, Jan. 4 (Wire) -- " + GOOD, encoding="utf-8"
    )
    [article] = read_file(path)
    assert isinstance(article, Article)
    assert (article.id, article.title, article.published, article.date_source) == (
        "wire",
        "Talks Resume",
        dt.date(2022, 1, 5),
        "date-line",
    )
    assert (article.dateline, article.outlet, article.path) == ("LIMA", "Wire", str(path))


SEEDS = Path(__file__).parents[2] / ".." / "shared" / "seeds"

SEED_DATES = {
    "000_733d6b641c15f80b": dt.date(2023, 7, 25),
    "001_5a0d13e874765040": None,
    "002_0783ae6852b10453": dt.date(2023, 7, 24),
    "003_da278ab0df7a418b": dt.date(2023, 8, 21),
    "004_9812b6c83b0c3513": dt.date(2024, 8, 12),
}

# Surface forms of officials: every occurrence in the seeds must stay content.
OFFICIALS = (
    "Wang Yi",
    "Wang",
    "Ahmadian",
    "Amir-Abdollahian",
    "Bagheri Kani",
    "Xi Jinping",
    "Raisi",
    "Pezeshkian",
)

SEED_FURNITURE = (
    "Audio Only",
    "google plus",
    "facebook",
    "twitter",
    "sufei0826",
    "FahadShabbir",
    "UrduPoint",
    "Pakistan Point News",
    "ASEAN Adheres",
    "Post with no comments",
)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed corpus at {SEEDS}")
    report = ReadReport()
    articles = {a.id: a for a in iter_articles([SEEDS], report=report)}
    assert report.skipped == []
    return articles


@pytest.mark.seeds
def test_seed_ids_and_dates(seeds: dict[str, Article]) -> None:
    assert {doc_id: a.published for doc_id, a in seeds.items()} == SEED_DATES


@pytest.mark.seeds
def test_seed_officials_stay_content(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        for name in OFFICIALS:
            start = article.text.find(name)
            while start != -1:
                end = start + len(name)
                covered = [(s, e) for s, e in article.furniture if s < end and start < e]
                assert not covered, f"{article.id}: {name!r} at {start} inside furniture {covered}"
                start = article.text.find(name, end)


@pytest.mark.seeds
def test_seed_furniture_is_blanked(seeds: dict[str, Article]) -> None:
    text = "\n".join(a.text for a in seeds.values())
    content = "\n".join(a.content() for a in seeds.values())
    for furniture in SEED_FURNITURE:
        assert furniture in text
        assert furniture not in content


@pytest.mark.seeds
def test_seed_datelines_and_titles(seeds: dict[str, Article]) -> None:
    wire = seeds["004_9812b6c83b0c3513"]
    assert (wire.dateline, wire.outlet, wire.date_source) == ("BEIJING", "Xinhua", "date-line")
    assert wire.title.startswith("Chinese FM holds phone talks")
    page = seeds["002_0783ae6852b10453"]
    assert (page.title, page.date_source) == (
        "China and Iran Pledge to Deepen Cooperation",
        "published",
    )
    assert seeds["003_da278ab0df7a418b"].dateline == "BEIJING"


# --- hostile inputs (issue 6) ---------------------------------------------------------------


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "diplograph.sources" and r.levelno == logging.WARNING
    ]


def test_sparse_200_mb_text_is_refused_before_reading(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(200 * 2**20)  # sparse: 200 MiB on paper, a few bytes on disk
    (tmp_path / "small.txt").write_text(GOOD, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        articles, report = read([tmp_path])
    assert [a.id for a in articles] == ["small"]
    [skipped] = report.skipped
    assert skipped.path == str(big)
    assert skipped.reason.startswith(
        "too large: 200 MiB, over the limit of 50 MiB per file; raise it with --max-bytes"
    )
    assert _warnings(caplog) == [str(skipped)]
    assert report.summary() == "read 1 article, skipped 1 (1 too large)"


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    report = ReadReport()
    articles = list(iter_articles([tmp_path], report=report, max_bytes=len(GOOD)))
    assert [a.id for a in articles] == ["a"]
    assert [s.reason.partition(",")[0] for s in report.skipped] == [
        f"too large: {len(PAGE.encode())} bytes"
    ]
    assert f"over the limit of {len(GOOD)} bytes per file" in report.skipped[0].reason


def test_file_grown_after_stat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")
    real_stat = Path.stat

    def small_stat(self: Path, **kwargs: bool) -> object:
        info = real_stat(self, **kwargs)
        return type(info)((*info[:6], 1, *info[7:]))  # st_size = 1, as if it grew since

    monkeypatch.setattr(Path, "stat", small_stat)
    [skipped] = read_file(path, max_bytes=10)
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("too large: over 11 bytes, over the limit of 10 bytes")


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_bad_limit_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="max_bytes must be a positive integer"):
        iter_articles([], max_bytes=bad)  # type: ignore[arg-type]


def test_big_jsonl_is_streamed_and_the_limit_applies_per_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": f"n{i}", "text": f"{GOOD} Item {i}."}) for i in range(200)]
    lines[3] = json.dumps({"id": "long", "text": GOOD * 10})
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    limit = max(len(line) for i, line in enumerate(lines) if i != 3) + 1
    assert feed.stat().st_size > limit * 100  # the file is far over the limit, no line but one
    report = ReadReport()
    articles = list(iter_articles([feed], report=report, max_bytes=limit))
    assert len(articles) == 199 and articles[-1].line == 200
    [skipped] = report.skipped
    assert (skipped.path, skipped.line) == (str(feed), 4)
    assert skipped.reason.startswith(
        f"too large: line of {len(lines[3]) + 1:,} bytes, over the {limit:,}-byte limit per record"
    )


def test_several_mb_single_line_is_refused_past_the_text_limit(tmp_path: Path) -> None:
    line = (GOOD + " ") * (3 * 2**20 // len(GOOD))  # 3 MB, no newline
    (tmp_path / "long.txt").write_text(line, encoding="utf-8")
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "lj", "text": line}), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    articles, report = read([tmp_path])
    assert [a.id for a in articles] == ["ok"]
    assert [(Path(s.path).name, s.line) for s in report.skipped] == [
        ("long.jsonl", 1),
        ("long.txt", None),
    ]
    for skipped in report.skipped:
        assert skipped.reason == (
            f"too long: {len(line):,} characters, over the limit of 1,000,000 per article "
            "(spaCy's max_length); split the text into several articles"
        )


def test_several_mb_single_line_is_read_under_a_raised_limit(tmp_path: Path) -> None:
    line = "Talks in Lisbon went on. " * (2 * 2**20 // 25)
    (tmp_path / "long.txt").write_text(line, encoding="utf-8")
    [article] = iter_articles([tmp_path], max_chars=4 * 2**20)
    assert article.text == line


def test_utf16_jsonl_is_streamed(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [{"id": "a", "text": "Talks in Genève."}, {"id": "b", "text": "Envoys in Zürich."}]
    feed.write_bytes(
        "\r\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-16")
    )
    articles, report = read([feed])
    assert [(a.id, a.text, a.line) for a in articles] == [
        ("a", "Talks in Genève.", 1),
        ("b", "Envoys in Zürich.", 2),
    ]
    assert report.skipped == []


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf", "utf-8"),
        (b"", "cp1252"),
        (b"", "latin-1"),
    ],
)
def test_legacy_encodings_in_jsonl(tmp_path: Path, data: bytes, encoding: str) -> None:
    texts = {
        "cp1252": "The envoy’s “frank” talks in Genève cost 5 €, a café owner said.",
        "latin-1": "Le ministre a rencontré son homologue à Genève; la réunion a duré une heure.",
        "utf-8": "Der Außenminister traf in München seinen Amtskollegen – „endlich“.",
    }
    lines = [json.dumps({"id": "plain", "text": GOOD})] + [
        json.dumps({"id": f"n{i}", "text": texts[encoding]}, ensure_ascii=False) for i in range(3)
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(data + "\n".join(lines).encode(encoding))
    articles, report = read([feed])
    assert [a.text for a in articles] == [GOOD] + [texts[encoding]] * 3
    assert report.skipped == []


def test_bad_utf16_in_jsonl_stops_that_file_with_its_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "a", "text": GOOD}) + "\n"
    feed.write_bytes(good.encode("utf-16") + b"\x00\xd8\x00")  # a lone high surrogate, cut
    articles, report = read([feed])
    assert [a.id for a in articles] == ["a"]
    [skipped] = report.skipped
    assert (skipped.line, skipped.reason.partition(":")[0]) == (2, "undecodable")


def test_nul_and_control_characters_become_spaces(tmp_path: Path) -> None:
    text = "Berg\x00 met Vos\x07 in Lisbon.\x1b " + GOOD * 5  # 3 in 470: under 1%
    (tmp_path / "a.txt").write_bytes(text.encode())
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "b", "text": text}), encoding="utf-8")
    articles, report = read([tmp_path])
    expected = "Berg  met Vos  in Lisbon.  " + GOOD * 5
    assert [(a.id, a.text) for a in articles] == [("a", expected), ("b", expected)]
    assert report.skipped == []


@pytest.mark.parametrize("same", [True, False])
def test_duplicate_jsonl_ids_name_both_places(tmp_path: Path, same: bool) -> None:
    feed = tmp_path / "feed.jsonl"
    second = GOOD if same else "Another story entirely."
    feed.write_text(
        json.dumps({"id": "x", "text": GOOD}) + "\n" + json.dumps({"id": "x", "text": second}),
        encoding="utf-8",
    )
    articles, report = read([feed])
    assert [(a.id, a.text) for a in articles] == [("x", GOOD)]
    what = "the same text" if same else "a different text"
    assert [str(s) for s in report.skipped] == [
        f"{feed}:2: duplicate id: 'x' already read from {feed}:1 ({what})"
    ]


def test_two_files_giving_the_same_id(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a.txt").write_text("A different story about the same talks.", encoding="utf-8")
    articles, report = read([tmp_path])
    assert [Path(a.path).name for a in articles] == ["a.html"]  # the first in sorted order wins
    assert [str(s) for s in report.skipped] == [
        f"{tmp_path / 'a.txt'}: duplicate id: 'a' already read from {tmp_path / 'a.html'}"
        " (a different text)"
    ]


def test_symlink_loop_broken_link_and_self_link(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "loop").symlink_to(folder)
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        articles, report = read([folder])
    assert [a.id for a in articles] == ["a"]
    assert [str(s) for s in report.skipped] == [
        f"{folder / 'gone.txt'}: broken symlink: its target "
        f"{str(folder / 'missing.txt')!r} does not exist",
        f"{folder / 'loop'}: symlink loop: leads back to {folder}",
        f"{folder / 'self.txt'}: unreadable: Too many levels of symbolic links",
    ]
    assert _warnings(caplog) == [str(s) for s in report.skipped]


def test_symlinked_folder_is_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "link").symlink_to(real)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.txt").write_text(GOOD + " Later.", encoding="utf-8")
    (tmp_path / "real" / "out").symlink_to(tmp_path / "outside")
    articles, report = read([tmp_path])
    assert sorted(a.id for a in articles) == ["a", "b"]
    assert sorted(str(s) for s in report.skipped) == [
        f"{tmp_path / 'link'}: already walked: the same folder as {real}",
        f"{real / 'out'}: already walked: the same folder as {tmp_path / 'outside'}",
    ]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD + " Locked.", encoding="utf-8")
    locked.chmod(0)  # enough for an ordinary user; root reads it anyway, hence the patch
    real_open = open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)
    articles, report = read([tmp_path])
    assert [a.id for a in articles] == ["a"]
    assert report.skipped == [Skipped(str(locked), "unreadable: Permission denied")]


def test_fifo_is_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block forever
    articles, report = read([tmp_path])
    assert [a.id for a in articles] == ["a"]
    assert report.skipped == [Skipped(str(fifo), "not a regular file: a FIFO")]


def test_glob_matching_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pattern = str(tmp_path / "x" / "*.txt")
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        articles, report = read([pattern])
    assert articles == []
    assert _warnings(caplog) == [f"{pattern}: no match: no file matches this pattern"]
    assert report.summary() == "read 0 articles, skipped 1 (1 no match)"


@pytest.mark.parametrize(
    ("name", "data", "published"),
    [
        ("none.txt", GOOD, None),
        ("impossible.txt", "ROME, Feb. 30, 2023 (Wire) -- " + GOOD, None),
        ("impossible-body.txt", f"{GOOD} They meet again on February 30.", None),
        ("leap.txt", "ROME, Feb. 29, 2024 (Wire) -- " + GOOD, dt.date(2024, 2, 29)),
    ],
)
def test_missing_and_impossible_dates(
    tmp_path: Path, name: str, data: str, published: dt.date | None
) -> None:
    (tmp_path / name).write_text(data, encoding="utf-8")
    [article] = iter_articles([tmp_path])
    assert article.published == published


def test_impossible_jsonl_date_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": GOOD, "published": "2023-02-30"}), "utf-8")
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        [article] = iter_articles([feed])
    assert article.published is None
    assert _warnings(caplog) == [
        f"{feed}:1: ignoring published '2023-02-30': expected an ISO date "
        "(day is out of range for month)"
    ]


@pytest.mark.parametrize(
    ("name", "data", "source"),
    [
        ("wire.txt", " date 2999-01-05 Talks Resume\n\n" + GOOD, "date-line"),
        ("feed.jsonl", json.dumps({"id": "feed", "text": GOOD, "date": "2999-01-05"}), "jsonl"),
    ],
)
def test_future_publication_date_is_dropped_with_a_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, data: str, source: str
) -> None:
    (tmp_path / name).write_text(data, encoding="utf-8")
    report = ReadReport()
    with caplog.at_level(logging.WARNING, logger="diplograph.sources"):
        [article] = iter_articles([tmp_path], report=report, today=dt.date(2026, 11, 22))
    assert (article.published, article.date_source) == (None, None)
    line = ":1" if name.endswith(".jsonl") else ""
    note = (
        f"{tmp_path / name}{line}: future date: publication date 2999-01-05 (from {source}) "
        "is after 2026-11-22; ignored"
    )
    assert [str(n) for n in report.notes] == [note]
    assert _warnings(caplog) == [note]
    assert report.summary() == "read 1 article, skipped 0, 1 note (1 future date)"


def test_today_is_not_in_the_future(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2026-11-22 Talks\n\n" + GOOD, encoding="utf-8")
    [article] = iter_articles([tmp_path], today=dt.date(2026, 11, 22))
    assert article.published == dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "size"),
    [("50M", 50 * 2**20), ("200MB", 200 * 2**20), ("1.5GiB", 3 * 2**29), ("7k", 7168), ("12", 12)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "-5M", "0", "5 parsecs", "5iB"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a size"):
        parse_size(text)


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 name; Python holds the byte as a surrogate
    (tmp_path / name).write_text(GOOD, encoding="utf-8")
    [article] = iter_articles([tmp_path])
    assert article.id == "café"
    assert article.id.encode("utf-8")


def test_mixed_line_endings_in_jsonl(tmp_path: Path) -> None:
    records = [json.dumps({"id": f"r{i}", "text": f"{GOOD} Item {i}."}) for i in range(5)]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        (records[0] + "\r\n" + records[1] + "\r" + records[2] + "\n" + "{bad\r" + records[3]
         + "\r\n" + records[4]).encode()
    )
    articles, report = read([feed])
    assert [(a.id, a.line) for a in articles] == [("r0", 1), ("r1", 2), ("r2", 3), ("r3", 5), ("r4", 6)]
    assert [(s.line, s.reason.partition(":")[0]) for s in report.skipped] == [(4, "bad JSON")]


class DictCache:
    """A ReadCache in a dict, counting what it was asked."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[int, int, int, int], list[Article]]] = {}
        self.hits = 0

    def get(self, path: str, state: tuple[int, int, int, int]) -> list[Article] | None:
        entry = self.entries.get(path)
        if entry is None or entry[0] != state:
            return None
        self.hits += 1
        return entry[1]

    def put(self, path: str, state: tuple[int, int, int, int], articles: list[Article]) -> None:
        self.entries[path] = (state, articles)


def test_a_cache_spares_reading_unchanged_files_and_nothing_else(tmp_path: Path, files_read: list[Path]) -> None:
    (tmp_path / "a.txt").write_text("BEIJING, June 3 (Wire) - Iran and China met.\n", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><article><p>" + "Qatar met Egypt in Doha. " * 8
                                     + "</p></article></body></html>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "c", "text": "Oman met India."}\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "future.txt").write_text("Published 3 June 2999\n\nIran met Iraq.\n", encoding="utf-8")
    cache = DictCache()
    first_report, second_report = ReadReport(), ReadReport()
    first = list(iter_articles([tmp_path], report=first_report, cache=cache))
    assert sorted(cache.entries) == sorted(str(tmp_path / f) for f in ("a.txt", "b.html", "future.txt"))
    files_read.clear()
    second = list(iter_articles([tmp_path], report=second_report, cache=cache))
    assert second == first and cache.hits == 3
    # JSONL and files with a skip are read each time
    assert sorted(p.name for p in files_read) == ["c.jsonl", "empty.txt"]
    assert second_report == first_report and len(second_report.notes) == 1  # the future date, noted again
    # a changed file is read again, even at the same size
    (tmp_path / "a.txt").write_text("BEIJING, June 4 (Wire) - Iran and China met.\n", encoding="utf-8")
    files_read.clear()
    third = list(iter_articles([tmp_path], cache=cache))
    assert "a.txt" in [p.name for p in files_read] and "June 4" in next(a.text for a in third if a.id == "a")
