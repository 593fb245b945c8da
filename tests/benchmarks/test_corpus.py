"""The benchmark corpus generator: its gold matches its text, and a seed fixes everything.

Correctness only; the benchmarks' timings are printed by ``benchmarks/``, never tested.
"""
from __future__ import annotations

import datetime as dt
import doctest
import json
import re
from pathlib import Path
from typing import Any

import pytest

import benchmarks.corpus as corpus_module
from benchmarks.corpus import Corpus, generate, write_corpus
from extract.dates import resolve_date
from sources.files import read_file

_WHEN = re.compile(
    r"\b(on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|on (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}"
    r"|yesterday)\b"
)


@pytest.fixture(scope="module", params=[False, True], ids=["full", "short"])
def corpus(request: pytest.FixtureRequest) -> Corpus:
    return generate(120, seed=7, short=request.param)


def test_doctests() -> None:
    result = doctest.testmod(corpus_module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("n", [1, 2, 57])
def test_size_and_ids(n: int) -> None:
    c = generate(n, seed=1)
    ids = [d.id for d in c.documents]
    assert len(ids) == n == len(set(ids))
    assert set(c.gold["documents"]) == set(ids)
    assert sorted(d for e in c.gold["events"] for d in e["docs"]) == sorted(ids)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10"])
def test_rejects_bad_sizes(bad: Any) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        generate(bad)


def test_same_seed_same_corpus_other_seed_other() -> None:
    a, b, c = generate(40, seed=5), generate(40, seed=5), generate(40, seed=6)
    assert a.documents == b.documents and a.gold == b.gold
    assert [d.text for d in a.documents] != [d.text for d in c.documents]


def test_some_contacts_have_several_reports() -> None:
    c = generate(200, seed=2)
    counts = [len(e["docs"]) for e in c.gold["events"]]
    assert max(counts) >= 2 and min(counts) == 1
    outlets = {d.id: d.outlet for d in c.documents}
    for e in c.gold["events"]:  # several outlets, never the same one twice
        assert len({outlets[d] for d in e["docs"]}) == len(e["docs"])


def _texts(c: Corpus) -> dict[str, str]:
    return {d.id: d.text for d in c.documents}


def test_every_gold_entity_is_written_in_its_documents(corpus: Corpus) -> None:
    texts = _texts(corpus)
    for ent in corpus.gold["entities"]:
        assert ent["docs"], ent
        for doc in ent["docs"]:
            assert any(alias in texts[doc] for alias in ent["aliases"]), (ent["name"], doc)


def test_every_event_is_written_with_its_people_place_and_date(corpus: Corpus) -> None:
    texts = _texts(corpus)
    people = {e["name"]: e for e in corpus.gold["entities"] if e["kinds"] == ["person"]}
    dates = {d.id: d.published for d in corpus.documents}
    for ev in corpus.gold["events"]:
        for doc in ev["docs"]:
            text = texts[doc]
            leads = [p for p in text.split("\n\n") if all(name in p for name in ev["participants"])]
            assert leads, (ev["id"], doc)  # one paragraph names every participant in full
            lead = leads[0]
            assert all(people[name]["country"] for name in ev["participants"])
            if ev.get("location"):
                assert ev["location"] in lead, (ev["id"], doc)
            when = _WHEN.search(lead)
            assert when is not None, lead
            resolved = resolve_date(when.group(1), dates[doc])
            assert resolved is not None and resolved.value == ev["date"], (doc, when.group(1))
            assert dates[doc] >= dt.date.fromisoformat(ev["date"])
            if ev.get("initiator"):
                assert "latter's request" in lead or lead.index("phoned") > lead.index(ev["initiator"])


def test_every_relation_is_stated_in_its_documents(corpus: Corpus) -> None:
    texts = _texts(corpus)
    names = {e["name"] for e in corpus.gold["entities"]}
    events = {e["id"] for e in corpus.gold["events"]}
    verbs = {"supports": "supports", "opposes": "opposes", "mediates": "mediate", "cooperates_on": "cooperation",
             "discussed": ""}
    for rel in corpus.gold["relations"]:
        assert set(rel["object"]) <= names
        assert set(rel["subject"]) <= names | events
        for doc in rel["docs"]:
            assert verbs[rel["relation"]] in texts[doc]
            assert all(o in texts[doc] for o in rel["object"]), (rel, doc)


def test_furniture_names_never_in_the_gold(corpus: Corpus) -> None:
    forbidden = set(corpus.gold["forbidden"])
    assert forbidden.isdisjoint(e["name"] for e in corpus.gold["entities"])
    assert any(f in d.text for d in corpus.documents for f in forbidden)  # furniture is there


def _perfect_graph(gold: dict[str, Any]) -> dict[str, Any]:
    """The node-link graph a perfect build would write, made from the gold alone."""
    nodes: list[dict[str, Any]] = []
    node_of: dict[str, str] = {}
    for ent in gold["entities"]:
        kind = ent["kinds"][0]
        node_id = f"{kind}:{ent['name']}"
        node_of[ent["name"]] = node_id
        node = {"id": node_id, "kind": kind, "label": ent["name"], "aliases": ent["aliases"], "sources": ent["docs"]}
        if kind == "person":
            node.update(country=ent["country"], titles=ent["titles"])
        nodes.append(node)
    edges: list[dict[str, Any]] = []
    for ev in gold["events"]:
        node_of[ev["id"]] = ev["id"]
        nodes.append({"id": ev["id"], "kind": "event", "label": ev["id"], "aliases": [], "sources": ev["docs"],
                      "event_type": ev["type"], "date": ev["date"],
                      "location": node_of.get(ev.get("location", ""), None),
                      "initiator": node_of.get(ev.get("initiator", ""), None)})
        edges += [{"source": node_of[p], "target": ev["id"], "relation": "participant", "sources": ev["docs"]}
                  for p in ev["participants"]]
    for rel in gold["relations"]:
        edges.append({"source": node_of[rel["subject"][0]], "target": node_of[rel["object"][0]],
                      "relation": rel["relation"], "sources": rel["docs"]})
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "edges": edges}


@pytest.mark.seeds
def test_a_perfect_graph_scores_one(corpus: Corpus, tmp_path: Path, score_graph: Any) -> None:
    paths = write_corpus(corpus, tmp_path, fmt="jsonl")
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(_perfect_graph(corpus.gold)), encoding="utf-8")
    metrics, detail = score_graph(graph, paths["gold"])
    for name in ["entity_f1", "event_f1", "relation_f1", "source_coverage", "person_country_accuracy",
                 "title_accuracy", "event_date_accuracy", "event_location_accuracy",
                 "event_initiator_accuracy", "event_source_coverage"]:
        assert metrics[name] == 1.0, (name, detail)
    assert metrics["forbidden_nodes"] == 0


@pytest.mark.parametrize("fmt", ["txt", "jsonl"])
def test_written_files_read_back(fmt: str, tmp_path: Path) -> None:
    c = generate(15, seed=4)
    paths = write_corpus(c, tmp_path, fmt=fmt)
    files = sorted(paths["articles"].glob("*.txt")) if fmt == "txt" else [paths["articles"]]
    articles = [a for f in files for a in read_file(f)]
    assert [a.id for a in articles] == [d.id for d in c.documents]
    assert [a.text for a in articles] == [d.text for d in c.documents]
    if fmt == "jsonl":
        assert [a.published for a in articles] == [d.published for d in c.documents]
    assert json.loads(paths["gold"].read_text(encoding="utf-8")) == c.gold


def test_write_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'xml'"):
        write_corpus(generate(1), tmp_path, fmt="xml")  # type: ignore[arg-type]
