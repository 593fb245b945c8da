from __future__ import annotations

import pytest

from sources.errors import ArticleReadError


@pytest.mark.parametrize(
    ("path", "line", "expected"),
    [
        ("news/a.txt", None, "news/a.txt: binary"),
        ("feed.jsonl", 4, "feed.jsonl:4: binary"),
    ],
)
def test_message_names_path_line_and_reason(path: str, line: int | None, expected: str) -> None:
    error = ArticleReadError(path, "binary", line=line)
    assert str(error) == expected
    assert (error.path, error.line, error.reason) == (path, line, "binary")


def test_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"^x\.txt: empty$"):
        raise ArticleReadError("x.txt", "empty")
