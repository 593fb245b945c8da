"""graph.query: tables, lookup, the country view, timelines, slices, rankings, connections."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph import query
from graph.build import Build, build
from graph.export import to_json_data, write_json
from graph.query import (
    MEASURES,
    AmbiguousEntityError,
    EntityNotFoundError,
    central,
    contact_history,
    country_contacts,
    country_view,
    edges_frame,
    ego_network,
    events_frame,
    example_graph,
    load,
    lookup,
    most_active,
    nodes_frame,
    shortest_connection,
    state_of,
    statements,
    time_slice,
    timeline,
)
from sources.samples import sample_corpus

MEETING_2023 = "event:2023-07-24:meeting:ali-akbar-ahmadian+wang-yi"
CALL_2023 = "event:2023-08-20:phone_call:hossein-amir-abdollahian+wang-yi"
MEETING_2024 = "event:2024-09-12:meeting:ali-akbar-ahmadian+wang-yi"


@pytest.fixture
def G() -> nx.MultiDiGraph:
    return example_graph()


@pytest.fixture(scope="module")
def sample_build() -> Build:
    return build([sample_corpus()], progress=False, html=False)


@pytest.fixture(scope="module")
def seeds_graph(shared_dir: Path) -> nx.MultiDiGraph:
    return build([shared_dir / "seeds"], progress=False, html=False).graph


@pytest.fixture(scope="module")
def seeds_gold(shared_dir: Path) -> dict[str, Any]:
    gold: dict[str, Any] = json.loads((shared_dir / "eval" / "seeds-gold.json").read_text(encoding="utf-8"))
    return gold


def _snapshot(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return copy.deepcopy(G)


def _same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> bool:
    return nx.utils.graphs_equal(G, H) and list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))


# Every read-only call, on any graph that has Wang Yi, China and Iran.
READERS: dict[str, Callable[[nx.MultiDiGraph], Any]] = {
    "nodes_frame": nodes_frame,
    "edges_frame": edges_frame,
    "events_frame": events_frame,
    "country_view": country_view,
    "country_contacts": country_contacts,
    "timeline": lambda G: timeline(G, "Wang Yi"),
    "contact_history": lambda G: contact_history(G, "China", "Iran"),
    "statements": statements,
    "ego_network": lambda G: ego_network(G, "China", radius=2),
    "time_slice": lambda G: time_slice(G, "2023", "2023-12-31", undated=True),
    "most_active": lambda G: most_active(G, "country"),
    "central": lambda G: [central(G, kind, measure=m) for kind in ("person", "country", "organization") for m in MEASURES],
    "shortest_connection": lambda G: shortest_connection(G, "Wang Yi", "Iran"),
    "lookup": lambda G: (lookup(G, "wang yi"), state_of(G, "Wang Yi")),
}


# --------------------------------------------------------------------------------------------
# Read-only


@pytest.mark.parametrize("name", sorted(READERS))
def test_readers_never_mutate_the_graph(G: nx.MultiDiGraph, name: str) -> None:
    before = _snapshot(G)
    result = READERS[name](G)
    assert _same(G, before), f"{name} changed its input graph"
    if isinstance(result, nx.Graph) and result.number_of_edges():  # a new graph sharing nothing mutable
        u, v, k, d = next(iter(result.edges(keys=True, data=True)))
        for value in d.values():
            if isinstance(value, list):
                value.append("changed")
        assert _same(G, before), f"{name} returned a graph that shares lists with its input"


@pytest.mark.parametrize("frame", [nodes_frame, edges_frame, events_frame])
def test_tables_share_nothing_mutable_with_the_graph(G: nx.MultiDiGraph, frame: Callable[..., pd.DataFrame]) -> None:
    before = _snapshot(G)
    df = frame(G)
    for cell in df["sources"]:
        cell.append("changed")
    assert _same(G, before)


@pytest.mark.parametrize("frame", [nodes_frame, edges_frame])
def test_tables_without_copies_share_the_graphs_values(G: nx.MultiDiGraph, frame: Callable[..., pd.DataFrame]) -> None:
    shared = frame(G, copy=False)
    copied = frame(G)
    assert shared.equals(copied)
    first = next(iter(G.nodes.values() if frame is nodes_frame else (d for *_, d in G.edges(keys=True, data=True))))
    assert shared["sources"][0] is first["sources"] and copied["sources"][0] is not first["sources"]


# --------------------------------------------------------------------------------------------
# Tables


def test_nodes_frame_has_a_row_per_node_with_provenance(G: nx.MultiDiGraph) -> None:
    df = nodes_frame(G)
    assert df["id"].tolist() == list(G.nodes)
    assert df.columns[:3].tolist() == ["id", "kind", "label"]
    row = df.set_index("id").loc["person:wang-yi"]
    assert row["sources"] == G.nodes["person:wang-yi"]["sources"]
    assert row["source_count"] == 3
    assert df.set_index("id").loc["country:IRN", "country"] is None  # missing attributes are None


def test_edges_frame_keeps_relation_evidence_and_filters(G: nx.MultiDiGraph) -> None:
    df = edges_frame(G)
    assert len(df) == G.number_of_edges()
    supports = df[df["relation"] == "supports"].iloc[0]
    assert (supports["source_label"], supports["target_label"]) == ("China", "Iran")
    assert supports["dates"] == ["2023-07-24", "2024-09-12"]
    assert supports["evidence"][0]["doc"] == "a"
    assert set(edges_frame(G, relations="participant")["relation"]) == {"participant"}
    assert df["weight"].dtype.kind == "i"


def test_events_frame_orders_by_date_and_names_the_parties(G: nx.MultiDiGraph) -> None:
    df = events_frame(G)
    assert df["id"].tolist() == [MEETING_2023, CALL_2023, MEETING_2024]
    call = df.iloc[1]
    assert call["participant_labels"] == ["Hossein Amir-Abdollahian", "Wang Yi"]
    assert call["initiator_label"] == "Hossein Amir-Abdollahian"
    assert df.iloc[0]["discussed_labels"] == ["Belt and Road Initiative"]
    assert df.iloc[0]["location_label"] == "Johannesburg"


def test_events_frame_puts_undated_events_last(G: nx.MultiDiGraph) -> None:
    G.add_node("event:undated:meeting:x", kind="event", label="meeting: X", date=None, event_type="meeting",
               sources=["d"])
    assert events_frame(G)["id"].iloc[-1] == "event:undated:meeting:x"


def test_empty_graph_gives_empty_tables() -> None:
    E = nx.MultiDiGraph()
    assert nodes_frame(E).columns.tolist() == ["id", "kind", "label"] and nodes_frame(E).empty
    assert edges_frame(E).empty and events_frame(E).empty and country_contacts(E).empty
    assert country_view(E).number_of_nodes() == 0


# --------------------------------------------------------------------------------------------
# Lookup


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("wang", "person:wang-yi"),
        ("WANG YI", "person:wang-yi"),
        ("  wang   yi ", "person:wang-yi"),
        ("person:wang-yi", "person:wang-yi"),
        ("Iranian", "country:IRN"),
        ("irn", "country:IRN"),
        ("bri", "initiative:belt-and-road-initiative"),
        ("Ahmadian", "person:ali-akbar-ahmadian"),
    ],
)
def test_lookup_by_any_alias_case_insensitive(G: nx.MultiDiGraph, name: str, node: str) -> None:
    assert lookup(G, name) == node


def test_lookup_misspelt_name_lists_close_matches(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFoundError) as info:
        lookup(G, "Wnag Yi")
    assert isinstance(info.value, LookupError)
    assert ("Wang Yi", "person:wang-yi") in info.value.suggestions
    assert "'Wang Yi'" in str(info.value)


def test_lookup_with_nothing_close_says_so(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFoundError, match="nothing close"):
        lookup(G, "zzzzqqq")


def test_lookup_shared_alias_is_ambiguous_until_kind_is_given(G: nx.MultiDiGraph) -> None:
    G.add_node("organization:wang", kind="organization", label="Wang Holdings", aliases=["Wang"], sources=[])
    with pytest.raises(AmbiguousEntityError) as info:
        lookup(G, "wang")
    assert {n for _, n in info.value.candidates} == {"person:wang-yi", "organization:wang"}
    assert lookup(G, "wang", kind="person") == "person:wang-yi"


def test_lookup_rejects_a_non_string(G: nx.MultiDiGraph) -> None:
    with pytest.raises(TypeError, match="42"):
        lookup(G, 42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda G: timeline(G, "Wnag Yi"),
        lambda G: contact_history(G, "Chna", "Iran"),
        lambda G: ego_network(G, "Wnag Yi"),
        lambda G: shortest_connection(G, "Wang Yi", "Irn Iran x"),
    ],
)
def test_every_entity_argument_goes_through_lookup(G: nx.MultiDiGraph, call: Callable[[nx.MultiDiGraph], Any]) -> None:
    with pytest.raises(EntityNotFoundError):
        call(G)


def test_state_of(G: nx.MultiDiGraph) -> None:
    assert state_of(G, "Ahmadian") == "country:IRN"
    assert state_of(G, "Johannesburg") is None
    G.nodes["person:wang-yi"]["country"] = None  # falls back on the acts_for edge
    assert state_of(G, "Wang Yi") == "country:CHN"


# --------------------------------------------------------------------------------------------
# Country view


def test_country_view_rolls_people_up_to_their_states(G: nx.MultiDiGraph) -> None:
    V = country_view(G)
    assert V.graph["view"] == "country"
    assert not any(k == "person" for _, k in V.nodes(data="kind"))
    contact = V.edges["country:CHN", "country:IRN", "contact"]
    assert contact["weight"] == 3
    assert contact["years"] == {"2023": 2, "2024": 1}
    assert contact["events"] == [MEETING_2023, CALL_2023, MEETING_2024]
    assert contact["sources"] == ["a", "b", "c"]
    assert contact["discussed"] == ["initiative:belt-and-road-initiative"]
    assert V.nodes["country:CHN"]["people"] == ["person:wang-yi"]
    for attr in ("kind", "label", "aliases", "sources"):
        assert all(attr in d for _, d in V.nodes(data=True)), attr


def test_country_view_sums_a_statement_made_by_a_state_and_its_official(G: nx.MultiDiGraph) -> None:
    G.add_edge("person:wang-yi", "country:IRN", key="supports", relation="supports", sources=["d"], weight=2,
               dates=["2023-09-01"], confidence=0.9, evidence=[])
    G.add_edge("person:wang-yi", "country:CHN", key="supports", relation="supports", sources=["d"], weight=1,
               dates=[], confidence=0.9, evidence=[])
    V = country_view(G)
    rolled = V.edges["country:CHN", "country:IRN", "supports"]
    assert rolled["weight"] == 4
    assert rolled["confidence"] == 0.9
    assert rolled["sources"] == ["a", "c", "d"]
    assert rolled["rolled_from"] == [["country:CHN", "country:IRN"], ["person:wang-yi", "country:IRN"]]
    assert not V.has_edge("country:CHN", "country:CHN")  # an official about their own state


def test_country_view_keeps_stateless_entities_as_themselves(G: nx.MultiDiGraph) -> None:
    G.add_node("person:nobody", kind="person", label="Nobody", aliases=["Nobody"], sources=["e"], country=None)
    G.add_node("event:2023-09-09:meeting:nobody+wang-yi", kind="event", label="meeting", date="2023-09-09",
               event_type="meeting", sources=["e"], evidence=[])
    for p in ("person:nobody", "person:wang-yi"):
        G.add_edge(p, "event:2023-09-09:meeting:nobody+wang-yi", key="participant", relation="participant",
                   sources=["e"])
    V = country_view(G)
    assert V.nodes["person:nobody"]["kind"] == "person"
    assert V.edges["country:CHN", "person:nobody", "contact"]["weight"] == 1
    assert V.has_edge("country:IRN", "initiative:belt-and-road-initiative", "cooperates_on")


def test_country_view_names_a_state_that_has_no_node(G: nx.MultiDiGraph) -> None:
    G.nodes["person:faisal-bin-farhan"]["country"] = "KAZ"
    V = country_view(G)
    assert V.nodes["country:KAZ"]["label"] == "Kazakhstan"
    assert V.nodes["country:KAZ"]["people"] == ["person:faisal-bin-farhan"]


def test_country_view_is_json_safe(G: nx.MultiDiGraph) -> None:
    data = to_json_data(country_view(G))
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_country_contacts_counts_per_pair_and_year(G: nx.MultiDiGraph) -> None:
    df = country_contacts(G)
    assert df[["pair", "year", "count"]].values.tolist() == [["China – Iran", 2023, 2], ["China – Iran", 2024, 1]]
    assert df["events"].iloc[1] == [MEETING_2024]
    with pytest.raises(ValueError, match="country view"):
        country_contacts(country_view(G))


# --------------------------------------------------------------------------------------------
# Timelines, histories, statements


def test_timeline_of_an_official(G: nx.MultiDiGraph) -> None:
    df = timeline(G, "Wang Yi")
    assert df["id"].tolist() == [MEETING_2023, CALL_2023, MEETING_2024]
    assert set(df["role"]) == {"participant"}
    assert df.iloc[1]["counterparts"] == ["Hossein Amir-Abdollahian", "Iran"]


@pytest.mark.parametrize(
    ("entity", "events", "role"),
    [
        ("Iran", [MEETING_2023, CALL_2023, MEETING_2024], "official (Ali Akbar Ahmadian)"),
        ("Johannesburg", [MEETING_2023], "venue"),
        ("BRI", [MEETING_2023], "discussed"),
        ("Saudi Arabia", [], None),
    ],
)
def test_timeline_by_kind_of_involvement(G: nx.MultiDiGraph, entity: str, events: list[str], role: str | None) -> None:
    df = timeline(G, entity)
    assert df["id"].tolist() == events
    if role:
        assert df.iloc[0]["role"] == role


def test_contact_history_of_two_states_and_of_two_people(G: nx.MultiDiGraph) -> None:
    states = contact_history(G, "China", "Iran")
    assert states["id"].tolist() == [MEETING_2023, CALL_2023, MEETING_2024]
    assert states["a_side"].tolist() == [["Wang Yi"]] * 3
    people = contact_history(G, "Wang Yi", "Ahmadian")
    assert people["id"].tolist() == [MEETING_2023, MEETING_2024]
    assert contact_history(G, "China", "Saudi Arabia").empty
    with pytest.raises(ValueError, match="two entities"):
        contact_history(G, "Iran", "country:IRN")


def test_statements_filters_and_orders(G: nx.MultiDiGraph) -> None:
    mediation = statements(G, "mediates")
    assert mediation[["subject_label", "object_label"]].values.tolist() == [["China", "Iran"], ["China", "Saudi Arabia"]]
    assert statements(G, object="Saudi")["relation"].tolist() == ["mediates"]
    everything = statements(G)
    assert everything["weight"].tolist() == sorted(everything["weight"].tolist(), reverse=True)
    assert "co_mentioned" not in set(everything["relation"])
    G.add_edge("country:IRN", "country:CHN", key="supports", relation="supports", sources=["d"], weight=1)
    either_way = statements(G, between=("Iran", "China"))
    assert set(zip(either_way["subject_label"], either_way["relation"])) == {
        ("China", "supports"), ("China", "mediates"), ("Iran", "supports")}
    with pytest.raises(ValueError, match="pair"):
        statements(G, between=("Iran",))  # type: ignore[arg-type]


def test_lookup_suggests_entities_rather_than_events(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFoundError) as info:
        lookup(G, "meting: Ali Akbar Ahmadian – Wang Yi")
    assert info.value.suggestions and not any(n.startswith("event:") for _, n in info.value.suggestions)


# --------------------------------------------------------------------------------------------
# Sub-graphs


@pytest.mark.parametrize(
    ("radius", "kinds", "expected"),
    [
        (0, None, {"person:wang-yi"}),
        (1, ["country"], {"person:wang-yi", "country:CHN"}),
        (2, ["person", "event"], {"person:wang-yi", "person:ali-akbar-ahmadian", "person:hossein-amir-abdollahian",
                                  MEETING_2023, CALL_2023, MEETING_2024}),
    ],
)
def test_ego_network_by_radius_and_kind(G: nx.MultiDiGraph, radius: int, kinds: list[str] | None,
                                        expected: set[str]) -> None:
    H = ego_network(G, "Wang Yi", radius=radius, kinds=kinds)
    assert set(H.nodes) == expected
    assert H.graph["ego"] == "person:wang-yi"


def test_ego_network_leaves_co_mentions_out_unless_asked(G: nx.MultiDiGraph) -> None:
    plain = ego_network(G, "Saudi Arabia", radius=1)
    assert set(plain.nodes) == {"country:SAU", "country:CHN", "person:faisal-bin-farhan"}
    assert "country:IRN" in ego_network(G, "Saudi Arabia", radius=1, co_mentioned=True)


@pytest.mark.parametrize("radius", [-1, 1.5, True])
def test_ego_network_rejects_a_bad_radius(G: nx.MultiDiGraph, radius: Any) -> None:
    with pytest.raises(ValueError, match="radius"):
        ego_network(G, "Wang Yi", radius=radius)


@pytest.mark.parametrize(
    ("start", "end", "events"),
    [
        ("2023", "2023", {MEETING_2023, CALL_2023}),
        ("2023-08", None, {CALL_2023, MEETING_2024}),
        (None, "2023-07-24", {MEETING_2023}),
        ("2024-09-12", "2024-09-12", {MEETING_2024}),
        ("2025", None, set()),
    ],
)
def test_time_slice_keeps_only_events_in_range(G: nx.MultiDiGraph, start: Any, end: Any, events: set[str]) -> None:
    S = time_slice(G, start, end)
    assert {n for n, k in S.nodes(data="kind") if k == "event"} == events
    for _, _, k, d in S.edges(keys=True, data=True):
        if d.get("dates"):
            assert any((start is None or x[: len(start)] >= start) and (end is None or x[: len(end)] <= end)
                       for x in d["dates"]), (k, d["dates"])


def test_time_slice_with_a_month_only_date_and_undated_events(G: nx.MultiDiGraph) -> None:
    G.nodes[CALL_2023]["date"] = "2023-08"
    G.add_node("event:undated:meeting:x", kind="event", label="x", date=None, event_type="meeting", sources=[])
    S = time_slice(G, "2023-08-31", "2023-09-30")
    assert {n for n, k in S.nodes(data="kind") if k == "event"} == {CALL_2023}
    assert "event:undated:meeting:x" in time_slice(G, "2023-08-31", undated=True)


def test_time_slice_keeps_the_states_of_the_people_kept(G: nx.MultiDiGraph) -> None:
    S = time_slice(G, "2023-08", "2023-08")
    assert S.has_edge("person:hossein-amir-abdollahian", "country:IRN", "acts_for")
    assert "person:faisal-bin-farhan" not in S


@pytest.mark.parametrize(("start", "end"), [("2023-13", None), ("July 2023", None), (None, "23"), ("2024", "2023")])
def test_time_slice_rejects_bad_bounds(G: nx.MultiDiGraph, start: Any, end: Any) -> None:
    with pytest.raises(ValueError):
        time_slice(G, start, end)


# --------------------------------------------------------------------------------------------
# Rankings


def test_most_active_names_its_measure(G: nx.MultiDiGraph) -> None:
    people = most_active(G, "person")
    assert people["label"].tolist()[0] == "Wang Yi"
    assert people["events"].tolist() == [3, 2, 1]
    assert "events" in people.attrs["measure"]
    countries = most_active(G, "country", top=1)
    assert countries[["label", "events", "first", "last"]].values.tolist() == [["China", 3, "2023-07-24", "2024-09-12"]]


@pytest.mark.parametrize("measure", sorted(MEASURES))
@pytest.mark.parametrize("kind", ["person", "country", "initiative"])
def test_central_names_the_measure_in_a_column(G: nx.MultiDiGraph, measure: str, kind: str) -> None:
    df = central(G, kind, measure=measure)
    assert df.columns.tolist() == ["id", "label", measure]
    assert df.attrs["measure"].startswith(measure)
    assert all(G.nodes[n]["kind"] == kind for n in df["id"])
    assert df[measure].tolist() == sorted(df[measure].tolist(), reverse=True)


def test_central_ranks_the_broker_first(G: nx.MultiDiGraph) -> None:
    assert central(G, "person", measure="betweenness")["id"].iloc[0] == "person:wang-yi"
    assert central(G, "person", measure="strength").set_index("id").loc["person:wang-yi", "strength"] == 3


def test_central_rejects_an_unknown_measure(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="pagerankk"):
        central(G, measure="pagerankk")


# --------------------------------------------------------------------------------------------
# Connections


def test_shortest_connection_prefers_relations_to_a_co_mention(G: nx.MultiDiGraph) -> None:
    hops = shortest_connection(G, "Iran", "Saudi Arabia")  # a co-mention links them in one hop
    assert hops["link"].tolist() == ["relation", "relation"]
    assert hops["from_label"].tolist() == ["Iran", "China"]
    assert hops["direction"].tolist() == ["backward", "forward"]
    assert not hops.attrs["co_mentioned"]
    assert all(hops["sources"]) and all(hops["sentence"])


def test_shortest_connection_through_an_event_carries_its_evidence(G: nx.MultiDiGraph) -> None:
    hops = shortest_connection(G, "Ahmadian", "Hossein Amir-Abdollahian")
    assert hops["relation"].tolist()[0] in {"participant", "acts_for"}
    assert hops["to"].iloc[-1] == "person:hossein-amir-abdollahian"
    assert hops["step"].tolist() == list(range(1, len(hops) + 1))


def test_shortest_connection_falls_back_on_co_mentions_and_says_so(G: nx.MultiDiGraph) -> None:
    G.add_node("organization:x", kind="organization", label="X", aliases=["X"], sources=["z"])
    G.add_edge("organization:x", "country:SAU", key="co_mentioned", relation="co_mentioned", sources=["z"],
               weight=1, evidence=[{"doc": "z", "sentence": "X and Saudi Arabia.", "start": 0, "end": 18}])
    hops = shortest_connection(G, "X", "Saudi Arabia")
    assert hops["link"].tolist() == ["co-mention"] and hops.attrs["co_mentioned"]
    assert hops["sentence"].iloc[0] == "X and Saudi Arabia."
    with pytest.raises(nx.NetworkXNoPath, match="without co-mentions"):
        shortest_connection(G, "X", "Saudi Arabia", co_mentioned=False)


def test_shortest_connection_of_an_entity_to_itself_is_empty(G: nx.MultiDiGraph) -> None:
    assert shortest_connection(G, "Iran", "iranian").empty


# --------------------------------------------------------------------------------------------
# Loading


@pytest.mark.parametrize("as_folder", [True, False])
def test_load_reads_graph_json_or_its_folder(G: nx.MultiDiGraph, tmp_path: Path, as_folder: bool) -> None:
    path = write_json(G, tmp_path / "graph.json")
    H = load(tmp_path if as_folder else path)
    assert nx.utils.graphs_equal(G, H)
    pd.testing.assert_frame_equal(events_frame(H), events_frame(G))


def test_load_missing_graph_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load(tmp_path / "nowhere")


def test_public_names_are_exported_from_graph() -> None:
    import graph

    for name in query.__all__:
        if name not in {"MEASURES", "ROLLED_RELATIONS", "example_graph"}:
            assert getattr(graph, name) is getattr(query, name), name


# --------------------------------------------------------------------------------------------
# The sample corpus (needs the model)


@pytest.mark.model
def test_sample_graph_tables_cover_the_graph(sample_build: Build) -> None:
    G = sample_build.graph
    assert len(nodes_frame(G)) == G.number_of_nodes()
    assert len(edges_frame(G)) == G.number_of_edges()
    events = events_frame(G)
    assert len(events) == sum(1 for _, k in G.nodes(data="kind") if k == "event") > 0
    assert all(events["sources"]) and all(events["participants"])


@pytest.mark.model
def test_sample_graph_every_label_looks_up(sample_build: Build) -> None:
    G = sample_build.graph
    for n, data in G.nodes(data=True):
        if data["kind"] == "event":
            continue
        try:
            assert lookup(G, data["label"]) == n
        except AmbiguousEntityError as err:
            assert n in {c for _, c in err.candidates}


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(READERS))
def test_sample_graph_readers_never_mutate(sample_build: Build, name: str) -> None:
    G = sample_build.graph
    before = _snapshot(G)
    READERS[name](G)
    assert _same(G, before)


@pytest.mark.model
def test_sample_country_view_counts_every_two_state_event(sample_build: Build) -> None:
    G = sample_build.graph
    V = country_view(G)
    events = events_frame(G)
    two_states = [e for e, c in zip(events["id"], events["countries"]) if len(c) >= 2]
    counted = {e for _, _, d in V.edges(data=True) if d["relation"] == "contact" for e in d["events"]}
    assert set(two_states) <= counted
    json.dumps(to_json_data(V), allow_nan=False)


@pytest.mark.model
def test_sample_time_slice_holds_only_that_year(sample_build: Build) -> None:
    S = time_slice(sample_build.graph, "2024", "2024")
    dates = [d for _, d in S.nodes(data="date") if d is not None]
    assert dates and all(d.startswith("2024") for d in dates)


# --------------------------------------------------------------------------------------------
# The seeds (need the model and ../shared)


@pytest.mark.model
@pytest.mark.seeds
def test_seeds_china_iran_history_holds_the_four_gold_contacts(
    seeds_graph: nx.MultiDiGraph, seeds_gold: dict[str, Any]
) -> None:
    history = contact_history(seeds_graph, "China", "Iran")
    found = set(zip(history["date"], history["event_type"]))
    for event in seeds_gold["events"]:
        assert (event["date"], event["type"]) in found, event["id"]
    by_date = history.set_index("date")
    assert "Johannesburg" == by_date.loc["2023-07-24", "location_label"]
    assert sorted(by_date.loc["2023-07-24", "sources"]) == sorted(seeds_gold["events"][0]["docs"])
    assert by_date.loc["2023-08-20", "initiator_label"] == "Hossein Amir-Abdollahian"


@pytest.mark.model
@pytest.mark.seeds
def test_seeds_lookup_and_timeline_of_wang_yi(seeds_graph: nx.MultiDiGraph, seeds_gold: dict[str, Any]) -> None:
    assert lookup(seeds_graph, "wang") == "person:wang-yi"
    with pytest.raises(EntityNotFoundError) as info:
        lookup(seeds_graph, "Wnag Yi")
    assert "Wang Yi" in [label for label, _ in info.value.suggestions]
    dates = set(timeline(seeds_graph, "Wang Yi")["date"])
    assert {e["date"] for e in seeds_gold["events"]} <= dates


@pytest.mark.model
@pytest.mark.seeds
def test_seeds_country_view_and_mediation(seeds_graph: nx.MultiDiGraph) -> None:
    contacts = country_contacts(seeds_graph)
    china_iran = contacts[contacts["pair"] == "China – Iran"].set_index("year")["count"]
    assert china_iran.loc[2023] >= 2 and china_iran.loc[2024] >= 2
    mediated = set(statements(seeds_graph, "mediates", subject="China")["object_label"])
    assert {"Iran", "Saudi Arabia"} <= mediated


@pytest.mark.model
@pytest.mark.seeds
def test_seeds_shortest_connection_needs_no_co_mention(seeds_graph: nx.MultiDiGraph) -> None:
    hops = shortest_connection(seeds_graph, "Ali Bagheri Kani", "Ali Akbar Ahmadian")
    assert not hops.attrs["co_mentioned"]
    assert hops["from"].iloc[0] == "person:ali-bagheri-kani" and hops["to"].iloc[-1] == "person:ali-akbar-ahmadian"


@pytest.mark.parametrize(
    "values",
    [[], [None], [1, 2], [1, None], [1, 2.5], [1.5, None], [2.5], [True, 1], [1, "x"], ["a", None],
     [np.int64(3), 4], [np.float64(1.5), None], [np.float64(1.5), 2], [np.bool_(True)], [[1], 2]],
)
def test_column_kinds_follow_their_rules(values: list[Any]) -> None:
    from graph.query import _column_kind

    present = [v for v in values if v is not None]
    numbers = [v for v in present if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if present and len(numbers) == len(present) and all(isinstance(v, int) for v in numbers):
        expected = "int64" if len(present) == len(values) else "Int64"
    elif present and len(numbers) == len(present) == len(values):
        expected = "float64"
    else:
        expected = "object"
    assert _column_kind(values) == expected
