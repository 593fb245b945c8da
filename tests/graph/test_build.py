"""graph.build: assembling the graph from records, and the whole build into an output folder."""

from __future__ import annotations

import copy
import json
import os
import pickle
import sys
import time
from dataclasses import replace
from typing import Any
from pathlib import Path

import networkx as nx
import pytest

import extract.document as document
from extract.linking import link_records
from extract.records import DocumentRecord, Entity, Mention, Role, Sentence
from graph.build import MANIFEST_NAME, MAX_EVIDENCE, OUTPUT_NAMES, Build, assemble, build, write_extractions

OUTPUTS = {"extractions.jsonl", "graph.json", "graph.graphml", "graph.gexf", "graph.html",
           "nodes.csv", "edges.csv", "events.csv"}
STORE = "store.sqlite"  # the default store, beside the outputs (not one of result.outputs)
# where the next build finds the CSV rows, nodes and edges it can copy (graph._fragments)
INDEXES = {f".{name}.fragments" for name in OUTPUTS - {"graph.json"}}

# --- assemble() on hand-made records --------------------------------------------------------

S1 = "Chinese Foreign Minister Wang Yi met Ali Akbar Ahmadian in Beijing."
S2 = "Ahmadian is secretary of Iran's Supreme National Security Council."
S3 = "Wang Yi said China and Iran agreed."
SNSC = "organization:supreme-national-security-council"


def mention(sentence_text: str, offset: int, surface: str, kind: str, entity: str, sentence: int) -> Mention:
    start = offset + sentence_text.index(surface)
    return Mention(start, start + len(surface), surface, kind, entity, sentence)


@pytest.fixture
def records() -> list[DocumentRecord]:
    off2 = len(S1) + 1
    first = DocumentRecord(
        "d1",
        title="First",
        sentences=(Sentence(0, len(S1), S1), Sentence(off2, off2 + len(S2), S2)),
        mentions=(
            mention(S1, 0, "Chinese", "country", "country:CHN", 0),
            mention(S1, 0, "Wang Yi", "person", "person:wang-yi", 0),
            mention(S1, 0, "Ali Akbar Ahmadian", "person", "person:ali-akbar-ahmadian", 0),
            mention(S1, 0, "Beijing", "location", "location:beijing", 0),
            mention(S2, off2, "Ahmadian", "person", "person:ali-akbar-ahmadian", 1),
            mention(S2, off2, "Iran", "country", "country:IRN", 1),
            mention(S2, off2, "Supreme National Security Council", "organization", SNSC, 1),
        ),
        entities=(
            Entity("country:CHN", "country", "China", ("Chinese",), iso3="CHN"),
            Entity("country:IRN", "country", "Iran", ("Iran",), iso3="IRN"),
            Entity("location:beijing", "location", "Beijing", ("Beijing",)),
            Entity("person:ali-akbar-ahmadian", "person", "Ali Akbar Ahmadian",
                   ("Ahmadian", "Ali Akbar Ahmadian"), "IRN", ("Secretary",)),
            Entity("person:wang-yi", "person", "Wang Yi", ("Wang Yi",), "CHN", ("Foreign Minister",)),
            Entity(SNSC, "organization", "Supreme National Security Council",
                   ("Supreme National Security Council",)),
        ),
        roles=(
            Role("person:wang-yi", "Foreign Minister", None, "CHN", 0),
            Role("person:ali-akbar-ahmadian", "Secretary", SNSC, "IRN", 1),
        ),
    )
    second = DocumentRecord(
        "d2",
        sentences=(Sentence(0, len(S3), S3),),
        mentions=(
            mention(S3, 0, "Wang Yi", "person", "person:wang-yi", 0),
            mention(S3, 0, "China", "country", "country:CHN", 0),
            mention(S3, 0, "Iran", "country", "country:IRN", 0),
        ),
        entities=(
            Entity("country:CHN", "country", "China", ("China",), iso3="CHN"),
            Entity("country:IRN", "country", "Iran", ("Iran",), iso3="IRN"),
            Entity("person:wang-yi", "person", "Wang Yi", ("Wang Yi",)),
        ),
    )
    return [first, second]


def test_nodes_carry_the_contract_attributes(records: list[DocumentRecord]) -> None:
    G = assemble(records)
    assert sorted(G.nodes) == [
        "country:CHN", "country:IRN", "location:beijing",
        SNSC, "person:ali-akbar-ahmadian", "person:wang-yi",
    ]
    for node, data in G.nodes(data=True):
        assert data["kind"] == node.split(":", 1)[0]
        assert isinstance(data["label"], str) and data["label"]
        assert isinstance(data["aliases"], list) and data["label"] in data["aliases"]
        assert isinstance(data["sources"], list) and data["sources"] == sorted(data["sources"])


def test_person_nodes(records: list[DocumentRecord]) -> None:
    G = assemble(records)
    wang = G.nodes["person:wang-yi"]
    assert (wang["label"], wang["country"], wang["titles"]) == ("Wang Yi", "CHN", ["Foreign Minister"])
    assert wang["sources"] == ["d1", "d2"]
    assert wang["mentions"] == 2
    ahmadian = G.nodes["person:ali-akbar-ahmadian"]
    assert ahmadian["aliases"] == ["Ahmadian", "Ali Akbar Ahmadian"]
    assert (ahmadian["country"], ahmadian["titles"], ahmadian["sources"]) == ("IRN", ["Secretary"], ["d1"])


def test_country_nodes(records: list[DocumentRecord]) -> None:
    G = assemble(records)
    china = G.nodes["country:CHN"]
    assert (china["kind"], china["label"], china["iso3"]) == ("country", "China", "CHN")
    assert china["aliases"] == ["China", "Chinese"]
    assert china["sources"] == ["d1", "d2"]
    assert "country" not in china and "titles" not in china
    assert "iso3" not in G.nodes["location:beijing"]


def test_co_mentioned_edges_count_sentences(records: list[DocumentRecord]) -> None:
    G = assemble(records)
    co = {(u, v): d for u, v, d in G.edges(data=True) if d["relation"] == "co_mentioned"}
    # Wang Yi and China share a sentence in each document
    both = co[("country:CHN", "person:wang-yi")]
    assert (both["count"], both["weight"], both["sources"]) == (2, 2, ["d1", "d2"])
    assert [e["sentence"] for e in both["evidence"]] == [S1, S3]
    assert co[("country:CHN", "country:IRN")]["count"] == 1
    # different sentences of one document are no co-mention
    assert ("location:beijing", SNSC) not in co
    for (u, v), data in co.items():
        assert u < v
        assert G.has_edge(u, v, key="co_mentioned")
        assert set(data) >= {"relation", "sources", "evidence", "count"}


def test_role_and_acts_for_edges(records: list[DocumentRecord]) -> None:
    G = assemble(records)
    role = G.edges["person:ali-akbar-ahmadian", SNSC, "role"]
    assert (role["relation"], role["title"], role["sources"]) == ("role", "Secretary", ["d1"])
    assert role["evidence"] == [{"doc": "d1", "sentence": S2, "start": len(S1) + 1, "end": len(S1) + 1 + len(S2)}]
    acts = G.edges["person:wang-yi", "country:CHN", "acts_for"]
    assert (acts["relation"], acts["sources"], acts["weight"]) == ("acts_for", ["d1"], 1)
    assert G.has_edge("person:ali-akbar-ahmadian", "country:IRN", key="acts_for")
    # no title, no organization: no role edge
    assert not any(k == "role" for _, _, k in G.out_edges("person:wang-yi", keys=True))


def test_every_edge_has_relation_and_sources(records: list[DocumentRecord]) -> None:
    G = assemble(records)
    assert G.number_of_edges() > 0
    for _, _, data in G.edges(data=True):
        assert isinstance(data["relation"], str) and data["relation"]
        assert data["sources"] and data["sources"] == sorted(data["sources"])


@pytest.mark.parametrize("linked", [False, True], ids=["unlinked", "linked"])
def test_input_records_are_not_mutated(records: list[DocumentRecord], linked: bool) -> None:
    before = copy.deepcopy([rec.to_json() for rec in records])
    if linked:
        linked_records, entities = link_records(records)
        snapshot = copy.deepcopy([rec.to_json() for rec in linked_records])
        assemble(linked_records, entities)
        assert [rec.to_json() for rec in linked_records] == snapshot
    else:
        assemble(records)
    assert [rec.to_json() for rec in records] == before


def test_assemble_links_variants_across_documents() -> None:
    docs = []
    for doc_id, surface in [("a", "Ali Akbar Ahmadian"), ("b", "Ahmadian")]:
        pid = f"person:{surface.lower().replace(' ', '-')}"
        docs.append(DocumentRecord(
            doc_id,
            mentions=(Mention(0, len(surface), surface, "person", pid, 0),),
            entities=(Entity(pid, "person", surface, (surface,)),),
        ))
    G = assemble(docs)
    assert list(G.nodes) == ["person:ali-akbar-ahmadian"]
    assert G.nodes["person:ali-akbar-ahmadian"]["sources"] == ["a", "b"]


def test_evidence_is_capped_but_the_count_is_not() -> None:
    n = MAX_EVIDENCE + 3
    sentences = tuple(Sentence(i * 12, i * 12 + 11, f"Iran China{i}") for i in range(n))
    mentions = tuple(
        m
        for i in range(n)
        for m in (
            Mention(i * 12, i * 12 + 4, "Iran", "country", "country:IRN", i),
            Mention(i * 12 + 5, i * 12 + 10, "China", "country", "country:CHN", i),
        )
    )
    G = assemble([DocumentRecord("d", sentences=sentences, mentions=mentions)])
    data = G.edges["country:CHN", "country:IRN", "co_mentioned"]
    assert data["count"] == n
    assert len(data["evidence"]) == MAX_EVIDENCE


def test_assemble_of_nothing_is_empty() -> None:
    G = assemble([])
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == 0


def test_write_extractions(records: list[DocumentRecord], tmp_path: Path) -> None:
    path = write_extractions(records, tmp_path / "x.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [DocumentRecord.from_json(json.loads(line)) for line in lines] == records


def test_write_extractions_copies_the_lines_of_known_records(records: list[DocumentRecord], tmp_path: Path) -> None:
    from graph._fragments import fingerprint

    path, fresh = tmp_path / "x.jsonl", tmp_path / "fresh.jsonl"
    fps = [fingerprint(rec.doc_id) for rec in records]
    write_extractions(records, path, fingerprints=fps)
    changed = replace(records[0], title="Another title")
    # the same fingerprint for another record: the line copied is the fingerprint's
    write_extractions([changed, *records[1:]], path, fingerprints=fps)
    assert path.read_bytes() == write_extractions(records, fresh).read_bytes()
    # no fingerprint: made anew
    write_extractions([changed, *records[1:]], path, fingerprints=[None, *fps[1:]])
    assert path.read_bytes() == write_extractions([changed, *records[1:]], fresh).read_bytes()
    with pytest.raises(ValueError, match="1 fingerprints for"):
        write_extractions(records, path, fingerprints=fps[:1])


def test_write_extractions_with_a_lone_surrogate_escapes_every_line(
    records: list[DocumentRecord], tmp_path: Path
) -> None:
    from graph._fragments import fingerprint

    path = tmp_path / "x.jsonl"
    fps = [fingerprint(rec.doc_id) for rec in records]
    write_extractions(records, path, fingerprints=fps)
    odd = [*records, replace(records[0], doc_id="odd", title="half \ud800")]
    write_extractions(odd, path, fingerprints=[*fps, fingerprint("odd")])
    text = path.read_text(encoding="ascii")  # every line by the json module, \u escapes
    assert [json.loads(line)["doc_id"] for line in text.splitlines()] == [r.doc_id for r in odd]


# --- build() on a folder of articles --------------------------------------------------------

ARTICLES = {
    "brics_kazan.txt": (
        "KAZAN (Wire) \u2014 Iran\u2019s delegation joined the BRICS summit in Kazan on Tuesday. "
        "China said the Belt and Road Initiative was open to all.\n"
    ),
    "who_geneva.txt": (
        "GENEVA \u2013 The WHO and the United Nations met Qatari and Saudi envoys.\r\n"
        "\u201cIran is welcome,\u201d the UN said.\n"
    ),
    "sco_talks.txt": (
        "Chinese and Iranian diplomats met at the Shanghai Cooperation Organisation on Friday. "
        "China\u2018s envoy praised the SCO.\n"
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder


@pytest.fixture
def built(corpus: Path, tmp_path: Path) -> tuple[Build, Path]:
    out = tmp_path / "out"
    return build([corpus], out=out, model="blank", progress=False), out


def test_build_writes_the_four_files(built: tuple[Build, Path]) -> None:
    result, out = built
    assert {p.name for p in out.iterdir()} == OUTPUTS | INDEXES | {STORE, MANIFEST_NAME}
    assert {p.name for p in result.outputs.values()} == OUTPUTS == set(OUTPUT_NAMES)
    assert result.store == out / STORE
    assert all(p.parent == out and p.stat().st_size > 0 for p in result.outputs.values())
    assert result.report.read == 3
    assert result.failed == []
    assert result.model == "blank"


def test_graph_json_is_node_link_data_with_edges(built: tuple[Build, Path]) -> None:
    result, out = built
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert "edges" in data and "links" not in data
    G = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    assert set(G.nodes) == set(result.graph.nodes)
    assert G.number_of_edges() == result.graph.number_of_edges()
    assert {"country:IRN", "country:CHN", "country:QAT", "organization:brics",
            "organization:world-health-organization", "organization:united-nations",
            "organization:shanghai-cooperation-organization",
            "initiative:belt-and-road-initiative"} <= set(G.nodes)
    for node in data["nodes"]:
        assert {"id", "kind", "label", "aliases", "sources"} <= set(node)
        assert isinstance(node["aliases"], list) and isinstance(node["sources"], list)
    assert G.nodes["country:IRN"]["sources"] == ["brics_kazan", "sco_talks", "who_geneva"]
    assert G.nodes["country:IRN"]["iso3"] == "IRN"
    for edge in data["edges"]:
        assert edge["relation"] and edge["sources"]


def test_graph_graphml_reads_back(built: tuple[Build, Path]) -> None:
    result, out = built
    G = nx.read_graphml(out / "graph.graphml")
    assert set(G.nodes) == set(result.graph.nodes)


def test_extractions_have_one_line_per_document_with_true_offsets(
    built: tuple[Build, Path], corpus: Path
) -> None:
    _, out = built
    lines = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert sorted(row["doc_id"] for row in rows) == sorted(Path(n).stem for n in ARTICLES)
    for row in rows:
        # the decoded content, newlines normalized as Python's text mode (and sources) do
        text = (corpus / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
        assert row["mentions"], row["doc_id"]
        for m in row["mentions"]:
            assert {"start", "end", "text", "kind", "entity"} <= set(m)
            assert text[m["start"] : m["end"]] == m["text"]
            assert m["kind"] in {"person", "country", "organization", "initiative", "location", "topic", "event"}


def test_extraction_entities_are_graph_nodes(built: tuple[Build, Path]) -> None:
    result, out = built
    rows = [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {m["entity"] for row in rows for m in row["mentions"]} <= set(result.graph.nodes)


def test_build_without_out_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    result = build([corpus], model="blank", progress=False, html=False)
    assert result.outputs == {}
    assert result.graph.number_of_nodes() > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles"]


def test_build_without_html(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out=out, model="blank", progress=False, html=False)
    assert {p.name for p in out.iterdir()} == (OUTPUTS - {"graph.html"}) | (INDEXES - {".graph.html.fragments"}) | {
        STORE, MANIFEST_NAME}


def test_a_build_without_html_removes_the_page_an_earlier_build_wrote(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    build([corpus], out=out, model="blank", progress=False)
    assert (out / "graph.html").is_file() and (out / ".graph.html.fragments").is_file()
    with caplog.at_level("INFO", logger="diplograph.graph"):
        result = build([corpus], out=out, model="blank", progress=False, html=False)
    assert not (out / "graph.html").exists() and not (out / ".graph.html.fragments").exists()
    assert "html" not in result.outputs and all(path.is_file() for path in result.outputs.values())
    assert any("removed" in r.getMessage() and "graph.html" in r.getMessage() for r in caplog.records)
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert "graph.html" not in {entry[0] for entry in manifest["files"].values()}


def test_a_build_without_html_leaves_a_page_it_did_not_write(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").write_text("<p>the user's own page</p>", encoding="utf-8")
    with caplog.at_level("WARNING", logger="diplograph.graph"):
        build([corpus], out=out, model="blank", progress=False, html=False)
    assert (out / "graph.html").read_text(encoding="utf-8") == "<p>the user's own page</p>"
    assert any("graph.html was not written by this build" in r.getMessage() for r in caplog.records)


def test_a_rebuild_removes_temp_files_a_killed_build_left(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / ".graph.html.0123456789ab.tmp"  # what SIGKILL during write_html leaves behind
    index = out / "..edges.csv.fragments.0123456789ab.tmp"  # ... and while writing an index
    fresh = out / ".graph.json.ba9876543210.tmp"  # a concurrent writer's, still in use
    theirs = out / ".notes.txt.0123456789ab.tmp"  # not one of our outputs
    for path in (old, index, fresh, theirs):
        path.write_text("half a file", encoding="utf-8")
    for path in (old, index, theirs):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    build([corpus], out=out, model="blank", progress=False)
    assert not old.exists() and not index.exists()
    assert fresh.exists() and theirs.exists()
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == OUTPUTS | {STORE}


def test_a_rebuild_copies_unchanged_parts_and_writes_what_a_first_build_writes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import graph.export

    out, fresh, log = tmp_path / "out", tmp_path / "fresh", tmp_path / "reused.txt"
    build([corpus], out=out, model="blank", progress=False, html=False)
    write_parts = graph.export._write_parts

    def noted(parts: Any, reuse: bool) -> Path:  # the writers run in a forked child: noted in a file
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{parts.path.name} {parts.reused} {parts.indexed}\n")
        return write_parts(parts, reuse)

    monkeypatch.setattr(graph.export, "_write_parts", noted)
    (corpus / "extra.txt").write_text("Qatari envoys met Iranian officials in Doha.\n", encoding="utf-8")
    with caplog.at_level("DEBUG", logger="diplograph.graph"):
        again = build([corpus], out=out, model="blank", progress=False, html=False)
    reused = {name: (int(a), int(b)) for name, a, b in (line.split() for line in log.read_text().splitlines())}
    assert reused.keys() == {"nodes.csv", "edges.csv", "events.csv", "graph.graphml", "graph.gexf"}
    lines = [m for m in caplog.messages if m.startswith("extractions.jsonl:")]  # written by this process
    assert lines == [f"extractions.jsonl: {len(again.records) - 1} of {len(again.records)} lines reused"]
    assert reused["events.csv"] == (0, 0)  # the blank pipeline finds no contact here
    for name, (copied, parts) in reused.items():
        assert 0 < copied < parts or name == "events.csv", name  # some parts copied, the new document's made
    build([corpus], out=fresh, model="blank", progress=False, html=False, store=False)
    for name in [*reused, "extractions.jsonl"]:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_build_says_when_it_links_and_when_it_writes(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    with caplog.at_level("INFO", logger="diplograph.graph"):
        first = build([corpus], out=out, model="blank", progress=False)
    n = len(first.records)
    steps = [m for m in caplog.messages if m.startswith(("linking", "writing"))]
    G = first.graph
    assert steps == [
        f"linking the names of {n} documents and assembling the graph",
        f"writing the outputs of {G.number_of_nodes():,} nodes and {G.number_of_edges():,} edges into {out}",
    ]
    caplog.clear()
    with caplog.at_level("INFO", logger="diplograph.graph"):
        assert build([corpus], out=out, model="blank", progress=False).up_to_date
    assert [m for m in caplog.messages if m.startswith(("linking", "writing"))] == []  # neither needed


def _graph_items(G: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    return sorted(G.nodes(data=True)), sorted(G.edges(keys=True, data=True))


@pytest.mark.parametrize("inputs", ["three files", "with a duplicate and a JSONL file"])
def test_a_rebuild_with_nothing_new_reads_no_record_until_its_graph_is_used(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inputs: str
) -> None:
    from graph.store import Store

    if inputs != "three files":
        (corpus / "copy.txt").write_text(ARTICLES["sco_talks.txt"], encoding="utf-8", newline="")
        rows = [{"id": "wire-1", "text": "Iran and Oman met in Muscat."},
                {"id": "wire-2", "text": ARTICLES["sco_talks.txt"]}]
        (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    first = build([corpus], out=out, model="blank", progress=False)
    assert first.duplicates if inputs != "three files" else not first.duplicates
    build_module = sys.modules["graph.build"]
    reads: list[int] = []
    get, link = Store.get, build_module.link_records
    monkeypatch.setattr(Store, "get", lambda self, *a, **k: reads.append(1) or get(self, *a, **k))
    monkeypatch.setattr(build_module, "link_records", lambda *a, **k: reads.append(2) or link(*a, **k))
    again = build([corpus], out=out, model="blank", progress=False)
    assert again.up_to_date and again.outputs == first.outputs and reads == []
    summary, before = again.summary(), first.summary().splitlines()
    lines = summary.splitlines()
    assert (lines[0], lines[2]) == (before[0], before[2])  # the graph's size, from the manifest
    assert lines[1].startswith(f"extracted 0 documents with blank, reused {len(first.records)} from the store")
    assert lines[3].startswith("outputs up to date") and reads == []
    assert (again.reused, again.extracted, again.duplicates) == (len(first.records), 0, first.duplicates)
    assert _graph_items(again.graph) == _graph_items(first.graph) and reads == [1, 2]
    assert again.records == first.records and reads == [1, 2]  # loaded once, with the graph
    assert again.summary() == summary  # now from the graph itself
    later = build([corpus], out=out, model="blank", progress=False)
    copied = pickle.loads(pickle.dumps(later))  # loads the graph first: a loader is no value
    assert _graph_items(copied.graph) == _graph_items(first.graph) and copied.records == first.records


def test_a_deferred_graph_whose_records_were_replaced_since_is_refused(built: tuple[Build, Path], corpus: Path) -> None:
    import sqlite3

    from graph.store import StoreError

    _, out = built
    again = build([corpus], out=out, model="blank", progress=False)
    assert again.up_to_date
    with sqlite3.connect(out / STORE) as db:  # what a build with other gazetteers does to a record
        db.execute("UPDATE records SET pipeline = 'another' WHERE doc_id = 'sco_talks'")
    db.close()
    with pytest.raises(StoreError, match="records of 1 documents .* sco_talks among them"):
        again.graph  # noqa: B018


def test_a_manifest_without_the_graph_size_is_not_trusted(built: tuple[Build, Path], corpus: Path) -> None:
    _, out = built
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    del manifest["graph"]  # as a build before the size was kept left it
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    again = build([corpus], out=out, model="blank", progress=False)
    assert not again.up_to_date
    assert "graph" in json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert build([corpus], out=out, model="blank", progress=False).up_to_date


def test_build_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        build([corpus], out=out, model="blank", progress=False, html=False)
        outs.append(out)
    for file in ("graph.json", "extractions.jsonl"):
        assert (outs[0] / file).read_bytes() == (outs[1] / file).read_bytes()


def _states(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in out.iterdir() if p.name in OUTPUTS}


def test_a_rebuild_of_the_same_documents_rewrites_nothing(built: tuple[Build, Path], corpus: Path) -> None:
    first, out = built
    assert not first.up_to_date
    before = _states(out)
    again = build([corpus], out=out, model="blank", progress=False)
    assert again.up_to_date and "outputs up to date" in again.summary()
    assert again.outputs == first.outputs
    assert _states(out) == before
    assert nx.utils.graphs_equal(again.graph, first.graph)
    forced = build([corpus], out=out, model="blank", progress=False, force=True)
    assert not forced.up_to_date
    assert all(_states(out)[name][1] > before[name][1] for name in before)


@pytest.mark.parametrize("change", ["new document", "changed document", "renamed document", "no page"])
def test_a_rebuild_with_other_input_rewrites_the_outputs(
    built: tuple[Build, Path], corpus: Path, change: str
) -> None:
    _, out = built
    html = True
    if change == "new document":
        (corpus / "new.txt").write_text("Iran and Oman met in Muscat.\n", encoding="utf-8")
    elif change == "changed document":
        (corpus / "sco_talks.txt").write_text("Chinese and Iranian diplomats met again.\n", encoding="utf-8")
    elif change == "renamed document":
        (corpus / "sco_talks.txt").rename(corpus / "sco_meeting.txt")
    else:
        html = False
    again = build([corpus], out=out, model="blank", progress=False, html=html)
    assert not again.up_to_date
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    sources = {doc for node in graph["nodes"] for doc in node["sources"]}
    assert sources == {r.doc_id for r in again.records}
    # and the rebuild after it, with nothing new, is up to date again
    assert build([corpus], out=out, model="blank", progress=False, html=html).up_to_date


@pytest.mark.parametrize(
    "damage", ["removed", "replaced", "edited in place", "manifest removed", "manifest garbled"]
)
def test_outputs_changed_since_the_last_build_are_written_again(
    built: tuple[Build, Path], corpus: Path, damage: str
) -> None:
    _, out = built
    if damage == "edited in place":  # same size, its modification time set back: only its change time tells
        path = out / "graph.json"
        st = path.stat()
        with path.open("r+b") as f:
            f.write(b" ")  # over the "{" a build writes first: the file no longer parses as an object
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
        assert path.read_bytes()[:1] == b" "
    elif damage == "removed":
        (out / "graph.gexf").unlink()
    elif damage == "replaced":  # what a build killed while writing leaves: some files renamed in
        (out / "graph.json").write_text('{"nodes": [], "edges": []}\n', encoding="utf-8")
    elif damage == "manifest removed":
        (out / MANIFEST_NAME).unlink()
    else:
        (out / MANIFEST_NAME).write_text('{"fingerprint": ["not", "a", "digest"', encoding="utf-8")
    again = build([corpus], out=out, model="blank", progress=False)
    assert not again.up_to_date
    assert {p.name for p in out.iterdir()} == OUTPUTS | INDEXES | {STORE, MANIFEST_NAME}
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert len(graph["nodes"]) == again.graph.number_of_nodes() > 0


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "previous"
    out.mkdir()
    for name in OUTPUTS:
        (out / name).write_text(f"old {name}\n", encoding="utf-8")
    return out


def test_nothing_readable_writes_nothing_and_keeps_a_previous_build(tmp_path: Path, previous: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("", encoding="utf-8")
    (empty / "image.png").write_bytes(b"\x89PNG\r\n")
    result = build([empty, tmp_path / "missing.txt"], out=previous, model="blank", progress=False)
    assert result.records == []
    assert result.outputs == {}
    assert result.report.read == 0
    assert len(result.report.skipped) == 2
    assert {p.name: p.read_text(encoding="utf-8") for p in previous.iterdir()} == {
        name: f"old {name}\n" for name in OUTPUTS
    }


def test_new_folder_is_not_created_when_nothing_is_read(tmp_path: Path) -> None:
    out = tmp_path / "never"
    build([tmp_path / "missing.txt"], out=out, model="blank", progress=False)
    assert not out.exists()


def test_every_extraction_failing_keeps_a_previous_build(
    corpus: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(doc, article, pipeline):  # type: ignore[no-untyped-def]
        raise ValueError(f"cannot handle {article.id}")

    monkeypatch.setattr(document, "record_from_doc", broken)
    result = build([corpus], out=previous, model="blank", progress=False)
    assert sorted(e.doc_id for e in result.failed) == ["brics_kazan", "sco_talks", "who_geneva"]
    assert result.records == [] and result.outputs == {}
    assert (previous / "graph.json").read_text(encoding="utf-8") == "old graph.json\n"


def test_one_failing_document_does_not_stop_the_build(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = document.record_from_doc

    def flaky(doc, article, pipeline):  # type: ignore[no-untyped-def]
        if article.id == "who_geneva":
            raise ValueError("boom")
        return real(doc, article, pipeline)

    monkeypatch.setattr(document, "record_from_doc", flaky)
    out = tmp_path / "out"
    result = build([corpus], out=out, model="blank", progress=False, html=False)
    assert [e.doc_id for e in result.failed] == ["who_geneva"]
    assert sorted(r.doc_id for r in result.records) == ["brics_kazan", "sco_talks"]
    rows = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2
    assert "1 failed" in result.summary()


def test_summary_names_counts(built: tuple[Build, Path]) -> None:
    result, _ = built
    lines = result.summary().splitlines()
    assert lines[0] == "read 3 articles, skipped 0"
    assert lines[1] == "extracted 3 documents with blank, reused 0 from the store"
    assert lines[2].startswith(f"graph: {result.graph.number_of_nodes()} nodes (")


def test_outputs_written_in_two_processes_equal_those_of_one(built: tuple[Build, Path], tmp_path: Path) -> None:
    from graph.build import write_outputs

    result, _ = built
    one = write_outputs(result, tmp_path / "one", processes=1)
    two = write_outputs(result, tmp_path / "two", processes=2)
    assert [p.name for p in one.values()] == [p.name for p in two.values()]
    assert {p.name for p in two.values()} == OUTPUTS
    for a, b in zip(one.values(), two.values()):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_writer_failing_in_the_child_fails_the_build_and_keeps_the_old_file(
    built: tuple[Build, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.export
    from graph.build import write_outputs

    result, out = built
    before = (out / "graph.gexf").read_bytes()

    def broken(*args: Any, **kwargs: Any) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph.export, "gexf_parts", broken)  # the child is forked with it
    with pytest.raises(ChildProcessError, match="No space left on device"):
        write_outputs(result, out, processes=2)
    assert (out / "graph.gexf").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # the others were written whole


def test_write_outputs_refuses_other_process_counts(built: tuple[Build, Path]) -> None:
    from graph.build import write_outputs

    result, out = built
    with pytest.raises(ValueError, match="processes must be 1 or 2, got 3"):
        write_outputs(result, out, processes=3)


def test_collector_is_paused_for_assembly_and_outputs_and_restored(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc
    import sys

    module = sys.modules["graph.build"]
    seen: dict[str, bool] = {}
    real_assemble, real_write = module.assemble, module.write_outputs

    def assemble_watched(*args: object, **kwargs: object) -> nx.MultiDiGraph:
        seen["assemble"] = gc.isenabled()
        return real_assemble(*args, **kwargs)  # type: ignore[arg-type]

    def write_watched(*args: object, **kwargs: object) -> dict[str, Path]:
        seen["write"] = gc.isenabled()
        return real_write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "assemble", assemble_watched)
    monkeypatch.setattr(module, "write_outputs", write_watched)
    assert gc.isenabled()
    build([corpus], out=tmp_path / "out", model="blank", progress=False)
    assert seen == {"assemble": False, "write": False}
    assert gc.isenabled()  # as it was before the build


def test_collector_paused_restores_the_state_it_found() -> None:
    import gc

    from graph._gc import collector_paused

    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failing step")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()


def test_what_is_made_while_the_collector_is_paused_is_not_traversed_young_and_is_still_collected() -> None:
    """The block's objects join the oldest generation: the young generation's next collection,
    when it is turned back on, need not traverse them all (it took 0.3-0.45 s after reading
    10,000 stored records). A cycle made in the block is still freed by a full collection."""
    import gc
    import weakref

    from graph._gc import collector_paused

    class Node:
        pass

    with collector_paused():
        made = [[i] for i in range(200_000)]
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        gone = weakref.ref(a)
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made[0]) in oldest and id(made[-1]) in oldest
    del a, b
    gc.collect()
    assert gone() is None


def test_writing_the_outputs_imports_no_pandas(corpus: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from graph.build import build\n"
        f"build([{str(corpus)!r}], out={str(tmp_path / 'out')!r}, model='blank', progress=False)\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-1] == "False", done.stderr


@pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="forks on Linux only")
def test_a_first_build_reads_in_a_child_while_the_model_loads(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from extract.pipeline import load_pipeline
    from graph.build import _read_while_loading

    pipeline = load_pipeline("blank")

    def read() -> tuple[int, int]:
        logging.getLogger("diplograph.sources").warning("%s: %s", "a.txt", "empty")
        try:
            raise ValueError("unreadable")
        except ValueError:
            logging.getLogger("diplograph.sources").exception("b.txt")
        return os.getpid(), os.getppid()

    with caplog.at_level("INFO"):
        pid, parent = _read_while_loading(read, pipeline)
    assert parent == os.getpid() != pid  # read in a child of this process...
    assert pipeline.loaded  # ...while this one loaded the model
    said = [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.name == "diplograph.sources"]
    assert said == [("diplograph.sources", "WARNING", "a.txt: empty"), ("diplograph.sources", "ERROR", "b.txt")]
    assert "ValueError: unreadable" in caplog.text  # the traceback, as the child formatted it


def test_when_the_reading_child_fails_the_build_reads_here() -> None:
    from extract.pipeline import load_pipeline
    from graph.build import _read_while_loading

    here = os.getpid()

    def read() -> int:
        if os.getpid() != here:
            raise TypeError("a path that is no collection")
        return 7

    assert _read_while_loading(read, load_pipeline("blank")) == 7

    def bad() -> int:
        raise TypeError("inputs must be a collection of paths")

    with pytest.raises(TypeError, match="collection"):  # what read() raises, not the child's report of it
        _read_while_loading(bad, load_pipeline("blank"))


@pytest.mark.model
def test_a_first_build_with_the_model_reports_the_files_it_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text("Iranian Foreign Minister Hossein Amir-Abdollahian met Wang Yi in Beijing.\n")
    (folder / "empty.txt").write_text("")
    with caplog.at_level("WARNING", logger="diplograph.sources"):
        result = build([folder], out=tmp_path / "out", progress=False, html=False)
    assert [Path(s.path).name for s in result.report.skipped] == ["empty.txt"]
    assert any("empty.txt" in m for m in caplog.messages)
    assert [r.doc_id for r in result.records] == ["talks"] and result.extracted == 1
    again = build([folder], out=tmp_path / "out", progress=False, html=False)  # the reads were kept
    assert again.reused == 1 and again.report.skipped == result.report.skipped
