"""The bundled sample corpus and its gold annotations.

Eighteen short wire-style documents about diplomatic contacts in 2023-2024 (seventeen files:
``.txt`` articles, one ``.html`` page and one ``.jsonl`` file holding two records), written
for diplograph, plus ``gold.json``: what a correct graph of them holds, in the format read by
``shared/eval/score.py``. See ``README.md`` in this folder for what each article covers.

Nothing is read at import time; the functions only return paths inside the installed package.
"""
from __future__ import annotations

import pathlib
from importlib.resources import as_file, files

__all__ = ["sample_corpus", "sample_gold"]


def _resource(name: str) -> pathlib.Path:
    # The package ships as plain files (setuptools package-data), so ``as_file`` hands back
    # the real path without extracting anything.
    with as_file(files(__package__).joinpath(name)) as path:
        return pathlib.Path(path)


def sample_corpus() -> pathlib.Path:
    """Return the folder holding the sample articles.

    Returns
    -------
    pathlib.Path
        The ``articles`` directory: ``.txt``, ``.html`` and ``.jsonl`` inputs that
        ``diplograph build`` accepts as they are.

    Examples
    --------
    >>> folder = sample_corpus()
    >>> folder.is_dir()
    True
    >>> sorted(p.suffix for p in folder.iterdir())[0]
    '.html'
    """
    return _resource("articles")


def sample_gold() -> pathlib.Path:
    """Return the gold file describing the sample corpus.

    Returns
    -------
    pathlib.Path
        ``gold.json``, in the format of ``shared/eval/seeds-gold.json`` with
        ``"corpus": "samples"``; document ids are the article file names without extension
        (for the JSONL records, their ``id``).

    Examples
    --------
    >>> import json
    >>> gold = json.loads(sample_gold().read_text(encoding="utf-8"))
    >>> gold["corpus"]
    'samples'
    >>> set(gold["documents"]) >= {p.stem for p in sample_corpus().glob("*.txt")}
    True
    """
    return _resource("gold.json")
