"""Fuzzing the source readers: any bytes or text is read, or refused with ArticleReadError.

Property-based (hypothesis). ``make test`` runs the default profile (100 examples per test);
``make fuzz`` runs the same properties with ``HYPOTHESIS_PROFILE=fuzz`` (see tests/conftest.py).
The deadline is generous on purpose (the machine is shared): it is there to catch a reader that
hangs or goes quadratic, not to time it.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sources.enrich import enrich
from sources.errors import ArticleReadError
from sources.files import read_file
from sources.html import read_html
from sources.jsonl import read_jsonl
from sources.records import Article, Skipped
from sources.text import decode_text

DEADLINE = dt.timedelta(seconds=10)
FUZZ = settings(deadline=DEADLINE, suppress_health_check=[HealthCheck.too_slow])

ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1",
    "cp1251", "koi8-r", "iso8859-7", "shift_jis", "gb18030", "big5", "euc-kr", "mac-roman",
]

# Pieces that the date, dateline, title and furniture readers look for, bent out of shape.
FRAGMENTS = [
    "\n", "\r\n", "\r", "\t", "\x00", "\x0c", "\ufeff", "\u2028", "\u00a0", " -- ", " — ", "(Xinhua)",
    "BEIJING, Feb. 30 (Reuters) -- ", "LIMA, Jan. 4 99999999999999999999 (Wire) -- ",
    "Published: March 32, 99999", "Published 31/12/99999999", "date 0000-00-00 ", "2023-02-29",
    "Updated: 9999-12-31T23:59:59+25:00", "on Sunday", "last week", "in February of this year",
    "Share on Facebook", "Photo: ", "READ MORE:", "Advertisement", "•", "|", ">", ">>",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "]]>", "&amp;", "&#0;", "&#xd800;",
    '"', "'", "{", "}", "[", "]", "\\", "😀", "\U0001f1ee\U0001f1f7", "ǅ", "İ", "ß", "\u0301",
    "Foreign Minister Wang Yi", "President of Iran", "Jan.", "1st", "99", "-",
]

text_pieces = st.one_of(
    st.text(max_size=30),
    st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]).map(str),
    st.sampled_from(FRAGMENTS),
)
hostile_text = st.lists(text_pieces, max_size=40).map("".join)
# Lone surrogates cannot come out of decoded bytes, but a JSONL "\ud83d" escape makes one.
hostile_str = st.lists(
    st.one_of(text_pieces, st.characters(categories=["Cs"]).map(str)), max_size=30
).map("".join)


@st.composite
def encoded_text(draw: st.DrawFn) -> tuple[bytes, str, str]:
    text = draw(hostile_text)
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace"), text, encoding


any_bytes = st.one_of(
    st.binary(max_size=4096),
    encoded_text().map(lambda t: t[0]),
    # A known binary signature or BOM followed by anything.
    st.tuples(
        st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"%PDF-",
                         b"PK\x03\x04", b"\x1f\x8b", b"<?xml version='1.0' encoding='bogus'?>"]),
        st.binary(max_size=512),
    ).map(b"".join),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_str,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_str, inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["id", "text", "title", "published", "date", "outlet", "source", "url"]


@st.composite
def jsonl_line(draw: st.DrawFn) -> str:
    """A record with the expected fields holding anything, raw JSON, or a broken line."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        record = {name: draw(json_values) for name in draw(st.lists(st.sampled_from(FIELDS), unique=True))}
        record.setdefault("id", draw(hostile_str))
        record.setdefault("text", draw(hostile_str))
        line = json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
    elif choice == 1:
        line = json.dumps(draw(json_values), ensure_ascii=draw(st.booleans()), allow_nan=True)
    elif choice == 2:
        line = draw(st.sampled_from(["[", "{", '{"id": '])) * draw(st.integers(1, 50000))
    else:
        line = draw(hostile_str)
    return line.replace("\n", " ").replace("\r", " ")


@st.composite
def html_page(draw: st.DrawFn) -> str:
    """Markup built from tags, attributes, entities and text in any order and nesting."""
    tags = ["html", "head", "title", "meta", "body", "article", "main", "p", "div", "span", "h1",
            "script", "style", "time", "a", "table", "td", "ul", "li", "br", "svg", "math", "template"]
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(tags))
        if kind == 0:
            attr = draw(st.sampled_from(["", ' property="og:title"', ' name="date"', ' itemprop="datePublished"',
                                         ' content="9999-99-99"', ' class="share"', " onload=alert(1)"]))
            parts.append(f"<{tag}{attr}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&nbsp;",
                                               "&#1114112;", "&#x0;", "<?php ?>", "<"])))
        else:
            parts.append(draw(hostile_text))
    return "".join(parts)


def check_article(article: Article) -> None:
    """What every reader promises about an article it returns."""
    assert isinstance(article.id, str) and isinstance(article.text, str) and article.text.strip()
    assert isinstance(article.title, str)
    assert article.published is None or isinstance(article.published, dt.date)
    for start, end in article.furniture:
        assert 0 <= start <= end <= len(article.text)
    assert list(article.furniture) == sorted(article.furniture)
    assert article.content().__len__() == len(article.text)


def check_items(items: Iterable[object]) -> list[Article | Skipped]:
    out: list[Article | Skipped] = []
    for item in items:
        assert isinstance(item, (Article, Skipped)), item
        if isinstance(item, Article):
            check_article(item)
        else:
            assert item.reason
        out.append(item)
    return out


@FUZZ
@given(data=any_bytes)
@example(data=b"\x00" * 3 + b"text")
@example(data="Genève – “talks”".encode("utf-16-be"))
def test_decode_text_any_bytes(data: bytes) -> None:
    try:
        text = decode_text(data, path="x.txt")
    except ArticleReadError as error:
        assert error.path == "x.txt" and error.reason.split(":")[0] in {"empty", "binary", "undecodable"}
        return
    assert isinstance(text, str) and text.strip() and "\r" not in text
    text.encode("utf-8")  # no lone surrogate can come out of bytes


@FUZZ
@given(sample=encoded_text())
def test_decode_text_keeps_text_behind_a_bom(sample: tuple[bytes, str, str]) -> None:
    """With a byte-order mark the encoding is known: the text comes back exactly."""
    data, text, encoding = sample
    try:
        decoded = decode_text(data)
    except ArticleReadError:
        return
    if encoding in {"utf-8-sig", "utf-16", "utf-32"}:
        expected = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        # Stray control characters may become spaces (one for one, offsets kept); nothing else.
        assert len(decoded) == len(expected)
        assert all(a == b or (a == " " and unicodedata.category(b) == "Cc") for a, b in zip(decoded, expected))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-readers")


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".txt", ".html", ".htm", ".jsonl", ".TXT", ".md", ""]))
@example(data=b"[" * 100000, suffix=".jsonl")
@example(data=b'{"id": "a", "text": "Envoys met \\ud83d today."}', suffix=".jsonl")
def test_read_file_any_bytes(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"doc{suffix}"
    path.write_bytes(data)
    items = check_items(read_file(path))
    assert items, "a file yields at least one article or skip"
    if suffix.lower() != ".jsonl":
        assert len(items) == 1
    for item in items:
        if isinstance(item, Article):
            item.text.encode("utf-8")
            item.id.encode("utf-8")


@FUZZ
@given(lines=st.lists(jsonl_line(), max_size=6), newline=st.sampled_from(["\n", "\r\n"]))
@example(lines=['{"id": "a", "text": "x\\udfff", "title": "\\ud800"}'], newline="\n")
@example(lines=['{"id": "a", "text": "x", "title": ' + "[" * 5000 + "]" * 5000 + "}"], newline="\n")
def test_read_jsonl_any_lines(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    items = check_items(read_jsonl(text, path="in.jsonl"))
    assert len(items) == sum(1 for line in text.split("\n") if line.strip())
    for item in items:
        assert item.line is not None and 1 <= item.line <= len(lines)
        if isinstance(item, Article):  # a lone surrogate would crash spaCy and the UTF-8 outputs
            item.text.encode("utf-8"), item.id.encode("utf-8"), item.title.encode("utf-8")


@FUZZ
@given(page=html_page())
@example(page="<html>" + "<div>" * 5000 + "x" * 100)
def test_read_html_any_markup(page: str) -> None:
    try:
        article = read_html(page, doc_id="page", path="page.html")
    except ArticleReadError as error:
        assert error.path == "page.html" and error.reason
        return
    check_article(article)
    assert article.id == "page"


@FUZZ
@given(text=hostile_str, title=hostile_str)
def test_enrich_any_text(text: str, title: str) -> None:
    article = Article(id="a", text=text or " ", title=title)
    try:
        out = enrich(article)
    except ArticleReadError:  # the only error a reader may raise
        return
    assert out.text == article.text and out.id == "a"
    assert out.published is None or isinstance(out.published, dt.date)
    for start, end in out.furniture:
        assert 0 <= start <= end <= len(out.text)
