"""Issue 3's bar on the seed corpus: events and relations, scored by ../shared/eval/score.py."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from graph.build import build

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


@pytest.fixture(scope="module")
def seed_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    if not (SHARED / "seeds").is_dir() or not (SHARED / "eval" / "score.py").is_file():
        pytest.skip("../shared/seeds and ../shared/eval are not beside the project")
    out = tmp_path_factory.mktemp("seeds")
    build([SHARED / "seeds"], out=out, progress=False, html=False)
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    nodes, edges = score.load_graph(out / "graph.json")
    gold = json.loads((SHARED / "eval" / "seeds-gold.json").read_text(encoding="utf-8"))
    metrics, _ = score.score(nodes, edges, gold)
    return metrics


@pytest.mark.model
@pytest.mark.seeds
@pytest.mark.parametrize(
    ("metric", "floor"),
    [
        ("event_f1", 1.0),
        ("event_date_accuracy", 1.0),
        ("event_location_accuracy", 1.0),
        ("event_initiator_accuracy", 1.0),
        ("event_source_coverage", 1.0),
        ("relation_recall", 0.8),
        ("relation_precision", 0.8),
        ("entity_f1", 0.9),
        ("person_country_accuracy", 1.0),
        ("title_accuracy", 1.0),
        ("source_coverage", 0.95),
    ],
)
def test_seed_event_and_relation_figures(seed_scores: dict[str, float], metric: str, floor: float) -> None:
    assert seed_scores[metric] >= floor, f"{metric} = {seed_scores[metric]:.3f} < {floor}"


@pytest.mark.model
@pytest.mark.seeds
def test_seed_events_are_not_duplicated(seed_scores: dict[str, float]) -> None:
    assert seed_scores["event_duplicates"] == 0
    assert seed_scores["forbidden_nodes"] == 0
