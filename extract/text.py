"""Character normalization that keeps every offset where it was."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

__all__ = ["normalize_chars", "clean_surface", "slugify", "name_key"]

# One character in, one character out: offsets into the original text stay valid.
_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
        "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
    }
)

_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$")
_EDGE_JUNK = re.compile(r"^[\s\"'()\[\],.;:!?*•|/-]+|[\s\"'()\[\],;:!?*•|/-]+$")


def normalize_chars(text: str) -> str:
    """Straighten quotes, apostrophes and dashes without changing the text's length.

    Examples
    --------
    >>> normalize_chars("China\u2018s \u201cBelt and Road\u201d \u2013 Iran\u2019s")
    'China\\'s "Belt and Road" - Iran\\'s'
    >>> len(normalize_chars("a\u2014b")) == len("a\u2014b")
    True
    """
    return text.translate(_SAME_LENGTH)


@functools.lru_cache(maxsize=1 << 16)
def clean_surface(text: str) -> str:
    """The display form of a mention: quotes, determiners and possessives removed.

    Examples
    --------
    >>> clean_surface("the \u201cBelt and Road")
    'Belt and Road'
    >>> clean_surface("China\u2018s")
    'China'
    >>> clean_surface("United and Independent Development\\n\\n")
    'United and Independent Development'
    """
    text = unicodedata.normalize("NFKC", normalize_chars(text))
    text = re.sub(r"\s+", " ", text)
    previous = None
    while previous != text:
        previous = text
        text = _EDGE_JUNK.sub("", text)
        text = _DETERMINER.sub("", text)
        text = _POSSESSIVE.sub("", text)
    return text


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """A comparison key for names: case, accents, hyphens and dots folded.

    Examples
    --------
    >>> name_key("Hossein Amir-Abdollahian") == name_key("hossein amir abdollahian")
    True
    >>> name_key("St. Petersburg")
    'st petersburg'
    """
    text = unicodedata.normalize("NFKD", clean_surface(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[-_.'’]+", " ", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


def slugify(text: str) -> str:
    """The stable slug used in node ids.

    Examples
    --------
    >>> slugify("Ali Akbar Ahmadian")
    'ali-akbar-ahmadian'
    >>> slugify("Belt and Road Initiative")
    'belt-and-road-initiative'
    """
    key = re.sub(r"[^0-9a-z]+", "-", name_key(text))
    return key.strip("-") or "unnamed"


def _name_tokens(surface: str) -> tuple[str, ...]:
    """Words of a name, compared without case or accents; "Amir-Abdollahian" is one word."""
    return tuple(name_key(word).replace(" ", "-") for word in clean_surface(surface).split())


def _contains(full: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return any(tuple(full[i : i + n]) == tuple(part) for i in range(len(full) - n + 1))


def _is_variant(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """'Ali Ahmadian' is a variant of 'Ali Akbar Ahmadian': same first and last word, in order."""
    if len(short) >= len(long) or len(short) < 2 or short[0] != long[0] or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(word in it for word in short)
