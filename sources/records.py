"""Article records: what every reader in :mod:`sources` produces."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["Article", "Skipped"]


@dataclass(frozen=True)
class Article:
    """One article as read from a file or a JSONL record.

    ``text`` is the document's text as read (for a ``.txt`` file its decoded content, newlines
    normalised to ``"\\n"`` and stray control characters replaced one for one by spaces; for HTML
    the main text the extractor returned); every character offset elsewhere in diplograph points
    into it. ``furniture`` lists ``(start, end)`` character ranges of ``text`` that are page furniture
    (share menus, photo credits, bylines, unrelated headline links): kept so offsets stay true,
    never read for entities. ``date_source`` says where ``published`` came from (``"date-line"``,
    ``"published"``, ``"dateline"``, ``"html"``, ``"jsonl"``); ``dateline`` is the dateline's
    place ("BEIJING") when the article opens with one.
    """

    id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    path: str = ""
    line: int | None = None
    furniture: tuple[tuple[int, int], ...] = ()
    date_source: str | None = None
    dateline: str | None = None

    def content(self) -> str:
        """``text`` with every furniture range blanked out by spaces (offsets unchanged)."""
        if not self.furniture:
            return self.text
        chars = list(self.text)
        for start, end in self.furniture:
            for i in range(max(start, 0), min(end, len(chars))):
                if chars[i] not in "\n\r":
                    chars[i] = " "
        return "".join(chars)


@dataclass(frozen=True)
class Skipped:
    """An input that could not be used, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"
