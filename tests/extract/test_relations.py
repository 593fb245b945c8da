from __future__ import annotations

import pytest

from extract.document import extract_article
from extract.pipeline import Pipeline, load_pipeline
from sources.records import Article

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    return load_pipeline()


def triples(pipe: Pipeline, text: str) -> set[tuple[str, str, str]]:
    rec = extract_article(pipe, Article("doc", text))
    return {(r.subject, r.relation, r.object) for r in rec.relations}


def test_speaker_is_not_the_subject(nlp: Pipeline) -> None:
    found = triples(nlp, "Turkish Foreign Minister Hakan Fidan said Turkey supports Ukraine in defending its sovereignty.")
    assert ("country:TUR", "supports", "country:UKR") in found
    assert not any(s == "person:hakan-fidan" and r == "supports" for s, r, _ in found)


def test_the_chinese_side_is_china(nlp: Pipeline) -> None:
    found = triples(nlp, "The Chinese side supports Pakistan's efforts to safeguard its security.")
    assert ("country:CHN", "supports", "country:PAK") in found


def test_mediation_between_two_parties(nlp: Pipeline) -> None:
    found = triples(nlp, "Qatar played a key role in facilitating reconciliation between Egypt and Turkey.")
    assert {("country:QAT", "mediates", "country:EGY"), ("country:QAT", "mediates", "country:TUR")} <= found


CONTACT = ("Egyptian Foreign Minister Sameh Shoukry met Turkish Foreign Minister Mevlut Cavusoglu "
           "in Cairo on Saturday. ")


@pytest.mark.parametrize(
    "sentence",
    [
        "The two countries agreed to restore ambassadors after talks mediated by Oman.",
        "The two countries have restored ties under a deal that Oman helped to broker.",
        "Both governments thanked Oman, which brokered the agreement.",
    ],
)
def test_a_named_mediator_between_the_pair_the_article_is_about(nlp: Pipeline, sentence: str) -> None:
    found = triples(nlp, CONTACT + sentence)
    assert {("country:OMN", "mediates", "country:EGY"), ("country:OMN", "mediates", "country:TUR")} <= found


@pytest.mark.parametrize(
    "sentence",
    [
        "Earlier talks on Libya were mediated by Oman.",  # no pair: mediation of something else
        "The two countries agreed to restore ambassadors after talks in Muscat.",  # no mediator named
    ],
)
def test_no_mediation_without_a_named_mediator_and_a_pair(nlp: Pipeline, sentence: str) -> None:
    found = triples(nlp, CONTACT + sentence)
    assert not any(r == "mediates" for _, r, _ in found)


def test_partnership_with_its_type(nlp: Pipeline) -> None:
    rec = extract_article(nlp, Article("doc", "Vietnam and the United States raised their ties to a "
                                               "comprehensive strategic partnership."))
    (rel,) = [r for r in rec.relations if r.relation == "partnership"]
    assert {rel.subject, rel.object} == {"country:VNM", "country:USA"}
    assert rel.partnership_type == "comprehensive strategic partnership"


def test_opposing_a_thing_is_not_opposing_the_country_it_happens_in(nlp: Pipeline) -> None:
    found = triples(nlp, "China opposes any external interference in Iran's internal affairs.")
    assert ("country:CHN", "opposes", "country:IRN") not in found


def test_membership(nlp: Pipeline) -> None:
    found = triples(nlp, "Egypt joined BRICS on January 1.")
    assert ("country:EGY", "member_of", "organization:brics") in found
