"""extract.gazetteer: shipped and user entity-ruler JSONL, validation, case handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.errors import GazetteerError
from extract.gazetteer import (
    KIND_OF_LABEL,
    Gazetteer,
    changed_text,
    default_gazetteer_files,
    is_acronym,
    load_gazetteer,
)
from extract.pipeline import Pipeline, load_pipeline


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "mine.jsonl",
        [
            {"label": "ORG", "pattern": "Caspian Littoral Forum", "id": "organization:caspian-forum"},
            {"label": "ORG", "pattern": "CLF", "id": "organization:caspian-forum"},
            {"label": "INITIATIVE", "pattern": "Northern Corridor Plan"},
        ],
    )


def test_default_files_are_shipped() -> None:
    names = {p.name for p in default_gazetteer_files()}
    assert {"initiatives.jsonl", "organizations.jsonl", "regions.jsonl", "state_bodies.jsonl"} <= names
    assert all(p.is_file() for p in default_gazetteer_files())


def test_shipped_gazetteer_loads() -> None:
    gaz = load_gazetteer()
    assert gaz.labels["organization:brics"] == "BRICS"
    assert gaz.countries["organization:supreme-national-security-council"] == "IRN"
    assert len(gaz.files) == len(default_gazetteer_files())
    for p in gaz.patterns:
        assert set(p) == {"label", "pattern", "id"}
        assert ":" in p["id"]


def test_shipped_ids_have_known_kinds() -> None:
    kinds = {p["id"].split(":", 1)[0] for p in load_gazetteer().patterns}
    assert kinds <= {"person", "country", "organization", "initiative", "location", "topic"}


def test_user_file_extends_the_shipped_ones(user_file: Path) -> None:
    shipped = load_gazetteer()
    gaz = load_gazetteer([user_file])
    assert len(gaz.patterns) == len(shipped.patterns) + 3
    assert gaz.labels["organization:caspian-forum"] == "Caspian Littoral Forum"
    assert gaz.labels["organization:brics"] == "BRICS"
    assert gaz.files[-1] == str(user_file)


def test_user_file_alone(user_file: Path) -> None:
    gaz = load_gazetteer([user_file], defaults=False)
    assert [p["id"] for p in gaz.patterns] == [
        "organization:caspian-forum",
        "organization:caspian-forum",
        "initiative:northern-corridor-plan",
    ]


@pytest.mark.parametrize(
    ("record", "derived"),
    [
        ({"label": "ORG", "pattern": "Caspian Littoral Forum"}, "organization:caspian-littoral-forum"),
        ({"label": "initiative", "pattern": "Northern Corridor"}, "initiative:northern-corridor"),
        ({"label": "LOC", "pattern": "the Strait of Hormuz"}, "location:strait-of-hormuz"),
        ({"label": "TOPIC", "pattern": "two-state solution"}, "topic:two-state-solution"),
    ],
)
def test_missing_id_is_derived(record: dict[str, object], derived: str) -> None:
    gaz = Gazetteer()
    gaz.add(record, where="test:1")
    assert gaz.patterns[-1]["id"] == derived
    assert gaz.labels[derived] == record["pattern"]


def test_bad_json_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(
        '{"label": "ORG", "pattern": "Good Body", "id": "organization:good"}\n'
        "\n"
        '{"label": "ORG", "pattern": \n',
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match=r"broken\.jsonl:3: not valid JSON"):
        load_gazetteer([path])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["ORG", "x"]', "expected a JSON object"),
        ('{"pattern": "Body"}', "non-empty string 'label'"),
        ('{"label": "ORG", "pattern": ""}', "'pattern'"),
        ('{"label": "ORG", "pattern": "Body", "id": "no-colon"}', "kind:name"),
        ('{"label": "CUSTOM", "pattern": "Body"}', "none can be derived"),
    ],
)
def test_invalid_records_are_rejected_with_their_place(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        load_gazetteer([path], defaults=False)
    assert f"{path}:1" in str(info.value)
    assert message in str(info.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    with pytest.raises(GazetteerError, match="nope.jsonl"):
        load_gazetteer([path])


def test_undecodable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"label": "ORG", "pattern": "Caf\xe9"}\n')
    with pytest.raises(GazetteerError, match="latin1.jsonl"):
        load_gazetteer([path])


def test_gazetteer_error_is_a_value_error() -> None:
    assert issubclass(GazetteerError, ValueError)


@pytest.mark.parametrize(
    ("text", "acronym"),
    [("WHO", True), ("G20", True), ("U.N.", True), ("P5+1", True), ("BRICS", True),
     ("Hamas", False), ("who", False), ("20", False), ("A", False)],
)
def test_is_acronym(text: str, acronym: bool) -> None:
    assert is_acronym(text) is acronym


def test_split_puts_acronyms_and_token_patterns_in_exact() -> None:
    gaz = Gazetteer()
    gaz.add({"label": "ORG", "pattern": "WHO", "id": "organization:who"}, where="t:1")
    gaz.add({"label": "ORG", "pattern": "World Health Organization", "id": "organization:who"}, where="t:2")
    gaz.add({"label": "ORG", "pattern": [{"LOWER": "quad"}], "id": "organization:quad"}, where="t:3")
    folded, exact = gaz.split()
    assert [p["pattern"] for p in folded] == ["World Health Organization"]
    assert [p["pattern"] for p in exact] == ["WHO", [{"LOWER": "quad"}]]


def test_labels_map_to_node_kinds() -> None:
    assert KIND_OF_LABEL["ORG"] == "organization"
    assert KIND_OF_LABEL["NORP"] == "country"
    assert KIND_OF_LABEL["INITIATIVE"] == "initiative"


# --- in the pipeline: case handling ---------------------------------------------------------


def ents(pipeline: Pipeline, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.ent_id_) for e in pipeline.nlp(text).ents]


def test_acronyms_match_case_sensitively(blank_pipeline: Pipeline) -> None:
    assert ("WHO", "organization:world-health-organization") in ents(
        blank_pipeline, "The WHO warned of an outbreak."
    )
    assert ents(blank_pipeline, "Officials who spoke asked who would pay.") == []


def test_names_match_whatever_their_case(blank_pipeline: Pipeline) -> None:
    found = ents(blank_pipeline, "Iran joined the belt and road initiative.")
    assert ("belt and road initiative", "initiative:belt-and-road-initiative") in found


def test_country_names_are_case_sensitive(blank_pipeline: Pipeline) -> None:
    assert ents(blank_pipeline, "Chad signed.") == [("Chad", "country:TCD")]
    assert ents(blank_pipeline, "chad signed.") == []


def test_user_gazetteer_reaches_the_pipeline(user_file: Path) -> None:
    pipe = load_pipeline("blank", gazetteers=[user_file])
    found = ents(pipe, "The Caspian Littoral Forum (CLF) backed the Northern Corridor Plan; clf did not.")
    assert found == [
        ("Caspian Littoral Forum", "organization:caspian-forum"),
        ("CLF", "organization:caspian-forum"),
        ("Northern Corridor Plan", "initiative:northern-corridor-plan"),
    ]


# --- what a change of gazetteer can touch -------------------------------------------------------

CORRIDOR = {"label": "LOC", "pattern": "Middle Corridor", "id": "location:middle-corridor"}
FORUM = {"label": "ORG", "pattern": "Caspian Littoral Forum", "id": "organization:caspian-forum"}


def state_of(records: list[dict[str, object]]) -> dict[str, object]:
    gaz = Gazetteer()
    for number, record in enumerate(records):
        gaz.add(dict(record), where=f"line {number}")
    return gaz.state()


def test_no_change_touches_no_text() -> None:
    state = state_of([CORRIDOR, FORUM])
    touched = changed_text(state, state_of([CORRIDOR, FORUM]))
    assert touched is not None and not touched("Trucks took the Middle Corridor to the Caspian Littoral Forum.")


def test_an_added_entry_touches_the_texts_naming_it_however_written() -> None:
    touched = changed_text(state_of([FORUM]), state_of([FORUM, CORRIDOR]))
    assert touched is not None
    for text in ("Trucks took the Middle Corridor.", "the middle-corridor", "MIDDLE\nCORRIDOR", "Middle Corridór"):
        assert touched(text), text
    assert not touched("The Caspian Littoral Forum met in Baku.")
    assert not touched("A corridor in the middle of Baku.")


def test_a_changed_country_label_or_parent_touches_the_entry_and_its_parts() -> None:
    council = {"label": "ORG", "pattern": "Guardian Council", "id": "organization:guardian-council"}
    part = {"label": "ORG", "pattern": "Guardian Council Secretariat", "id": "organization:gc-secretariat",
            "part_of": "organization:guardian-council"}
    before = state_of([council, part, CORRIDOR])
    for changed in ({"country": "IRN"}, {"name": "The Council"}):
        after = [{**council, **changed}, part, CORRIDOR]
        touched = changed_text(before, state_of(after))
        assert touched is not None
        assert touched("The Guardian Council vetted candidates.")
        assert touched("The gc secretariat wrote.")  # the part, by the words of its id
        assert not touched("Trucks took the Middle Corridor.")
    # an entity the model found under an id of the entry's words gets the entry's label: touched
    renamed = changed_text(state_of([FORUM]), state_of([{**FORUM, "name": "Caspian Forum"}]))
    assert renamed is not None and renamed("The Caspian Forum met.") and not renamed("Baku hosted talks.")


def test_with_the_tokenizer_a_name_must_be_whole_tokens(blank_pipeline: Pipeline) -> None:
    def tokens(text: str) -> list[str]:
        return [t.text for t in blank_pipeline.nlp.tokenizer(text)]

    before = state_of([FORUM])
    after = state_of([FORUM, {"label": "ORG", "pattern": "ENV", "id": "organization:env"}])
    loose, whole = changed_text(before, after), changed_text(before, after, tokens=tokens)
    assert loose is not None and whole is not None
    for text in ("ENV met.", "The env, in Baku.", "(ENV)", "E.N.V. met"):
        assert loose(text) and whole(text), text
    for text in ("Saudi envoys met.", "Seven visitors", "10ENV"):  # one token each
        assert loose(text) and not whole(text), text


def test_what_can_touch_every_text_says_so() -> None:
    # the unchanged entries in another order: the rulers may prefer another of two equal matches
    assert changed_text(state_of([FORUM, CORRIDOR]), state_of([CORRIDOR, FORUM])) is None
    regex = {"label": "ORG", "pattern": [{"TEXT": {"REGEX": "^Forum"}}], "id": "organization:forums"}
    assert changed_text(state_of([FORUM]), state_of([FORUM, regex])) is None
    unwritten = {"label": "ORG", "pattern": "東盟", "id": "organization:x"}  # no ASCII letter to look for
    assert changed_text(state_of([FORUM]), state_of([FORUM, unwritten])) is None
    words = [{"LOWER": "black"}, {"ORTH": "Sea"}, {"TEXT": "Forum"}]
    literal = {"label": "ORG", "pattern": words, "id": "organization:bsf"}
    touched = changed_text(state_of([FORUM]), state_of([FORUM, literal]))
    assert touched is not None and touched("The Black Sea Forum met.")
    assert not touched("The Caspian Littoral Forum met.")


def test_the_pipeline_version_follows_every_field_extraction_reads(tmp_path: Path) -> None:
    base = load_pipeline("blank", gazetteers=[write_jsonl(tmp_path / "a.jsonl", [FORUM])]).version
    for i, change in enumerate(({"country": "AZE"}, {"name": "Caspian Forum"}, {"national": True},
                                {"part_of": "organization:brics"})):
        other = load_pipeline("blank", gazetteers=[write_jsonl(tmp_path / f"b{i}.jsonl", [{**FORUM, **change}])])
        assert other.version != base, change
