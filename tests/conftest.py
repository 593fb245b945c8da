"""Shared fixtures: the two spaCy pipelines (loaded once per session) and ../shared."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from extract.pipeline import Pipeline, load_pipeline

# Hypothesis profiles. "default" keeps `make test` quick (100 examples per property test that
# does not set its own count); "fuzz" is the long run of `make fuzz` (HYPOTHESIS_PROFILE=fuzz),
# FUZZ_EXAMPLES examples per test (default 3000). Tests that fix max_examples keep it.
settings.register_profile("default", max_examples=100)
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3000")), print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: The repository's sibling folder with the seeds and the evaluation kit.
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


@pytest.fixture(scope="session")
def blank_pipeline() -> Pipeline:
    """Blank English plus the shipped rulers: fast, and the same on every machine."""
    return load_pipeline("blank")


@pytest.fixture(scope="session")
def model_pipeline() -> Pipeline:
    """The statistical model plus the rulers (tests using it are marked ``model``)."""
    return load_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (seeds and eval kit); skipped when the checkout has no such sibling."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED.resolve()} is absent: the seed tests need ../shared")
    return SHARED.resolve()


Scores = tuple[dict[str, Any], dict[str, Any]]


@pytest.fixture(scope="session")
def score_graph(shared_dir: Path) -> Callable[[Path, Path], Scores]:
    """``score(graph_json, gold_json) -> (metrics, details)`` from ``../shared/eval/score.py``."""
    path = shared_dir / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("diplograph_eval_score", path)
    assert spec is not None and spec.loader is not None, path
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    def score(graph_json: Path, gold_json: Path) -> Scores:
        nodes, edges = scorer.load_graph(graph_json)
        gold = json.loads(gold_json.read_text(encoding="utf-8"))
        metrics, detail = scorer.score(nodes, edges, gold)
        return metrics, dict(detail)

    return score


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files ``sources.files.read_file`` reads from now on, in order (it still reads them)."""
    import sources.files as files

    seen: list[Path] = []
    real = files.read_file

    def counting(path: Any, **kwargs: Any) -> Any:
        seen.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(files, "read_file", counting)
    return seen


@pytest.fixture(scope="session")
def networkx_xml() -> Callable[[Any, str], bytes]:
    """``networkx_xml(G, "graphml" | "gexf")``: the bytes networkx's own writer makes of ``G``."""
    import io

    import networkx as nx

    def write(G: Any, fmt: str) -> bytes:
        buf = io.BytesIO()
        if fmt == "graphml":
            nx.write_graphml(G, buf, encoding="utf-8")
        else:
            nx.write_gexf(G, buf, encoding="utf-8", version="1.2draft")
        return buf.getvalue()

    return write
