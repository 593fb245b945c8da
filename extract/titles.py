"""Officials' titles: the words around a name that say what office it holds, and for whom."""
from __future__ import annotations

import re

__all__ = ["TITLE_HEADS", "TITLE_WORDS", "MODIFIERS", "normalize_title", "is_title_word"]

#: Words that head a title ("Foreign *Minister*", "*Secretary* of ...").
TITLE_HEADS = frozenset(
    """president minister secretary secretary-general director director-general chief head member
    chairman chairwoman chair chairperson premier king queen emir sultan chancellor ambassador
    envoy spokesperson spokesman spokeswoman speaker commander governor mayor senator commissioner
    adviser advisor counselor councilor leader prince fm representative president-elect
    vice-president vice-premier prime-minister""".split()
)
#: Words that only occur inside a title ("*Foreign* Minister", "*Supreme* Leader").
TITLE_PARTS = frozenset(
    """foreign prime vice crown supreme national security defense defence finance interior trade
    economy energy state general special high permanent external affairs""".split()
)
#: Words that qualify a title without changing the office ("*Acting* Foreign Minister").
MODIFIERS = frozenset("acting deputy first former interim senior executive assistant".split())
TITLE_WORDS = TITLE_HEADS | TITLE_PARTS | MODIFIERS

_CANONICAL = [
    (re.compile(r"\bminister (?:(?:of|for) )?foreign affairs\b"), "foreign minister"),
    (re.compile(r"\bforeign affairs minister\b"), "foreign minister"),
    (re.compile(r"\bfm\b"), "foreign minister"),
    (re.compile(r"\bsecretary general\b"), "secretary-general"),
    (re.compile(r"\bdirector general\b"), "director-general"),
]
_SMALL = frozenset({"of", "for", "the", "and"})


def is_title_word(word: str) -> bool:
    """Whether a token can be part of a title.

    Examples
    --------
    >>> is_title_word("Minister"), is_title_word("Acting"), is_title_word("met")
    (True, True, False)
    """
    return word.casefold() in TITLE_WORDS


def normalize_title(words: str) -> str | None:
    """The canonical display form of a title, or None when it holds no head word.

    Examples
    --------
    >>> normalize_title("acting Foreign  Minister")
    'Acting Foreign Minister'
    >>> normalize_title("Minister of Foreign Affairs")
    'Foreign Minister'
    >>> normalize_title("Minister Foreign Affairs")  # "of" dropped between title words
    'Foreign Minister'
    >>> normalize_title("Secretary - General")
    'Secretary-General'
    >>> normalize_title("foreign") is None
    True
    """
    text = re.sub(r"\s+", " ", words.casefold()).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    for pattern, replacement in _CANONICAL:
        text = pattern.sub(replacement, text)
    tokens = text.split()
    if not any(t in TITLE_HEADS for t in tokens):
        return None
    return " ".join(t if t in _SMALL else "-".join(p.capitalize() for p in t.split("-")) for t in tokens)
