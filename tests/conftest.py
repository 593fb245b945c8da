"""Shared fixtures: the two spaCy pipelines (loaded once per session) and ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.pipeline import Pipeline, load_pipeline

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
