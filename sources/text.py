"""Decoding a file's bytes to text: BOMs, UTF-8, then detection; binary input refused."""

from __future__ import annotations

import codecs
import os
import re

import charset_normalizer

from sources.errors import ArticleReadError

__all__ = ["binary_kind", "clean_text", "decode_text", "detect_encoding"]

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of common binary formats that turn up renamed to .txt or .html, and their names.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or docx, xlsx, epub)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"RIFF", "a RIFF file (WAV, AVI, WebP)"),
    (b"OggS", "an Ogg audio or video file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (doc, xls)"),
)

# Western encodings that win a tie in charset-normalizer's ranking: a news corpus in a Latin
# script is far more often cp1252 (a superset of latin-1's printable range) than cp1250 or cp1257.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")

# Control characters that never occur in text (tab, newlines and form feed excluded).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")

# Lone UTF-16 surrogates (a JSON "\ud800" escape decodes to one; no UTF-8 writer accepts it).
_SURROGATE = re.compile("[\ud800-\udfff]")


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` starts like (``"a PNG image"``), or None.

    Examples
    --------
    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n...")
    'a PNG image'
    >>> binary_kind(b"The envoys met.") is None
    True
    """
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def clean_text(text: str) -> str:
    """Replace control characters by spaces and lone surrogates by U+FFFD, keeping every offset.

    NUL, the other C0 controls but tab, newlines and form feed, DEL, the C1 controls and
    unpaired surrogates never belong to an article's text and trip up tokenizers and UTF-8
    writers; one character becomes one character, so offsets into the text are unchanged.

    Examples
    --------
    >>> clean_text("Talks\\x00 in\\x07 Oslo\\ud800.")
    'Talks  in  Oslo\\ufffd.'
    """
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))


def decode_text(data: bytes, *, path: str | os.PathLike[str] = "<bytes>") -> str:
    """Decode a text file's bytes, normalising newlines to ``"\\n"``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8, then
    charset-normalizer's detection (ties broken in favour of cp1252, so cp1252 and latin-1 files
    with accents and “smart quotes” come out right). ``"\\r\\n"`` and ``"\\r"`` become ``"\\n"``,
    as Python's own text mode reads them, and a leading BOM is dropped. A few stray control
    characters (NUL, bell...) are each replaced by a space (see :func:`clean_text`); many of
    them mean the file is not text.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : str or os.PathLike, optional
        Named in the error, nothing is read from it.

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    ArticleReadError
        With reason ``"empty"`` (nothing but whitespace), ``"binary: ..."`` (a known binary
        signature, NUL bytes without a BOM, or more than 1% control characters; the reason says
        which) or ``"undecodable: ..."``.

    Examples
    --------
    >>> decode_text("Caf\\u00e9 \\u201cnoir\\u201d\\r\\n".encode("cp1252"))
    'Café “noir”\\n'
    >>> decode_text("Gen\\u00e8ve".encode("utf-16"))
    'Genève'
    >>> decode_text(b"Talks\\x00 resumed.")
    'Talks  resumed.'
    >>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n...", path="logo.txt")
    Traceback (most recent call last):
    ...
    sources.errors.ArticleReadError: logo.txt: binary: looks like a PNG image
    """
    if not data.strip():
        raise ArticleReadError(path, "empty")
    text = _decode(data, path)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise ArticleReadError(path, f"binary: {controls} control characters in {len(text)}")
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ArticleReadError(path, "empty")
    return text


def _decode(data: bytes, path: str | os.PathLike[str]) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise ArticleReadError(path, f"undecodable: bad {encoding} after its BOM") from None
    kind = binary_kind(data)
    if kind is not None:
        raise ArticleReadError(path, f"binary: looks like {kind}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if b"\x00" in data and (detected is None or not detected.startswith("utf_")):
        raise ArticleReadError(path, "binary: NUL bytes and no byte-order mark")
    if detected is None:
        raise ArticleReadError(path, "undecodable: not UTF-8 and no encoding detected")
    return data.decode(detected)


def detect_encoding(data: bytes) -> str | None:
    """The encoding of bytes that are not UTF-8, as :func:`decode_text` detects it.

    charset-normalizer's guess, ties broken in favour of cp1252 and latin-1; None when nothing
    fits.

    Examples
    --------
    >>> detect_encoding("The envoy\u2019s \u201cfrank\u201d talks in Gen\u00e8ve.".encode("cp1252"))
    'cp1252'
    """
    return _detect(data)


def _detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds, preferring a Western one among equals."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return None
    tied = [
        match
        for match in results
        if match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.01
    ]
    for encoding in _WESTERN:
        if any(encoding in match.could_be_from_charset for match in tied):
            return encoding
    if best.coherence == 0.0 and not best.encoding.startswith("utf_"):
        # No language recognised (a short text): a Latin-script guess is likelier than cp855.
        for encoding in _WESTERN:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(text):
                return encoding
    return best.encoding
