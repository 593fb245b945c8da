from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zipfile
from pathlib import Path

import pytest

from sources.files import ReadReport, iter_articles, read_file
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
