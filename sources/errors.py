"""Errors raised while reading articles."""

from __future__ import annotations

import os

__all__ = ["ArticleReadError"]


class ArticleReadError(ValueError):
    """An input file, or one line of it, could not be read as an article.

    Parameters
    ----------
    path : str or os.PathLike
        The file that failed.
    reason : str
        Why, starting with a short kind (``"empty"``, ``"binary"``, ``"bad JSON: ..."``).
    line : int, optional
        The 1-based line number, for line-oriented formats such as JSONL.

    Examples
    --------
    >>> str(ArticleReadError("news/a.jsonl", "bad JSON: Expecting value", line=3))
    'news/a.jsonl:3: bad JSON: Expecting value'
    >>> ArticleReadError("a.txt", "empty").line is None
    True
    """

    def __init__(
        self, path: str | os.PathLike[str], reason: str, *, line: int | None = None
    ) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"
