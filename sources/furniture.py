"""Page furniture: character ranges of an article's text that are not its content.

Share menus, breadcrumbs, photo credits, bylines and handles, outlet boilerplate in datelines,
comment counters and links to unrelated headlines come along when a page is scraped. They must
never become entities, so they are marked as ranges (offsets into the text stay true) and
:meth:`sources.records.Article.content` blanks them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.dates import find_date_line, find_dateline, find_published_line

__all__ = [
    "Layout",
    "find_furniture",
    "find_title",
    "merge_spans",
    "scan_layout",
    "without_furniture",
]

Span = tuple[int, int]

_BULLETS = "•·▪◦‣►"

# "• Audio Only", "  • twitter": a bullet and one to three words, nothing that ends a sentence.
_SHARE_ITEM = re.compile(rf"^[ \t]*[{_BULLETS}][ \t]*\S+(?:[ \t]+\S+){{0,2}}[ \t]*$")

# "News > World", "Home » Asia » Middle East".
_CRUMB_SEP = re.compile(r"[ \t]*[>»›][ \t]*")

# "Post with no comments.", "3 Comments", "Comments (12)", "Leave a reply".
_COMMENTS = re.compile(
    r"^[ \t]*(?:Post(?:ed)?[ ]with[ ]no[ ]comments|No[ ]comments(?:[ ]yet)?|\d+[ ]comments?"
    r"|comments?[ ]?\(\d+\)|Leave[ ]a[ ](?:comment|reply)|Be[ ]the[ ]first[ ]to[ ]comment"
    r"|Show[ ]comments|Add[ ](?:a[ ])?comment)[ \t]*[.!]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

# "By Jane Doe", "By Jane Doe and John Roe | Staff Writer", "Written by J. Doe".
_NAME = r"[A-Z][\w.'’\-]*(?:[ ][A-Z][\w.'’\-]*){0,3}"
_BYLINE = re.compile(
    rf"^[ \t]*(?:Written[ ])?[Bb]y[ ]+{_NAME}(?:[ ]*(?:,|\||and|&)[ ]*{_NAME})*[ \t]*$",
    re.MULTILINE,
)

# A caption or credit line: "Photo: ...", "File photo: ...", "Image credit: ...".
_CAPTION_LINE = re.compile(
    r"^[ \t]*(?:Photo(?:graph)?|File[ ]photo|Image|Picture|Caption|Credit)s?(?:[ ]credit)?[ \t]*:[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)

# Credits inside a line: "| Photo: Twitter/@someone", "[Photo/Some Ministry]", "(Photo: AFP)".
_INLINE_CREDIT = re.compile(
    r"\|[ \t]*(?:Photo|Image|Picture|Credit|Video)s?[ \t]*:[^\n]*"
    r"|\[[ \t]*(?:Photo|File[ ]photo|Image|Picture|Video)s?[ \t]*[/:][^\]\n]{0,120}\]"
    r"|\([ \t]*(?:Photo|File[ ]photo|Image|Picture|Video)s?[ \t]*[/:][^)\n]{0,120}\)",
    re.IGNORECASE,
)

# A teaser for another story: "ALSO READ: ...", "Trending: ...", "Related: ...", "Read more: ...".
_TEASER_LINE = re.compile(
    r"^[ \t]*(?:Also[ ]read|Read[ ](?:more|also)|Trending(?:[ ]now)?|Related(?:[ ](?:stories|news|articles?))?"
    r"|Recommended|Most[ ]read|Don't[ ]miss|Editor's[ ]picks?|More[ ]from[ ][^:\n]{1,40})[ \t]*:[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)

# Social-media handles, with their parentheses when they have them: "(@Handle)", "@handle".
_HANDLE = re.compile(r"\([ \t]*@\w{1,30}[ \t]*\)|(?<![\w@.])@[A-Za-z0-9_]{1,30}\b")

# Words a title-case headline leaves in lower case.
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "onto",
        "or",
        "over",
        "per",
        "the",
        "to",
        "up",
        "upon",
        "via",
        "vs",
        "with",
        "amid",
        "after",
        "than",
    ]
)
_HEADLINE_WORDS = (4, 14)
_HEADLINE_MAX_CHARS = 120
_SENTENCE_END = '.!?"”’)]…'


@dataclass(frozen=True)
class Layout:
    """What :func:`scan_layout` found: the furniture ranges and the title line, if any."""

    furniture: tuple[Span, ...]
    title_span: Span | None = None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def span(self) -> Span:
        """The line without its surrounding blanks."""
        lead = len(self.text) - len(self.text.lstrip())
        return self.start + lead, self.start + len(self.text.rstrip())


def _lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for raw in text.split("\n"):
        lines.append(_Line(offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def merge_spans(spans: list[Span]) -> tuple[Span, ...]:
    """Sort ranges and merge those that overlap or touch.

    Examples
    --------
    >>> merge_spans([(5, 9), (0, 2), (2, 4), (8, 12)])
    ((0, 4), (5, 12))
    """
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _is_share_item(line: str) -> bool:
    return bool(_SHARE_ITEM.match(line)) and line.rstrip()[-1] not in ".!?"


def _is_breadcrumb(line: str) -> bool:
    parts = _CRUMB_SEP.split(line.strip())
    if len(parts) < 2:
        return False
    return all(
        part
        and len(part) <= 30
        and len(part.split()) <= 4
        and part[-1] not in ".!?,;"
        and not any(char in part for char in '<="“')
        for part in parts
    )


def _is_headline(line: str) -> bool:
    """A short Title-Case line with no terminal punctuation, like a link to another story."""
    stripped = line.strip()
    if not stripped or len(stripped) > _HEADLINE_MAX_CHARS or stripped[0] in _BULLETS:
        return False
    if not stripped[-1].isalnum() or ". " in stripped:
        return False
    words = stripped.split()
    if not _HEADLINE_WORDS[0] <= len(words) <= _HEADLINE_WORDS[1]:
        return False
    capitalised = 0
    for word in words:
        core = word.strip("\"'“”‘’()[],:;-–—")
        if not core or not core[0].isalpha():
            continue
        if core[0].isupper():
            capitalised += 1
        elif core.lower() not in _SMALL_WORDS:
            return False
    return capitalised >= 2


def _is_sentence(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END and len(stripped.split()) >= 6


def _same_title(line: str, title: str) -> bool:
    return " ".join(line.split()).casefold() == " ".join(title.split()).casefold()


def scan_layout(text: str, *, title: str = "") -> Layout:
    """Find page furniture and the title line in an article's text.

    Parameters
    ----------
    text : str
        The article text.
    title : str, optional
        The title when known from elsewhere (HTML metadata, a JSONL record). The line that
        repeats it is the title line; otherwise the `` date YYYY-MM-DD`` header line is, or else
        the first headline-like line before the body's first sentence, or else a short
        unpunctuated first line followed by a blank line (a headline in sentence case).

    Returns
    -------
    Layout
        Merged furniture ranges and the title line's range.

    Examples
    --------
    >>> text = "Envoys Agree on Water Sharing Plan\\n\\nThe envoys agreed on a plan.\\nMarkets Rally on Trade Hopes\\n"
    >>> layout = scan_layout(text)
    >>> text[slice(*layout.title_span)]
    'Envoys Agree on Water Sharing Plan'
    >>> [text[start:end] for start, end in layout.furniture]
    ['Markets Rally on Trade Hopes']
    """
    spans: list[Span] = []
    lines = _lines(text)
    claimed: set[int] = set()  # lines that are furniture as a whole

    header = find_date_line(text)
    if header is not None:
        spans.append(header.marker)
    published = find_published_line(text)
    if published is not None:
        spans.append(published.span)
    dateline = find_dateline(text)
    if dateline is not None and dateline.outlet_span is not None:
        spans.append(dateline.outlet_span)

    for index, line in enumerate(lines):
        raw = line.text
        if not raw.strip():
            continue
        if (
            _is_share_item(raw)
            or _is_breadcrumb(raw)
            or _COMMENTS.fullmatch(raw)
            or _BYLINE.fullmatch(raw)
            or _CAPTION_LINE.match(raw)
            or _TEASER_LINE.match(raw)
        ):
            spans.append(line.span)
            claimed.add(index)
        elif published is not None and line.start <= published.span[0] < line.end:
            claimed.add(index)

    for pattern in (_INLINE_CREDIT, _HANDLE):
        spans.extend(match.span() for match in pattern.finditer(text))

    title_index = _title_index(lines, claimed, header is not None, title)
    first_sentence = next(
        (i for i, line in enumerate(lines) if i not in claimed and _is_sentence(line.text)),
        len(lines),
    )
    after = title_index if title_index is not None else first_sentence
    for index, line in enumerate(lines):
        is_link = index > after and index not in claimed and _is_headline(line.text)
        if is_link and not (title and _same_title(line.text, title)):
            spans.append(line.span)

    if title_index is None:
        title_span = None
    elif header is not None and title_index == 0:
        title_span = header.title_span
    else:
        title_span = lines[title_index].span
    return Layout(merge_spans(spans), title_span)


def _title_index(lines: list[_Line], claimed: set[int], has_header: bool, title: str) -> int | None:
    if has_header:
        return 0
    if title:
        for index, line in enumerate(lines):
            if _same_title(line.text, title):
                return index
    for index, line in enumerate(lines):
        if index in claimed or not line.text.strip():
            continue
        if _is_headline(line.text) or _is_title_line(lines, index, claimed):
            return index
        if _is_sentence(line.text):
            return None
    return None


def _is_title_line(lines: list[_Line], index: int, claimed: set[int]) -> bool:
    """A sentence-case headline: the first line after furniture, short, unpunctuated, then a blank."""
    stripped = lines[index].text.strip()
    followed_by_blank = index + 1 < len(lines) and not lines[index + 1].text.strip()
    return (
        all(i in claimed or not line.text.strip() for i, line in enumerate(lines[:index]))
        and followed_by_blank
        and stripped[0] not in _BULLETS
        and stripped[-1].isalnum()
        and ". " not in stripped
        and 2 <= len(stripped.split()) <= 20
    )


def find_furniture(text: str, *, title: str = "") -> tuple[Span, ...]:
    """Character ranges of ``text`` that are page furniture, sorted and merged.

    Caught: share-menu lines (a bullet and one to three words), breadcrumbs (``News > World``),
    comment counters (``Post with no comments.``), byline lines (``By Jane Doe``), caption and
    credit lines (``Photo: ...``) and credits inside lines (``| Photo: ...``, ``[Photo/...]``),
    social-media handles (``(@Handle)``), the outlet parenthesis of a dateline (``(Xinhua)``),
    the header's ``date YYYY-MM-DD`` marker and ``Published ...`` lines, and headline-like lines
    (short, Title Case, no final punctuation) after the title line: links to other stories.

    Parameters
    ----------
    text : str
        The article text.
    title : str, optional
        The article's title when known from elsewhere; see :func:`scan_layout`.

    Examples
    --------
    >>> text = "• share\\nBy Jo Roe\\nROME, May 3 (Wire) -- Talks opened. [Photo/Agency]"
    >>> [text[start:end] for start, end in find_furniture(text)]
    ['• share', 'By Jo Roe', '(Wire)', '[Photo/Agency]']
    """
    return scan_layout(text, title=title).furniture


def find_title(text: str) -> str:
    """The article's title as its text gives it, furniture removed; ``""`` when there is none.

    It is the rest of the `` date YYYY-MM-DD`` header line, or else the first headline-like
    line before the body's first sentence.

    Examples
    --------
    >>> find_title(" date 2020-01-02 Ministers Meet (@wire)\\n\\nThey met.")
    'Ministers Meet'
    >>> find_title("The ministers met on Monday in the capital.")
    ''
    """
    layout = scan_layout(text)
    if layout.title_span is None:
        return ""
    return without_furniture(text, layout.title_span, layout.furniture)


def without_furniture(text: str, span: Span, furniture: tuple[Span, ...]) -> str:
    """``text[span]`` with furniture removed and whitespace collapsed.

    Examples
    --------
    >>> without_furniture("Talks Go On (@wire) today", (0, 25), ((12, 19),))
    'Talks Go On today'
    """
    start, end = span
    chars = list(text[start:end])
    for f_start, f_end in furniture:
        for i in range(max(f_start, start), min(f_end, end)):
            chars[i - start] = " "
    return " ".join("".join(chars).split())
