from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.errors import ArticleReadError
from sources.text import decode_text

WESTERN = "The envoy’s “frank” talks in Genève – and a café – went on."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (WESTERN, "utf-8"),
        (WESTERN, "utf-8-sig"),
        (WESTERN, "utf-16"),
        (WESTERN, "utf-32"),
        (WESTERN, "cp1252"),
        ("Le ministre a rencontré son homologue à Genève; la réunion a duré une heure.", "latin-1"),
        ("Außenminister trafen sich in München, um über die Lage zu beraten.", "latin-1"),
        ("“Hi” – ok’s", "cp1252"),
        ("Genève", "latin-1"),
        ("Министр иностранных дел Китая встретился с коллегой из Ирана в Пекине.", "cp1251"),
    ],
)
def test_decodes(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("data", [b"one\r\ntwo\rthree\n", "one\r\ntwo\rthree\n".encode("utf-16")])
def test_newlines_are_normalised(data: bytes) -> None:
    assert decode_text(data) == "one\ntwo\nthree\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner.txt", "Talks went on. " * 40)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        ("\ufeff  \n".encode("utf-8"), "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary: looks like a PNG image"),
        (_zip(), "binary: looks like a zip archive (or docx, xlsx, epub)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "binary: looks like a PDF document"),
        (b"abc\x00def\x00\x01\x02\x03\x04\x05ghi", "binary: 7 control characters in 16"),
        (bytes(range(32)) * 20, "binary: 560 control characters in 640"),
        (b"\xe9t\xe9\x00" * 40, "binary: NUL bytes and no byte-order mark"),
    ],
)
def test_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleReadError) as caught:
        decode_text(data, path="in/doc.txt")
    assert caught.value.reason == reason
    assert str(caught.value) == f"in/doc.txt: {reason}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Envoys\x00 met in Oslo.", "Envoys  met in Oslo."),
        (b"Envoys met\x07 in Oslo.\x7f", "Envoys met  in Oslo. "),
        (b"Talks. " * 50 + b"\x00\x1b\x08", "Talks. " * 50 + "   "),
        ("Envoys met in Genève\x00.".encode("utf-16"), "Envoys met in Genève ."),
        ("Talks\u0085went on.".encode("utf-8"), "Talks went on."),
    ],
)
def test_stray_control_characters_become_spaces(data: bytes, expected: str) -> None:
    text = decode_text(data)
    assert text == expected
    assert len(text) == len(expected)  # one for one: offsets into the text hold


def test_mixed_line_endings_become_newlines_one_for_one() -> None:
    text = decode_text(b"one\r\ntwo\rthree\nfour\r\n\r\nfive")
    assert text == "one\ntwo\nthree\nfour\n\nfive"
    assert text.splitlines() == ["one", "two", "three", "four", "", "five"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_article_read_error(data: bytes) -> None:
    try:
        text = decode_text(data, path="x.txt")
    except ArticleReadError as error:
        assert error.path == "x.txt"
        assert error.reason.partition(":")[0] in {"empty", "binary", "undecodable"}
    else:
        assert text.strip()
        assert "\r" not in text
