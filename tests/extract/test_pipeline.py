"""extract.pipeline: the model, the two rulers before its ner, and the blank fallback."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import spacy

import extract.pipeline as pipeline_module
from extract.errors import ModelNotFoundError
from extract.pipeline import BlankModelWarning, Pipeline, load_pipeline

SENTENCE = "Iran joined BRICS and the Belt and Road initiative last year."


def test_blank_pipeline_has_the_rulers_and_no_ner(blank_pipeline: Pipeline) -> None:
    assert blank_pipeline.model == "blank"
    assert blank_pipeline.statistical is False
    assert blank_pipeline.nlp.pipe_names == ["sentencizer", "diplo_phrases", "diplo_names"]


def test_blank_pipeline_finds_gazetteer_and_country_names(blank_pipeline: Pipeline) -> None:
    doc = blank_pipeline.nlp(SENTENCE)
    assert [(e.text, e.ent_id_) for e in doc.ents] == [
        ("Iran", "country:IRN"),
        ("BRICS", "organization:brics"),
        ("Belt and Road initiative", "initiative:belt-and-road-initiative"),
    ]


def test_blank_pipeline_splits_sentences(blank_pipeline: Pipeline) -> None:
    doc = blank_pipeline.nlp("Iran spoke. China listened.")
    assert [s.text for s in doc.sents] == ["Iran spoke.", "China listened."]


def test_explicit_blank_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_pipeline("blank").model == "blank"


def test_no_installed_model_falls_back_to_blank_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_module, "PREFERRED_MODELS", ("diplograph_no_such_model_a",))
    with pytest.warns(BlankModelWarning, match="diplograph_no_such_model_a"):
        pipe = load_pipeline()
    assert pipe.model == "blank"
    assert pipe.statistical is False


@pytest.mark.parametrize("name", ["diplograph_no_such_model", "en_core_web_nonexistent"])
def test_unknown_model_name_raises(name: str) -> None:
    with pytest.raises(ModelNotFoundError, match=name) as info:
        load_pipeline(name)
    assert "--model blank" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_version_changes_with_the_gazetteers(blank_pipeline: Pipeline, tmp_path: Path) -> None:
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"label": "ORG", "pattern": "Caspian Forum"}) + "\n", encoding="utf-8")
    assert blank_pipeline.version == load_pipeline("blank").version
    assert load_pipeline("blank", gazetteers=[extra]).version != blank_pipeline.version


def test_rulers_do_not_overwrite_each_other(blank_pipeline: Pipeline) -> None:
    # "UN Security Council" is one phrase; "UN" alone is an acronym of the exact ruler
    doc = blank_pipeline.nlp("The UN Security Council met.")
    assert len(doc.ents) == 1
    assert doc.ents[0].text == "UN Security Council"


@pytest.mark.model
def test_model_pipeline_is_statistical(model_pipeline: Pipeline) -> None:
    assert model_pipeline.statistical is True
    assert model_pipeline.model in pipeline_module.PREFERRED_MODELS
    assert "ner" in model_pipeline.nlp.pipe_names


@pytest.mark.model
def test_the_version_comes_from_the_models_meta_without_loading_it() -> None:
    before = pipeline_module.models_loaded()
    pipe = load_pipeline()
    version = pipe.version
    assert pipeline_module.models_loaded() == before and not pipe.loaded
    # the meta read from the package is the loaded model's
    assert (pipe.meta["name"], pipe.meta["version"]) == (pipe.nlp.meta["name"], pipe.nlp.meta["version"])
    assert pipeline_module.models_loaded() == before + 1 and pipe.loaded
    assert version.startswith(f"{pipe.nlp.meta['name']}-{pipe.nlp.meta['version']}+gaz.")


def test_a_model_given_as_a_folder_is_found_and_its_meta_read(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.meta.update({"name": "folder_model", "version": "1.2.3"})
    nlp.to_disk(tmp_path / "model")
    pipe = load_pipeline(str(tmp_path / "model"))
    assert pipe.model_version == "folder_model-1.2.3"
    assert pipe.nlp.pipe_names == ["diplo_phrases", "diplo_names"]


@pytest.mark.model
def test_rulers_run_before_ner(model_pipeline: Pipeline) -> None:
    names = model_pipeline.nlp.pipe_names
    assert names.index("diplo_phrases") < names.index("diplo_names") < names.index("ner")


@pytest.mark.model
def test_model_alone_mistags_brics_and_the_rulers_fix_it(model_pipeline: Pipeline) -> None:
    text = "Leaders of BRICS met in Kazan after Iran joined BRICS."
    bare = spacy.load(model_pipeline.model, exclude=["lemmatizer"])
    assert {e.label_ for e in bare(text).ents if e.text == "BRICS"} == {"GPE"}
    doc = model_pipeline.nlp(text)
    brics = [e for e in doc.ents if e.text == "BRICS"]
    assert len(brics) == 2
    assert {(e.label_, e.ent_id_) for e in brics} == {("ORG", "organization:brics")}


@pytest.mark.model
def test_model_keeps_what_the_rulers_found(model_pipeline: Pipeline) -> None:
    doc = model_pipeline.nlp(SENTENCE)
    ids = {e.text: e.ent_id_ for e in doc.ents}
    assert ids["Iran"] == "country:IRN"
    assert ids["BRICS"] == "organization:brics"
    assert ids["Belt and Road initiative"] == "initiative:belt-and-road-initiative"


@pytest.mark.model
def test_phrase_patterns_are_made_by_the_tokenizer_alone(
    model_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # spaCy's add_patterns pipes the phrases through tok2vec, tagger and parser: load_pipeline
    # adds them with those pipes off, and the rulers match the same spans as with spaCy's way
    ruler = model_pipeline.nlp.get_pipe("diplo_phrases")
    patterns = [doc for docs in ruler.phrase_patterns.values() for doc in docs]  # type: ignore[attr-defined]
    assert patterns and not any(doc.has_annotation("TAG") or doc.has_annotation("DEP") for doc in patterns)

    monkeypatch.setattr(pipeline_module, "_add_patterns", lambda nlp, name, p: nlp.get_pipe(name).add_patterns(p))
    spacy_way = load_pipeline(model_pipeline.model)
    tagged = [d for docs in spacy_way.nlp.get_pipe("diplo_phrases").phrase_patterns.values() for d in docs]  # type: ignore[attr-defined]
    assert all(doc.has_annotation("TAG") for doc in tagged)  # what the shortcut skips
    texts = [
        SENTENCE,
        "The Shanghai Cooperation Organisation summit: Iranian and Chinese envoys, the WHO and the "
        "Joint Comprehensive Plan of Action, then talks in Beijing on the Belt and Road Initiative.",
    ]
    for ours, theirs in zip(model_pipeline.nlp.pipe(texts), spacy_way.nlp.pipe(texts)):
        assert [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in ours.ents] == [
            (e.start_char, e.end_char, e.label_, e.ent_id_) for e in theirs.ents
        ]
        assert any(e.ent_id_ for e in ours.ents)


@pytest.mark.parametrize(("name", "reason"), [("json.decoder", "not a spaCy model package"), ("json", "no meta.json")])
def test_something_installed_that_is_no_model_is_refused(name: str, reason: str) -> None:
    with pytest.raises(ModelNotFoundError, match=reason):
        load_pipeline(name)  # installed: a module, and a package without a model's meta.json
