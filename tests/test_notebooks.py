"""Notebooks are stored without outputs, and each .ipynb matches its jupytext .py."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
IPYNBS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_every_notebook_is_paired() -> None:
    scripts = {p.stem for p in NOTEBOOKS.glob("*.py")}
    notebooks = {p.stem for p in IPYNBS}
    assert notebooks, f"no notebooks in {NOTEBOOKS}"
    assert scripts == notebooks, (
        f"unpaired: .py only {sorted(scripts - notebooks)}, .ipynb only {sorted(notebooks - scripts)}"
    )


@pytest.mark.parametrize("path", IPYNBS, ids=[p.name for p in IPYNBS])
def test_stored_without_outputs(path: Path) -> None:
    nb = jupytext.read(path)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} keep outputs; run `make notebooks`"


@pytest.mark.parametrize("path", IPYNBS, ids=[p.name for p in IPYNBS])
def test_in_sync_with_script(path: Path) -> None:
    script = jupytext.read(path.with_suffix(".py"))
    notebook = jupytext.read(path)
    assert "ipynb" in script.metadata["jupytext"]["formats"], f"{path.stem}.py is not paired"
    assert [(c.cell_type, c.source) for c in notebook.cells] == [
        (c.cell_type, c.source) for c in script.cells
    ], f"{path.name} differs from {path.stem}.py; run `make notebooks`"
