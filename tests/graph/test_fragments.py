"""graph._fragments: parts of an output file reused from the previous file, and only when they fit."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graph._fragments import Fragments, fingerprint, index_path


def write(path: Path, rows: list[object], context: object = "v1") -> Fragments:
    """Write one line per row, reusing the previous file's lines (as the writers do)."""
    parts = Fragments.previous(path, context)
    parts.add(None, b"header\n")
    for row in rows:
        fp = fingerprint(row)
        old = parts.get(fp)
        parts.add(fp, old if old is not None else f"{row!r}\n".encode())
    parts.write()
    return parts


def lines(rows: list[object]) -> bytes:
    return b"header\n" + b"".join(f"{row!r}\n".encode() for row in rows)


def test_unchanged_rows_are_taken_from_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    assert write(path, ["a", "b", 3]).reused == 0
    assert index_path(path).is_file()
    parts = write(path, [3, "new", "a"])
    assert parts.reused == 2
    assert path.read_bytes() == lines([3, "new", "a"])


def test_a_part_is_only_reused_under_its_context(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["a", "b"])
    assert write(path, ["a", "b"], context={"columns": ["x"]}).reused == 0
    assert write(path, ["a", "b"], context={"columns": ["x"]}).reused == 2


def test_a_file_changed_since_its_index_is_not_cut_up(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    path.write_bytes(lines(["xx", "yy"]))  # same size, edited by hand
    assert write(path, ["aa", "bb"]).reused == 0
    assert path.read_bytes() == lines(["aa", "bb"])
    write(path, ["aa", "bb"])
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # only touched: still not trusted
    assert write(path, ["aa", "bb"]).reused == 0


def test_an_edit_that_keeps_the_size_and_the_time_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    st = path.stat()
    with path.open("r+b") as fh:  # edited in place, then its modification time set back
        fh.write(lines(["xx", "yy"]))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert write(path, ["aa", "bb"]).reused == 0
    assert path.read_bytes() == lines(["aa", "bb"])
    other = tmp_path / "other.txt"  # a file of the same size and time put in its place
    other.write_bytes(lines(["cc", "dd"]))
    st = path.stat()
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, path)
    assert write(path, ["aa", "bb"]).reused == 0
    assert path.read_bytes() == lines(["aa", "bb"])


def test_an_index_left_by_a_build_killed_before_it_was_written_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    stale = index_path(path).read_bytes()
    write(path, ["cc", "aa"])  # the new file is in place ...
    index_path(path).write_bytes(stale)  # ... and its index is the old one's
    assert write(path, ["aa", "bb"]).reused == 0
    assert path.read_bytes() == lines(["aa", "bb"])


@pytest.mark.parametrize("damage", [
    lambda b: b"", lambda b: b"not an index", lambda b: b[:-5], lambda b: b + b"x",
    lambda b: b.replace(b'"count": 2', b'"count": 3'), lambda b: b.replace(b'"count": 2', b'"count": -1'),
    lambda b: b.replace(b'"count": 2', b'"count": "2"'), lambda b: b.split(b"\n", 1)[0] + b"\n{bad json\n",
])
def test_a_damaged_index_only_costs_the_reuse(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    index_path(path).write_bytes(damage(index_path(path).read_bytes()))  # type: ignore[operator]
    assert write(path, ["aa", "bb"]).reused == 0
    assert path.read_bytes() == lines(["aa", "bb"])


def test_offsets_outside_the_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    path.write_bytes(b"short")
    magic, head, body = index_path(path).read_bytes().split(b"\n", 2)
    meta = json.loads(head)
    meta["file"] = [path.stat().st_size, path.stat().st_mtime_ns]  # an index that claims this file
    index_path(path).write_bytes(magic + b"\n" + json.dumps(meta).encode() + b"\n" + body)
    assert Fragments.previous(path, "v1").get(fingerprint("aa")) is None


def test_what_cannot_be_pickled_is_made_anew_and_not_indexed(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    unpicklable = [lambda: 0]
    assert fingerprint(unpicklable) is None
    parts = Fragments.previous(path, "v1")
    parts.add(fingerprint(unpicklable), b"made\n")
    parts.write()
    assert path.read_bytes() == b"made\n"
    assert Fragments.previous(path, "v1")._old == {}


def test_fingerprints_tell_types_apart() -> None:
    assert fingerprint({"a": [1, 2]}) == fingerprint({"a": [1, 2]})
    assert len({fingerprint(v) for v in ([1], (1,), [1.0], [True], ["1"], {"a": 1}, {"a": 1.0})}) == 7


def test_parts_made_by_other_code_are_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.store

    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    real = graph.store.code_digest
    monkeypatch.setattr(graph.store, "code_digest", lambda package: "new" + real(package))  # an upgrade
    assert write(path, ["aa", "bb"]).reused == 0
    assert write(path, ["aa", "bb"]).reused == 2


def test_the_previous_file_is_read_when_first_needed_and_only_if_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    parts = Fragments.previous(path, "v1")
    assert parts._src is None  # the index only, so far
    path.write_bytes(lines(["other", "rows"]))  # replaced before any part was copied
    assert parts.get(fingerprint("aa")) is None and not parts.load()
    fresh = Fragments.previous(path, "v1")  # its index no longer describes it
    assert fresh.get(fingerprint("aa")) is None
    write(path, ["aa", "bb"])
    parts = Fragments.previous(path, "v1")
    assert bytes(parts.get(fingerprint("aa")) or b"") == b"'aa'\n" and parts.load()


def kernel_copies(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Record each (offset, length) the kernel is asked to copy from the previous file."""
    import graph._fragments as fragments

    calls: list[tuple[int, int]] = []
    real = os.copy_file_range

    def copy(src: int, dst: int, count: int, offset_src: int | None = None) -> int:
        calls.append((offset_src or 0, count))
        return real(src, dst, count, offset_src)

    monkeypatch.setattr(fragments, "_KERNEL_COPY", copy)
    monkeypatch.setattr(fragments, "_RUN_MIN", 1)  # these files' runs are a few bytes long
    return calls


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="copy_file_range is Linux's")
def test_runs_of_reused_parts_are_copied_file_to_file_in_one_call_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["a", "b", "c", "d"])
    calls = kernel_copies(monkeypatch)
    parts = write(path, ["a", "b", "new", "c", "d"])
    assert parts.reused == 4 and path.read_bytes() == lines(["a", "b", "new", "c", "d"])
    start = len(b"header\n")
    assert calls == [(start, 2 * len(b"'a'\n")), (start + 2 * len(b"'a'\n"), 2 * len(b"'c'\n"))]
    calls.clear()
    write(path, ["d", "c"])  # out of order: one run each
    assert path.read_bytes() == lines(["d", "c"]) and len(calls) == 2


def test_where_the_kernel_cannot_copy_the_parts_are_read_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import graph._fragments as fragments

    def cannot(*args: object) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    path = tmp_path / "rows.txt"
    write(path, ["a", "b"])
    monkeypatch.setattr(fragments, "_KERNEL_COPY", cannot)
    monkeypatch.setattr(fragments, "_RUN_MIN", 1)
    assert write(path, ["b", "a", "c"]).reused == 2
    assert path.read_bytes() == lines(["b", "a", "c"])
    assert fragments._KERNEL_COPY is None  # not tried again


def test_a_previous_file_edited_while_its_parts_are_copied_fails_that_file_only(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["aa", "bb"])
    parts = Fragments.previous(path, "v1")
    old = parts.get(fingerprint("aa"))
    assert old is not None and bytes(old) == b"'aa'\n"
    parts.add(fingerprint("aa"), old)
    edited = lines(["xx", "yy"])
    path.write_bytes(edited)  # in place, the same size: the part's bytes are gone
    with pytest.raises(OSError, match="changed while its parts were copied"):
        parts.write()
    assert path.read_bytes() == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, index_path(path).name])
    assert parts._src is None  # let go of, as after any write


def test_the_previous_file_is_let_go_once_written(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    write(path, ["a"])
    parts = write(path, ["a", "b"])
    assert parts.reused == 1 and parts._src is None


def test_short_runs_between_new_parts_are_written_from_one_read_of_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = kernel_copies(monkeypatch)
    import graph._fragments as fragments

    monkeypatch.setattr(fragments, "_RUN_MIN", 1 << 16)
    path = tmp_path / "rows.txt"
    write(path, ["a", "b", "c"])
    parts = write(path, ["new", "a", "other", "c", "b"])
    assert parts.reused == 3 and path.read_bytes() == lines(["new", "a", "other", "c", "b"])
    assert calls == []


def test_a_part_of_another_file_is_added_as_its_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    write(first, ["a", "b"])
    write(second, ["x"])
    source = Fragments.previous(first, "v1")
    other = Fragments.previous(second, "v1")
    part = source.get(fingerprint("b"))
    assert part is not None
    other.add(fingerprint("b"), part)
    source.close()
    other.write()
    assert second.read_bytes() == b"'b'\n"
