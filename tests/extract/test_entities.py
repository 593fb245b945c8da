"""extract.entities: clean spans, short names, titles and countries of people, true offsets.

The sentences are written for these tests in wire style; none comes from the seeds.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from extract.document import extract_article
from extract.entities import find_mentions, summarize_entities
from extract.pipeline import Pipeline
from extract.records import DocumentRecord, Entity
from extract.text import normalize_chars
from sources.records import Article

FIDAN = (
    "ANKARA (Wire) \u2014 Turkish Foreign Minister Hakan Fidan met Russian Foreign Minister "
    "Sergei Lavrov in Moscow on Monday, the ministry said. Fidan\u2019s office called the talks "
    "\u201cconstructive\u201d. \u201cWe agreed on the next steps,\u201d Fidan told reporters."
)
HYPHEN = (
    "Iranian Foreign Minister Hossein Amir-Abdollahian flew to Muscat on Sunday. "
    "Amir-Abdollahian said Tehran wanted a quick answer."
)
ACTING = (
    "Acting Iranian Foreign Minister Ali Bagheri Kani arrived in Beijing on Tuesday for talks "
    "with Chinese officials. Bagheri Kani said Tehran wanted closer ties."
)
APPOSITION_BEFORE = (
    "Chinese Foreign Minister Wang Yi held talks in Beijing on Thursday with the Secretary of "
    "Iran's Supreme National Security Council, Ali Akbar Ahmadian, the ministry said."
)
APPOSITION_AFTER = (
    "Ali Akbar Ahmadian, secretary of Iran\u2019s Supreme National Security Council, arrived in "
    "Beijing on Thursday. Ahmadian later met Wang Yi."
)
WIRE = (
    "BEIJING, Sept. 3 (Wire) \u2013 The United Nations and the Shanghai Cooperation "
    "Organisation welcomed China\u2018s offer on Tuesday.\r\n\r\nIran\u2019s envoy said "
    "\u201cthe BRICS\u201d group and the WHO\u00a0backed it \u2014 a first\u200b for "
    "Tehran \U0001F1EE\U0001F1F7. The Belt and Road Initiative was not mentioned.\n"
)


def run(pipeline: Pipeline, text: str, **kwargs: object) -> DocumentRecord:
    return extract_article(pipeline, Article("doc", text, **kwargs))  # type: ignore[arg-type]


def people(rec: DocumentRecord) -> dict[str, Entity]:
    return {e.id: e for e in rec.entities if e.kind == "person"}


def entity_ids(rec: DocumentRecord, kind: str | None = None) -> list[str]:
    return sorted({m.entity for m in rec.mentions if kind is None or m.kind == kind})


def assert_offsets_exact(rec: DocumentRecord, text: str) -> None:
    assert rec.mentions, "expected at least one mention"
    for m in rec.mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text, m


# --- with the rules alone -------------------------------------------------------------------


def test_offsets_point_into_the_text_as_read(blank_pipeline: Pipeline) -> None:
    rec = run(blank_pipeline, WIRE)
    assert_offsets_exact(rec, WIRE)
    # the mention keeps the article's own characters, not the normalized ones
    assert entity_ids(rec) == [
        "country:CHN",
        "country:IRN",
        "initiative:belt-and-road-initiative",
        "organization:brics",
        "organization:shanghai-cooperation-organization",
        "organization:united-nations",
        "organization:world-health-organization",
    ]


@pytest.mark.parametrize(
    ("text", "surface", "entity"),
    [
        ("The United Nations voted.", "United Nations", "organization:united-nations"),
        ("Delegates from the Shanghai Cooperation Organisation met.", "Shanghai Cooperation Organisation",
         "organization:shanghai-cooperation-organization"),
        ("Officials said the BRICS would grow.", "BRICS", "organization:brics"),
        ("Iran\u2019s envoy spoke.", "Iran", "country:IRN"),
        ("China\u2018s envoy spoke.", "China", "country:CHN"),
        ("China's envoy spoke.", "China", "country:CHN"),
        ("Members of \u201cBRICS\u201d spoke.", "BRICS", "organization:brics"),
    ],
)
def test_spans_lose_determiners_quotes_and_possessives(
    blank_pipeline: Pipeline, text: str, surface: str, entity: str
) -> None:
    rec = run(blank_pipeline, text)
    assert [(m.text, m.entity) for m in rec.mentions] == [(surface, entity)]
    assert_offsets_exact(rec, text)


def test_possessives_and_curly_quotes_make_no_second_entity(blank_pipeline: Pipeline) -> None:
    text = "China met Iran. China\u2018s envoy and Iran\u2019s envoy spoke of \u201cIran\u201d and China's role."
    rec = run(blank_pipeline, text)
    assert entity_ids(rec) == ["country:CHN", "country:IRN"]
    assert {e.id: e.aliases for e in rec.entities} == {
        "country:CHN": ("China",),
        "country:IRN": ("Iran",),
    }
    assert_offsets_exact(rec, text)


def test_country_entities_carry_label_and_iso3(blank_pipeline: Pipeline) -> None:
    rec = run(blank_pipeline, "Chinese and Iranian diplomats met in the Islamic Republic of Iran.")
    entities = {e.id: e for e in rec.entities}
    assert entities["country:IRN"].label == "Iran"
    assert entities["country:IRN"].iso3 == "IRN"
    assert set(entities["country:IRN"].aliases) == {"Iranian", "Islamic Republic of Iran"}
    assert entities["country:CHN"].aliases == ("Chinese",)


@pytest.mark.parametrize("pipeline_name", ["blank_pipeline", pytest.param("model_pipeline", marks=pytest.mark.model)])
def test_page_furniture_never_produces_mentions(request: pytest.FixtureRequest, pipeline_name: str) -> None:
    pipeline: Pipeline = request.getfixturevalue(pipeline_name)
    menu = "Share | BRICS News | Iran Today | Follow Sergei Lavrov on X\n"
    body = "TEHRAN (Wire) - Iran hosted BRICS envoys on Monday, China said.\n"
    credit = "Photo: UN / Kremlin pool\n"
    text = menu + body + credit
    furniture = ((0, len(menu) - 1), (len(menu) + len(body), len(text) - 1))
    rec = run(pipeline, text, furniture=furniture)
    assert_offsets_exact(rec, text)
    for m in rec.mentions:
        for start, end in furniture:
            assert not (m.start < end and start < m.end), f"{m} lies in furniture {start}-{end}"
    assert {"country:IRN", "organization:brics", "country:CHN"} <= set(entity_ids(rec))
    assert "organization:united-nations" not in entity_ids(rec)
    assert not any("Lavrov" in m.text for m in rec.mentions)


def test_find_mentions_takes_texts_from_the_original(blank_pipeline: Pipeline) -> None:
    original = "China\u2019s and Iran\u2019s \u201cBelt and Road Initiative\u201d talks."
    doc = blank_pipeline.nlp(normalize_chars(original))
    mentions, roles, cands = find_mentions(doc, blank_pipeline.gazetteer, original=original)
    assert [m.text for m in mentions] == ["China", "Iran", "Belt and Road Initiative"]
    assert all(original[m.start : m.end] == m.text for m in mentions)
    assert all(m.sentence == 0 for m in mentions)
    assert roles == []
    assert set(cands) == {m.entity for m in mentions}


def test_national_bodies_are_qualified_by_their_country(blank_pipeline: Pipeline) -> None:
    text = "China\u2019s Foreign Ministry and Iran's Foreign Ministry issued statements."
    rec = run(blank_pipeline, text)
    orgs = entity_ids(rec, "organization")
    assert len(orgs) == 2
    assert orgs[0].endswith("-chn") and orgs[1].endswith("-irn")
    assert_offsets_exact(rec, text)


def test_summarize_entities_counts_every_alias(blank_pipeline: Pipeline) -> None:
    text = "The UN and the United Nations are one body; the UN said so."
    doc = blank_pipeline.nlp(text)
    mentions, roles, cands = find_mentions(doc, blank_pipeline.gazetteer)
    [un] = summarize_entities(cands.values(), mentions, roles, blank_pipeline.gazetteer)
    assert un.id == "organization:united-nations"
    assert un.label == "United Nations"
    assert un.aliases == ("UN", "United Nations")
    assert un.country is None and un.titles == ()


def tagged(pipeline: Pipeline, text: str, spans: dict[str, str]) -> Doc:
    """``text`` parsed by the rules, plus the entity spans a model would add ({surface: label})."""
    doc = pipeline.nlp(text)
    extra = []
    for surface, label in spans.items():
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        extra.append(span)
    kept = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in extra)]
    doc.ents = sorted(kept + extra, key=lambda e: e.start)
    return doc


def mentions_and_roles(pipeline: Pipeline, doc: Doc) -> tuple[dict[str, str], dict[str, set[tuple[str, str | None]]]]:
    mentions, roles, _ = find_mentions(doc, pipeline.gazetteer)
    titles: dict[str, set[tuple[str, str | None]]] = {}
    for r in roles:
        titles.setdefault(r.person, set()).add((r.title, r.country))
    return {m.text: m.entity for m in mentions}, titles


def test_a_country_and_title_tagged_as_one_span_keep_the_country(blank_pipeline: Pipeline) -> None:
    # the model tags "Saudi Crown Prince" NORP as a whole: the country must not be lost with it
    text = "Officials met Saudi Crown Prince Khalid Nasser in Jeddah on Monday."
    doc = tagged(blank_pipeline, text, {"Saudi Crown Prince": "NORP", "Khalid Nasser": "PERSON"})
    found, titles = mentions_and_roles(blank_pipeline, doc)
    assert found["Saudi"] == "country:SAU"
    assert titles["person:khalid-nasser"] == {("Crown Prince", "SAU")}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("The envoys landed at Marvosk airport on Monday.", False),
        ("Talks were held at Marvosk palace, the ministry said.", False),
        ("Aid trucks entered through the Marvosk crossing.", False),
        ("Fighting went on in eastern Marvosk for a week.", False),
        ("Marvosk said the envoys had landed.", True),
    ],
)
def test_a_name_before_a_place_noun_is_a_place(blank_pipeline: Pipeline, text: str, person: bool) -> None:
    found, _ = mentions_and_roles(blank_pipeline, tagged(blank_pipeline, text, {"Marvosk": "PERSON"}))
    assert found["Marvosk"] == ("person:marvosk" if person else "location:marvosk")


def test_a_list_item_is_no_apposition_of_the_name_before_it(blank_pipeline: Pipeline) -> None:
    text = ("The Minister of Foreign Affairs of Jordan, Prince Rashid Hassan, and Qatar's foreign "
            "minister, Omar Khalil, agreed to meet again.")
    doc = tagged(blank_pipeline, text, {"Rashid Hassan": "PERSON", "Omar Khalil": "PERSON"})
    _, titles = mentions_and_roles(blank_pipeline, doc)
    # the title across the honorific names Jordan; Qatar's title belongs to the next name only
    assert titles["person:rashid-hassan"] == {("Prince", None), ("Foreign Minister", "JOR")}
    assert titles["person:omar-khalil"] == {("Foreign Minister", "QAT")}


def test_an_apposition_reads_past_what_the_body_is(blank_pipeline: Pipeline) -> None:
    text = "He received Tamar Levy, the head of Israel's Mossad spy agency, in Doha."
    _, titles = mentions_and_roles(blank_pipeline, tagged(blank_pipeline, text, {"Tamar Levy": "PERSON"}))
    assert titles["person:tamar-levy"] == {("Head", "ISR")}


def test_a_demonym_taken_for_a_name_before_a_title_is_the_country(blank_pipeline: Pipeline) -> None:
    text = "Kazakh President Nurlan Sadykov hosted the summit."
    doc = tagged(blank_pipeline, text, {"Kazakh": "PERSON", "Nurlan Sadykov": "ORG"})
    found, titles = mentions_and_roles(blank_pipeline, doc)
    assert found["Kazakh"] == "country:KAZ"
    assert found["Nurlan Sadykov"] == "person:nurlan-sadykov"
    assert titles["person:nurlan-sadykov"] == {("President", "KAZ")}


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Amina Bello Sow, chairperson of the African Union Commission, spoke first.", "person:amina-bello-sow"),
        ("Amina Bello Sow, a trading house in Dakar, spoke first.", "organization:amina-bello-sow"),
        ("Amina Bello Sow and the African Union Commission spoke first.", "organization:amina-bello-sow"),
    ],
)
def test_a_name_tagged_as_a_body_is_a_person_when_a_title_stands_beside_it(
    blank_pipeline: Pipeline, text: str, entity: str
) -> None:
    found, _ = mentions_and_roles(blank_pipeline, tagged(blank_pipeline, text, {"Amina Bello Sow": "ORG"}))
    assert found["Amina Bello Sow"] == entity


def test_an_honorific_is_no_part_of_the_name_and_a_cut_name_is_taken_in_whole(blank_pipeline: Pipeline) -> None:
    text = "Kuwaiti Prime Minister and Foreign Minister Sheikh Ahmad bin Nawaf Al Sabah arrived on Monday."
    doc = tagged(blank_pipeline, text, {"Sheikh Ahmad bin Nawaf": "PERSON"})
    found, titles = mentions_and_roles(blank_pipeline, doc)
    assert found["Ahmad bin Nawaf Al Sabah"] == "person:ahmad-bin-nawaf-al-sabah"
    # two titles joined by "and", both of the state named before them
    assert titles["person:ahmad-bin-nawaf-al-sabah"] == {("Prime Minister", "KWT"), ("Foreign Minister", "KWT")}


def test_a_name_cut_at_a_particle_takes_in_the_place_the_model_saw_after_it(blank_pipeline: Pipeline) -> None:
    text = "Commission President Anna von der Berg arrived by train."
    found, _ = mentions_and_roles(blank_pipeline, tagged(blank_pipeline, text, {"Anna von": "PERSON", "Berg": "GPE"}))
    assert found == {"Anna von der Berg": "person:anna-von-der-berg"}


def test_a_title_before_and_without_a_state_may_be_someone_elses(blank_pipeline: Pipeline) -> None:
    text = "They met the President and Foreign Minister Li Wen in the capital."
    _, titles = mentions_and_roles(blank_pipeline, tagged(blank_pipeline, text, {"Li Wen": "PERSON"}))
    assert titles["person:li-wen"] == {("Foreign Minister", None)}


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("Talks with India's national security adviser Ravi Menon went on.", {("National Security Adviser", "IND")}),
        ("Talks with the national security adviser Ravi Menon went on.", None),
    ],
)
def test_a_lowercase_title_names_its_holder_after_a_state(
    blank_pipeline: Pipeline, text: str, titles: set[tuple[str, str]] | None
) -> None:
    # the model tagged the name FAC: a title beside it still makes it a person
    found, roles = mentions_and_roles(blank_pipeline, tagged(blank_pipeline, text, {"Ravi Menon": "FAC"}))
    assert roles.get("person:ravi-menon") == titles
    assert found["Ravi Menon"] == ("person:ravi-menon" if titles else "location:ravi-menon")


# --- with the statistical model: people ----------------------------------------------------


@pytest.mark.model
def test_two_ministers_in_one_list_each_keep_their_own_state(model_pipeline: Pipeline) -> None:
    text = ("The Minister of Foreign Affairs of the Republic of Korea, Park Jin, and Japan's foreign "
            "minister, Yoko Kamikawa, agreed in Seoul on Friday to resume regular talks.")
    rec = run(model_pipeline, text)
    found = people(rec)
    assert found["person:park-jin"].country == "KOR"
    assert found["person:yoko-kamikawa"].country == "JPN"
    assert {(r.title, r.country) for r in rec.roles if r.person == "person:park-jin"} == {("Foreign Minister", "KOR")}


@pytest.mark.model
def test_head_of_a_national_agency_acts_for_its_state(model_pipeline: Pipeline) -> None:
    rec = run(model_pipeline, "He also hosted Ronen Bar, the head of Israel's Mossad intelligence agency, in Cairo.")
    bar = people(rec)["person:ronen-bar"]
    assert (bar.country, bar.titles) == ("ISR", ("Head",))


@pytest.mark.model
def test_bare_surname_resolves_to_the_full_name(model_pipeline: Pipeline) -> None:
    rec = run(model_pipeline, FIDAN)
    fidan = [m for m in rec.mentions if "Fidan" in m.text]
    assert [m.text for m in fidan] == ["Hakan Fidan", "Fidan", "Fidan"]
    assert {m.entity for m in fidan} == {"person:hakan-fidan"}
    assert entity_ids(rec, "person") == ["person:hakan-fidan", "person:sergei-lavrov"]
    assert people(rec)["person:hakan-fidan"].aliases == ("Fidan", "Hakan Fidan")
    assert people(rec)["person:hakan-fidan"].label == "Hakan Fidan"
    assert_offsets_exact(rec, FIDAN)


@pytest.mark.model
def test_hyphenated_surname(model_pipeline: Pipeline) -> None:
    rec = run(model_pipeline, HYPHEN)
    assert entity_ids(rec, "person") == ["person:hossein-amir-abdollahian"]
    person = people(rec)["person:hossein-amir-abdollahian"]
    assert person.aliases == ("Amir-Abdollahian", "Hossein Amir-Abdollahian")
    assert person.country == "IRN"
    assert_offsets_exact(rec, HYPHEN)


@pytest.mark.model
def test_hyphenated_surname_with_a_unicode_hyphen(model_pipeline: Pipeline) -> None:
    text = HYPHEN.replace("-", "\u2010")
    rec = run(model_pipeline, text)
    assert entity_ids(rec, "person") == ["person:hossein-amir-abdollahian"]
    assert [m.text for m in rec.mentions if m.kind == "person"] == [
        "Hossein Amir\u2010Abdollahian",
        "Amir\u2010Abdollahian",
    ]
    assert_offsets_exact(rec, text)


@pytest.mark.model
def test_title_read_from_the_left(model_pipeline: Pipeline) -> None:
    rec = run(model_pipeline, ACTING)
    person = people(rec)["person:ali-bagheri-kani"]
    assert person.titles == ("Acting Foreign Minister",)
    assert person.country == "IRN"
    assert [m.text for m in rec.mentions if m.kind == "person"] == ["Ali Bagheri Kani", "Bagheri Kani"]
    [role] = rec.roles
    assert (role.person, role.title, role.organization, role.country, role.sentence) == (
        "person:ali-bagheri-kani", "Acting Foreign Minister", None, "IRN", 0,
    )


@pytest.mark.model
@pytest.mark.parametrize("text", [APPOSITION_BEFORE, APPOSITION_AFTER], ids=["before", "after"])
def test_title_read_from_an_apposition(model_pipeline: Pipeline, text: str) -> None:
    rec = run(model_pipeline, text)
    person = people(rec)["person:ali-akbar-ahmadian"]
    assert person.titles == ("Secretary",)
    assert person.country == "IRN"
    roles = [r for r in rec.roles if r.person == "person:ali-akbar-ahmadian"]
    assert [(r.title, r.organization, r.country) for r in roles] == [
        ("Secretary", "organization:supreme-national-security-council", "IRN")
    ]
    assert_offsets_exact(rec, text)


@pytest.mark.model
def test_person_country_comes_from_the_title_context(model_pipeline: Pipeline) -> None:
    rec = run(model_pipeline, FIDAN + " " + APPOSITION_BEFORE)
    countries = {pid: e.country for pid, e in people(rec).items()}
    assert countries == {
        "person:hakan-fidan": "TUR",
        "person:sergei-lavrov": "RUS",
        "person:wang-yi": "CHN",
        "person:ali-akbar-ahmadian": "IRN",
    }
    assert people(rec)["person:wang-yi"].titles == ("Foreign Minister",)


@pytest.mark.model
def test_person_without_a_title_has_no_country(model_pipeline: Pipeline) -> None:
    rec = run(model_pipeline, APPOSITION_AFTER)
    wang = people(rec)["person:wang-yi"]
    assert wang.country is None
    assert wang.titles == ()


@pytest.mark.model
def test_possessives_and_quotes_on_people_make_no_second_entity(model_pipeline: Pipeline) -> None:
    text = FIDAN + " Lavrov\u2019s aides and \u201cLavrov\u201d himself agreed; Lavrov's deputy too."
    rec = run(model_pipeline, text)
    assert entity_ids(rec, "person") == ["person:hakan-fidan", "person:sergei-lavrov"]
    lavrov = [m for m in rec.mentions if "Lavrov" in m.text]
    assert [m.text for m in lavrov] == ["Sergei Lavrov", "Lavrov", "Lavrov", "Lavrov"]
    assert {m.entity for m in lavrov} == {"person:sergei-lavrov"}
    assert_offsets_exact(rec, text)


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [FIDAN, HYPHEN, ACTING, APPOSITION_BEFORE, APPOSITION_AFTER, WIRE],
    ids=["fidan", "hyphen", "acting", "apposition-before", "apposition-after", "wire"],
)
def test_model_offsets_point_into_the_text_as_read(model_pipeline: Pipeline, text: str) -> None:
    rec = run(model_pipeline, text)
    assert_offsets_exact(rec, text)
    for s in rec.sentences:
        assert text[s.start : s.end].strip() == s.text
