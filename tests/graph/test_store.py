"""graph.store and incremental builds: reuse, duplicates, renames, stale versions, interruptions."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import extract.document as document
from extract.records import DocumentRecord
from graph.build import Build, build
from graph.store import STORE_NAME, Store, StoreError, code_digest, document_key, renamed
from sources.files import iter_articles
from sources.records import Article
from sources.samples import sample_corpus

BUILD = sys.modules["graph.build"]  # the module: graph.build is the function

REPO = Path(__file__).resolve().parents[2]

TEXTS = {
    "brics_kazan": "KAZAN (Wire) \u2014 Iran joined the BRICS summit in Kazan on Tuesday. "
    "China said the Belt and Road Initiative was open to all.\n",
    "who_geneva": "GENEVA \u2013 The WHO and the United Nations met Qatari and Saudi envoys.\n",
    "sco_talks": "Chinese and Iranian diplomats met at the Shanghai Cooperation Organisation on Friday.\n",
}


def write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def assert_same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    """Same nodes and edges, in the same order, with the same attributes."""
    assert nx.utils.graphs_equal(a, b)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def run(inputs: list[Path], out: Path, **kwargs: Any) -> Build:
    kwargs.setdefault("model", "blank")
    return build(inputs, out=out, progress=False, html=False, **kwargs)


# --- the store on its own ---------------------------------------------------------------------


def test_document_key_ignores_the_name_and_sees_every_read_field() -> None:
    base = Article("a", "Iran and China met.", path="a.txt")
    assert document_key(base) == document_key(Article("b", "Iran and China met.", path="x/b.txt", line=3))
    for changed in (
        Article("a", "Iran and China met!"),
        Article("a", "Iran and China met.", title="Talks"),
        Article("a", "Iran and China met.", furniture=((0, 4),)),
        Article("a", "Iran and China met.", dateline="TEHRAN"),
    ):
        assert document_key(changed) != document_key(base)


def test_store_round_trips_and_replaces_by_document_id(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "store.sqlite"
    old, new = Article("d1", "old text"), Article("d1", "new text")
    with Store(path) as store:
        store.put([(document_key(old), DocumentRecord("d1", title="old"))], "v1")
        assert len(store) == 1
        store.put([(document_key(new), DocumentRecord("d1", title="new"))], "v1")
        assert len(store) == 1  # the changed document replaced its older record
        assert store.get([document_key(old)], "v1") == {}
        assert store.get([document_key(new)], "v1") == {document_key(new): DocumentRecord("d1", title="new")}
        store.put([(document_key(new), DocumentRecord("d1", title="other model"))], "v2")
        assert store.doc_ids() == {"d1": document_key(new)}
        assert store.get([document_key(new)], "v1") == {}
    with Store(path) as again:  # persisted
        assert again.items() == {"d1": DocumentRecord("d1", title="other model")}


def test_store_reads_more_keys_than_one_statement_takes(tmp_path: Path) -> None:
    articles = [Article(f"d{i}", f"text {i}") for i in range(1200)]
    with Store(tmp_path / "s.sqlite") as store:
        store.put([(document_key(a), DocumentRecord(a.id)) for a in articles], "v")
        found = store.get([document_key(a) for a in articles] + ["missing"], "v")
    assert len(found) == 1200


def test_records_are_read_with_the_collector_paused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    article = Article("d1", "text")
    seen: list[bool] = []
    real = DocumentRecord.from_json

    def watched(data: Any) -> DocumentRecord:
        seen.append(gc.isenabled())
        return real(data)

    with Store(tmp_path / "s.sqlite") as store:
        store.put([(document_key(article), DocumentRecord("d1"))], "v")
        monkeypatch.setattr(DocumentRecord, "from_json", staticmethod(watched))
        assert store.get([document_key(article)], "v") and store.items()
    assert seen == [False, False] and gc.isenabled()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all, just bytes" * 40, "not a diplograph store"), (None, "schema 7")],
    ids=["not-sqlite", "other-schema"],
)
def test_a_foreign_file_is_refused(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "store.sqlite"
    if content is None:
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA user_version=7")
    else:
        path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        Store(path)


def test_renamed_record_equals_a_fresh_extraction(tmp_path: Path, blank_pipeline: Any) -> None:
    text = "Iran and China met in Beijing on Monday and discussed Gaza."
    a, b = Article("a", text, path="a.txt"), Article("b", text, path="b.txt")
    fresh_b = document.extract_article(blank_pipeline, b)
    assert renamed(document.extract_article(blank_pipeline, a), b) == fresh_b


# --- records round-trip exactly: a graph from the store equals a fresh one ---------------------


@pytest.mark.model
@pytest.mark.seeds
def test_stored_records_rebuild_the_same_graph(shared_dir: Path, tmp_path: Path) -> None:
    inputs = [sample_corpus(), shared_dir / "seeds"]
    first = build(inputs, out=tmp_path / "out", progress=False, html=False)
    assert first.extracted == len(first.records) >= 22 and first.reused == 0
    with Store(tmp_path / "out" / STORE_NAME) as store:
        stored = store.items()
    assert len(stored) == first.extracted
    for rec in first.records:  # linked ids aside, every field came back as it went in
        assert DocumentRecord.from_json(json.loads(json.dumps(stored[rec.doc_id].to_json()))) == stored[rec.doc_id]
    graph_json = (tmp_path / "out" / "graph.json").read_bytes()
    second = build(inputs, out=tmp_path / "out", progress=False, html=False)
    assert (second.extracted, second.reused) == (0, first.extracted)
    assert second.records == first.records
    assert_same_graph(first.graph, second.graph)
    assert (tmp_path / "out" / "graph.json").read_bytes() == graph_json


# --- incremental builds ------------------------------------------------------------------------


def test_rebuild_extracts_only_new_or_changed_documents(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    first = run([folder], out)
    assert (first.extracted, first.reused) == (3, 0)
    assert run([folder], out).extracted == 0
    write(folder, {"sco_talks": TEXTS["sco_talks"].replace("Friday", "Monday"), "new": "Qatar met Egypt.\n"})
    third = run([folder], out)
    assert (third.extracted, third.reused) == (2, 2)
    assert "extracted 2 documents with blank, reused 2 from the store" in third.summary()
    with Store(out / STORE_NAME) as store:
        assert sorted(store.doc_ids()) == ["brics_kazan", "new", "sco_talks", "who_geneva"]
    assert_same_graph(third.graph, run([folder], tmp_path / "fresh", store=False).graph)


def test_a_rebuild_with_nothing_new_does_not_load_the_model(tmp_path: Path) -> None:
    from extract.pipeline import models_loaded

    folder = write(tmp_path / "in", TEXTS)
    first = run([folder], tmp_path / "out")
    before = models_loaded()
    again = run([folder], tmp_path / "out")
    assert (again.extracted, again.reused) == (0, first.extracted)
    assert models_loaded() == before
    write(folder, {"new": "Qatar met Egypt.\n"})
    assert run([folder], tmp_path / "out", store=tmp_path / "out" / STORE_NAME).extracted == 1


def test_a_rebuild_with_nothing_new_does_not_import_spacy(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    run([folder], tmp_path / "out", model=None)  # the statistical model when installed
    script = (
        "import sys\n"
        "from graph.build import build\n"
        f"result = build([{str(folder)!r}], out={str(tmp_path / 'out')!r}, progress=False, html=False)\n"
        "print(result.extracted, result.reused, sorted(m for m in sys.modules if m.split('.')[0] == 'spacy')[:3])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.split("\n")[0] == "0 3 []", done.stderr


def test_new_documents_are_extracted_beside_the_stored_ones_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild with stored and new documents extracts the new ones in a forked child (into the
    store) while it reads the stored ones: the same graph, the failures still reported."""
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    run([folder], out)
    write(folder, {"new": "Qatar met Egypt in Doha.\n", "bad": "Oman met Iran.\n", "more": "Iran met Qatar.\n"})
    pids = tmp_path / "pids"
    real = document.record_from_doc

    def spied(doc, article, pipeline):  # type: ignore[no-untyped-def]
        with open(pids, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        if article.id == "bad":
            raise ValueError("boom")
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", spied)
    again = run([folder], out)
    assert set(pids.read_text(encoding="utf-8").split()) - {str(os.getpid())}, "extracted in this process"
    assert (again.extracted, again.reused) == (2, 3)
    assert [(e.doc_id, e.reason) for e in again.failed] == [("bad", "extraction failed: boom")]
    assert [r.doc_id for r in again.records] == ["brics_kazan", "more", "new", "sco_talks", "who_geneva"]
    with Store(out / STORE_NAME) as store:
        assert sorted(store.doc_ids()) == ["brics_kazan", "more", "new", "sco_talks", "who_geneva"]
    monkeypatch.setattr(document, "record_from_doc", real)
    (folder / "bad.txt").unlink()
    assert_same_graph(again.graph, run([folder], tmp_path / "fresh", store=False).graph)


def stored_then_new(tmp_path: Path, n: int) -> Path:
    """A folder of one document, built into ``tmp_path / "out"``, then ``n`` new ones beside it."""
    folder = write(tmp_path / "in", {"first": "Iran met China.\n"})
    run([folder], tmp_path / "out")
    write(folder, {f"doc{i:02d}": f"Iran met China for the {i}th time.\n" for i in range(n)})
    return folder


def _both_children(tmp_path: Path) -> None:
    """Hold a child at its first document until the other child has one too."""
    (tmp_path / f"started-{os.getpid()}").touch()
    deadline = time.monotonic() + 20
    while len(list(tmp_path.glob("started-*"))) < 2:
        assert time.monotonic() < deadline, "the second child never took a document"
        time.sleep(0.01)


def test_many_new_documents_are_shared_between_two_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child that loaded the model forks a second one, which shares that load; this process
    only reads the stored records meanwhile."""
    from extract.pipeline import models_loaded

    monkeypatch.setattr(BUILD, "JOIN_AT_LEAST", 10)
    folder = stored_then_new(tmp_path, 10)
    done, parent = tmp_path / "done", os.getpid()
    real = document.record_from_doc

    def spied(doc, article, pipeline):  # type: ignore[no-untyped-def]
        _both_children(tmp_path)
        with open(done, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {models_loaded()} {article.id}\n")
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", spied)
    before = models_loaded()
    again = run([folder], tmp_path / "out", batch_size=3)
    rows = [line.split() for line in done.read_text(encoding="utf-8").splitlines()]
    assert len({pid for pid, _, _ in rows}) == 2 and str(parent) not in {pid for pid, _, _ in rows}
    assert {loads for _, loads, _ in rows} == {"0", "1"}, "one child loaded the model, the other shares it"
    assert sorted(doc for *_, doc in rows) == [f"doc{i:02d}" for i in range(10)]  # each once
    assert models_loaded() == before
    assert (again.extracted, again.reused) == (10, 1)
    with Store(tmp_path / "out" / STORE_NAME) as store:
        assert len(store.doc_ids()) == 11
    monkeypatch.setattr(document, "record_from_doc", real)
    fresh = run([folder], tmp_path / "fresh", store=False)
    assert again.records == fresh.records
    assert_same_graph(again.graph, fresh.graph)


def test_the_writers_are_imported_while_the_child_extracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = stored_then_new(tmp_path, 3)
    calls: list[bool] = []
    real = BUILD._import_writers

    def spied(html: bool) -> None:
        calls.append(html)
        real(html)

    monkeypatch.setattr(BUILD, "_import_writers", spied)
    assert run([folder], tmp_path / "out").extracted == 3  # html=False, as run() builds
    assert calls == [False]
    write(folder, {"late": "Oman met Qatar.\n"})
    build([folder], store=tmp_path / "out" / STORE_NAME, model="blank", progress=False)
    assert calls == [False], "no outputs, nothing to import early"


def test_a_few_new_documents_are_left_to_one_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer than JOIN_AT_LEAST new documents: one child extracts them, and this process loads no model."""
    from extract.pipeline import models_loaded

    folder = stored_then_new(tmp_path, 10)
    pids, parent = tmp_path / "pids", os.getpid()
    real = document.record_from_doc

    def spied(doc, article, pipeline):  # type: ignore[no-untyped-def]
        with open(pids, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", spied)
    before = models_loaded()
    again = run([folder], tmp_path / "out")
    assert (again.extracted, again.reused) == (10, 1)
    extracting = set(pids.read_text(encoding="utf-8").split())
    assert len(extracting) == 1 and str(parent) not in extracting
    assert models_loaded() == before


def test_a_child_that_cannot_load_the_model_fails_the_build_with_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extract.pipeline

    folder = stored_then_new(tmp_path, 40)
    parent, real = os.getpid(), extract.pipeline._add_patterns

    def broken(*args: Any) -> None:
        if os.getpid() != parent:
            raise RuntimeError("no model here")
        real(*args)

    monkeypatch.setattr(extract.pipeline, "_add_patterns", broken)
    with pytest.raises(ChildProcessError, match="RuntimeError: no model here"):
        run([folder], tmp_path / "out")


def test_ctrl_c_in_the_extracting_children_keeps_what_they_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BUILD, "JOIN_AT_LEAST", 10)
    folder = stored_then_new(tmp_path, 10)
    real = document.record_from_doc
    calls = []

    def interrupted(doc, article, pipeline):  # type: ignore[no-untyped-def]
        _both_children(tmp_path)
        calls.append(article.id)  # each child's own count: its second document is interrupted
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", interrupted)
    with pytest.raises(ChildProcessError, match="KeyboardInterrupt"):
        run([folder], tmp_path / "out", batch_size=3)
    with Store(tmp_path / "out" / STORE_NAME) as store:  # each child's first document, flushed
        stored = set(store.doc_ids())
    assert "first" in stored and len(stored) == 3
    monkeypatch.setattr(document, "record_from_doc", real)
    again = run([folder], tmp_path / "out")
    assert (again.extracted, again.reused) == (8, 3)


def test_ctrl_c_in_this_process_waits_for_what_the_child_extracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted while it reads the stored records, this process stops only once the child has
    stored what it extracts (a real Ctrl-C reaches the child too, which stops at its next record)."""
    folder = stored_then_new(tmp_path, 10)
    parent, real = os.getpid(), Store.get

    def interrupted(self, keys, version):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return real(self, keys, version)

    monkeypatch.setattr(Store, "get", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run([folder], tmp_path / "out", batch_size=3)
    with Store(tmp_path / "out" / STORE_NAME) as store:
        assert set(store.doc_ids()) == {"first", *(f"doc{i:02d}" for i in range(10))}
    monkeypatch.setattr(Store, "get", real)
    again = run([folder], tmp_path / "out")
    assert (again.extracted, again.reused) == (0, 11)


@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("2", "2")])
def test_the_team_loads_the_model_with_one_blas_thread(preset: str | None, expected: str) -> None:
    """Unless the environment says otherwise, and only when numpy is not imported yet (the
    variable is read then): a fresh process, as the CLI's child is."""
    code = (
        "import os, sys\n"
        "import graph.build\n"
        "from extract.pipeline import load_pipeline\n"
        "pipeline = load_pipeline(None)\n"  # as the CLI's: 'blank' would import spacy here
        "assert 'numpy' not in sys.modules\n"
        "sys.modules['graph.build']._load_for_the_team(pipeline)\n"
        "assert 'numpy' in sys.modules\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split()[-1] == expected


def test_a_rebuild_with_nothing_new_kills_the_child_that_loads_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = stored_then_new(tmp_path, 2)
    run([folder], tmp_path / "out")
    children: list[int] = []
    real = BUILD._extraction_team

    def spied(*args: Any) -> Any:
        team = real(*args)
        children.append(team.child.pid)
        return team

    monkeypatch.setattr(BUILD, "_extraction_team", spied)
    again = run([folder], tmp_path / "out")
    assert (again.extracted, again.reused, again.up_to_date) == (0, 3, True)
    assert len(children) == 1
    with pytest.raises(ProcessLookupError):  # killed and reaped: not even a zombie is left
        os.kill(children[0], 0)


def test_same_document_under_two_names_counts_once(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    run([folder], out)
    write(folder, {"aaa_copy": TEXTS["who_geneva"], "zzz_copy": TEXTS["who_geneva"]})
    result = run([folder], out)
    # the smallest id is kept, whatever the order read; its record comes from the store renamed
    assert result.duplicates == {"who_geneva": "aaa_copy", "zzz_copy": "aaa_copy"}
    assert (result.extracted, result.reused) == (0, 3)
    assert sorted(r.doc_id for r in result.records) == ["aaa_copy", "brics_kazan", "sco_talks"]
    kept = next(r for r in result.records if r.doc_id == "aaa_copy")
    assert kept.extra["duplicates"] == ["who_geneva", "zzz_copy"]
    assert result.graph.nodes["organization:world-health-organization"]["sources"] == ["aaa_copy"]
    assert "2 counted once" in result.summary()
    fresh = run([folder], tmp_path / "fresh", store=False)
    assert fresh.duplicates == result.duplicates
    assert_same_graph(result.graph, fresh.graph)
    rows = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3


def test_renamed_file_is_reused_under_its_new_name(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    run([folder], out)
    (folder / "who_geneva.txt").rename(folder / "geneva_talks.txt")
    result = run([folder], out)
    assert (result.extracted, result.reused) == (0, 3)
    assert_same_graph(result.graph, run([folder], tmp_path / "fresh", store=False).graph)
    with Store(out / STORE_NAME) as store:
        assert sorted(store.doc_ids()) == ["brics_kazan", "geneva_talks", "sco_talks"]


def test_a_gazetteer_change_re_extracts_only_the_documents_naming_it(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    run([folder], out)
    gazetteer = tmp_path / "extra.jsonl"
    entry = {"label": "ORG", "pattern": "Saudi envoys", "id": "organization:saudi-envoys"}
    steps = [[entry], [{**entry, "country": "SAU"}], None]  # added, changed, removed
    for entries in steps:
        if entries is not None:
            gazetteer.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        files = [gazetteer] if entries is not None else []
        result = run([folder], out, gazetteers=files)
        assert (result.extracted, result.reused) == (1, 2), entries  # who_geneva alone names it
        assert [r.doc_id for r in result.records if r.doc_id == "who_geneva"]
        assert ("organization:saudi-envoys" in result.graph) == (entries is not None)
        fresh = run([folder], tmp_path / f"fresh{steps.index(entries)}", gazetteers=files, store=False)
        assert_same_graph(result.graph, fresh.graph)
        assert result.records == fresh.records  # the carried records name the new version too
        assert run([folder], out, gazetteers=files).reused == 3
    with Store(out / STORE_NAME) as store:
        assert len(store) == 3
    with sqlite3.connect(out / STORE_NAME) as db:  # the gazetteers of the replaced records are forgotten
        kept = {v for (v,) in db.execute("SELECT pipeline FROM versions")}
        used = {v for (v,) in db.execute("SELECT DISTINCT pipeline FROM records")}
    assert kept == used and len(kept) == 1


def test_a_short_entry_is_looked_for_in_whole_tokens(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    run([folder], out)
    gazetteer = tmp_path / "extra.jsonl"  # "env" is inside "envoys", but no token is ENV
    gazetteer.write_text('{"label": "ORG", "pattern": "ENV", "id": "organization:env"}\n', encoding="utf-8")
    assert (run([folder], out, gazetteers=[gazetteer]).extracted) == 0
    with sqlite3.connect(out / STORE_NAME) as db:  # every record carried over: the old gazetteer goes
        kept = {v for (v,) in db.execute("SELECT pipeline FROM versions")}
        used = {v for (v,) in db.execute("SELECT DISTINCT pipeline FROM records")}
    assert kept == used and len(kept) == 1


def test_a_code_digest_can_leave_data_files_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """How the shipped gazetteers stay out of the extractor's code digest (their state is in it)."""
    package = tmp_path / "digest_probe"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("X = 1\n", encoding="utf-8")
    (package / "data" / "names.jsonl").write_text("{}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    whole, without = code_digest("digest_probe"), code_digest("digest_probe", ("data/names.jsonl",))
    (package / "data" / "names.jsonl").write_text('{"label": "ORG"}\n', encoding="utf-8")
    code_digest.cache_clear()  # the digest is of the files as first read: read them again
    assert code_digest("digest_probe", ("data/names.jsonl",)) == without
    assert code_digest("digest_probe") != whole
    (package / "__init__.py").write_text("X = 2\n", encoding="utf-8")
    code_digest.cache_clear()
    assert code_digest("digest_probe", ("data/names.jsonl",)) != without


def test_reordered_gazetteer_entries_re_extract_everything(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    gazetteer = tmp_path / "extra.jsonl"
    entries = [
        '{"label": "ORG", "pattern": "Saudi envoys", "id": "organization:saudi-envoys"}\n',
        '{"label": "ORG", "pattern": "Iranian diplomats", "id": "organization:iranian-diplomats"}\n',
    ]
    gazetteer.write_text("".join(entries), encoding="utf-8")
    run([folder], out, gazetteers=[gazetteer])
    gazetteer.write_text("".join(reversed(entries)), encoding="utf-8")  # the rulers' preferences change
    assert run([folder], out, gazetteers=[gazetteer]).extracted == 3


@pytest.mark.model
def test_gazetteer_changes_rebuild_what_a_fresh_build_writes(tmp_path: Path) -> None:
    """With the statistical model: the carried records and the outputs are those of a build
    without a store, byte for byte, as an entry is added, changed and removed."""
    out = tmp_path / "out"
    gazetteer = tmp_path / "extra.jsonl"
    union = {"label": "ORG", "pattern": "African Union Commission", "id": "organization:au-commission"}
    build([sample_corpus()], out=out, progress=False, html=False)
    for i, entries in enumerate([[union], [{**union, "country": "ETH", "name": "AU Commission"}], None]):
        if entries is not None:
            gazetteer.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        files = [gazetteer] if entries is not None else []
        result = build([sample_corpus()], out=out, gazetteers=files, progress=False, html=False)
        assert 0 < result.extracted < result.reused
        fresh = tmp_path / f"fresh{i}"
        build([sample_corpus()], out=fresh, gazetteers=files, progress=False, html=False, store=False)
        for name in ("graph.json", "extractions.jsonl", "edges.csv"):
            assert (out / name).read_bytes() == (fresh / name).read_bytes(), (entries, name)


def test_store_path_and_no_store(tmp_path: Path) -> None:
    folder = write(tmp_path / "in", TEXTS)
    elsewhere = tmp_path / "cache" / "records.sqlite"
    result = run([folder], tmp_path / "out", store=elsewhere)
    assert result.store == elsewhere and elsewhere.is_file()
    assert not (tmp_path / "out" / STORE_NAME).exists()
    none = run([folder], tmp_path / "out2", store=False)
    assert none.store is None and not (tmp_path / "out2" / STORE_NAME).exists()
    assert "from the store" not in none.summary()


def test_ctrl_c_keeps_what_was_extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {f"doc{i:02d}": f"Iran met China for the {i}th time.\n" for i in range(10)}
    folder = write(tmp_path / "in", texts)
    real = document.record_from_doc
    calls = []

    def interrupted(doc, article, pipeline):  # type: ignore[no-untyped-def]
        calls.append(article.id)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run([folder], tmp_path / "out", batch_size=3)
    assert not (tmp_path / "out" / "graph.json").exists()
    with Store(tmp_path / "out" / STORE_NAME) as store:
        assert sorted(store.doc_ids()) == ["doc00", "doc01", "doc02", "doc03"]  # 3 committed + 1 flushed
    monkeypatch.setattr(document, "record_from_doc", real)
    again = run([folder], tmp_path / "out")
    assert (again.extracted, again.reused) == (6, 4)


SLOW_BUILD = """
import sys, time
import extract.document as document
real = document.record_from_doc
def slow(doc, article, pipeline):
    time.sleep(0.1)
    return real(doc, article, pipeline)
document.record_from_doc = slow
from graph.cli import main
sys.exit(main(["-q", "build", sys.argv[1], "--out", sys.argv[2], "--model", "blank", "--no-html"]))
"""


def stored_rows(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not created yet
        return 0


def test_killed_build_keeps_previous_outputs_and_resumes(tmp_path: Path) -> None:
    n = 120
    texts = {f"doc{i:03d}": f"Iran met China and Qatar for the {i}th time in Doha.\n" for i in range(n)}
    folder = write(tmp_path / "in", texts)
    out = tmp_path / "out"
    # a previous complete build (of a part, without a store) whose files must survive the kill
    part = write(tmp_path / "part", dict(list(texts.items())[:2]))
    run([part], out, store=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    store = out / STORE_NAME
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(folder), str(out)], cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while stored_rows(store) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, "the build ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    kept = stored_rows(store)
    assert 32 <= kept < n  # whole batches of 32 (the default batch_size)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name in before} == before
    resumed = run([folder], out)
    assert (resumed.extracted, resumed.reused) == (n - kept, kept)
    assert_same_graph(resumed.graph, run([folder], tmp_path / "fresh", store=False).graph)


# --- the cache of articles read ------------------------------------------------------------------


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path: Path, files_read: list[Path]) -> None:
    folder = write(tmp_path / "in", TEXTS)
    out = tmp_path / "out"
    first = run([folder], out)
    assert sorted(p.stem for p in files_read) == sorted(TEXTS)
    files_read.clear()
    again = run([folder], out, force=True)
    assert files_read == [] and again.records == first.records
    assert_same_graph(again.graph, first.graph)
    write(folder, {"sco_talks": TEXTS["sco_talks"].replace("Friday", "Monday")})
    third = run([folder], out)
    assert [p.stem for p in files_read] == ["sco_talks"] and (third.extracted, third.reused) == (1, 2)
    # another size limit is another reader: everything is read again
    files_read.clear()
    run([folder], out, max_bytes=10_000)
    assert sorted(p.stem for p in files_read) == sorted(TEXTS)
    # no store, no cache
    files_read.clear()
    run([folder], tmp_path / "other", store=False)
    assert sorted(p.stem for p in files_read) == sorted(TEXTS)


def test_cached_articles_keep_every_field(tmp_path: Path) -> None:
    import datetime as dt

    from graph.store import ReadCache

    article = Article(
        "d1", "BEIJING \u2014 Iran met China.\ud800", title="Talks", published=dt.date(2023, 2, 14),
        outlet="Wire", url="https://example.org/a", path="in/d1.html", line=None,
        furniture=((0, 7), (9, 12)), date_source="dateline", dateline="BEIJING",
    )
    cache = ReadCache("r")
    cache.put("in/d1.html", (10, 1, 2, 3), [article])
    with Store(tmp_path / STORE_NAME) as store:
        assert cache.save(store) == 1
        assert store.reads("r").get("in/d1.html", (10, 1, 2, 3)) == [article]


def test_the_team_child_freezes_the_model_it_loaded() -> None:
    code = (
        "import gc, sys\n"
        "import graph.build\n"
        "from extract.pipeline import load_pipeline\n"
        "pipeline = load_pipeline('blank')\n"
        "before = gc.get_freeze_count()\n"
        "sys.modules['graph.build']._load_for_the_team(pipeline)\n"
        "frozen = gc.get_freeze_count() - before\n"
        "print(frozen > 100_000, gc.isenabled(), pipeline.nlp.pipe_names != [])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-3:] == ["True", "True", "True"], done.stdout + done.stderr
