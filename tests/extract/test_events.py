from __future__ import annotations

import datetime as dt

import pytest

from extract.document import extract_article
from extract.pipeline import Pipeline, load_pipeline
from sources.records import Article

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    return load_pipeline()


def events_of(pipe: Pipeline, text: str, published: dt.date | None = dt.date(2023, 9, 11)):  # type: ignore[no-untyped-def]
    return extract_article(pipe, Article("doc", text, published=published)).events


def test_meeting_with_place_date_and_participants(nlp: Pipeline) -> None:
    (event,) = events_of(nlp, "Turkish Foreign Minister Hakan Fidan met with Russian Foreign Minister "
                              "Sergei Lavrov in Moscow on Thursday.", dt.date(2023, 9, 1))
    assert event.event_type == "meeting"
    assert set(event.participants) == {"person:hakan-fidan", "person:sergei-lavrov"}
    assert event.date == "2023-08-31"
    assert event.location == "location:moscow"
    assert event.cameo == "040"


@pytest.mark.parametrize(
    ("sentence", "initiator"),
    [
        ("Chinese Foreign Minister Wang Yi held phone talks with Turkish Foreign Minister Hakan Fidan "
         "on Sunday at the latter's request.", "person:hakan-fidan"),
        ("Chinese Foreign Minister Wang Yi held phone talks with Turkish Foreign Minister Hakan Fidan "
         "on Sunday at the request of Fidan.", "person:hakan-fidan"),
        ("Chinese Foreign Minister Wang Yi held phone talks with Turkish Foreign Minister Hakan Fidan "
         "at request on Sunday.", "person:hakan-fidan"),
        ("Turkish Foreign Minister Hakan Fidan called Chinese Foreign Minister Wang Yi on Sunday.",
         "person:hakan-fidan"),
    ],
)
def test_phone_call_initiator(nlp: Pipeline, sentence: str, initiator: str) -> None:
    (event,) = events_of(nlp, sentence)
    assert event.event_type == "phone_call"
    assert event.initiator == initiator
    assert event.date == "2023-09-10"
    assert event.plover_mode == "phone"


def test_visit_has_visitor_and_host(nlp: Pipeline) -> None:
    (event,) = events_of(nlp, "Japanese Prime Minister Fumio Kishida arrived in Washington on Monday on a state "
                              "visit at the invitation of U.S. President Joe Biden.", dt.date(2024, 4, 9))
    assert event.event_type == "visit"
    assert event.participants[0] == "person:fumio-kishida"
    assert event.host == "person:joe-biden"
    assert event.date == "2024-04-08"


@pytest.mark.parametrize(
    ("sentence", "host", "location"),
    [
        ("Indian Prime Minister Narendra Modi flew to Vienna on Tuesday for an official visit to Austria "
         "at the invitation of Chancellor Karl Nehammer.", "person:karl-nehammer", "location:vienna"),
        ("Kenyan President William Ruto began a state visit to the United States on Monday at the "
         "invitation of President Joe Biden.", "person:joe-biden", "country:USA"),
    ],
)
def test_a_visit_takes_place_where_the_visitor_went_never_at_its_host(
    nlp: Pipeline, sentence: str, host: str, location: str
) -> None:
    (event,) = events_of(nlp, sentence)
    assert event.event_type == "visit"
    assert event.host == host
    assert event.location == location


def test_the_two_people_a_group_reference_stands_for_both_take_part(nlp: Pipeline) -> None:
    text = ("Turkish Foreign Minister Hakan Fidan and Egyptian Foreign Minister Sameh Shoukry arrived in "
            "Jakarta on Sunday. Indonesian Foreign Minister Retno Marsudi met the two ministers together on Monday.")
    (event,) = [e for e in events_of(nlp, text) if "person:retno-marsudi" in e.participants]
    assert set(event.participants) == {"person:retno-marsudi", "person:hakan-fidan", "person:sameh-shoukry"}


def test_a_subject_pronoun_after_an_opening_phrase_and_people_joined_by_and(nlp: Pipeline) -> None:
    text = ("Omani Foreign Minister Badr Albusaidi has hosted several rounds of talks. Last week he "
            "received U.S. envoy Brett McGurk and Iranian Foreign Minister Abbas Araghchi in Muscat.")
    (event,) = events_of(nlp, text)
    assert set(event.participants) == {"person:badr-albusaidi", "person:brett-mcgurk", "person:abbas-araghchi"}
    assert event.location == "location:muscat"


def test_a_name_after_a_bare_comma_is_not_joined_to_the_participants(nlp: Pipeline) -> None:
    (event,) = events_of(nlp, "Chinese Foreign Minister Wang Yi met Turkish Foreign Minister Hakan Fidan "
                              "in Beijing on Monday, Russian Foreign Minister Sergei Lavrov said.")
    assert set(event.participants) == {"person:wang-yi", "person:hakan-fidan"}


def test_a_pronoun_in_a_subordinate_clause_stands_for_no_participant(nlp: Pipeline) -> None:
    text = ("Turkish Foreign Minister Hakan Fidan spoke in Moscow on Thursday. "
            "It was his first visit to Russia since he took office in June.")
    assert list(events_of(nlp, text)) == []


def test_one_contact_told_twice_in_an_article_is_one_event(nlp: Pipeline) -> None:
    text = ("Chinese Foreign Minister Wang Yi met with Turkish Foreign Minister Hakan Fidan in Beijing on Monday.\n\n"
            "The meeting between Wang Yi and Fidan was the first this year.")
    (event,) = events_of(nlp, text)
    assert len(event.sentences) == 2


def test_a_sentence_without_two_people_is_no_contact(nlp: Pipeline) -> None:
    assert events_of(nlp, "During the meeting, the minister said trade had grown.") == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Indian Prime Minister Narendra Modi and Chinese President Xi Jinping are expected to hold a "
        "meeting with each other at the summit.",
        "Officials raised the possibility of a meeting between Narendra Modi and Xi Jinping.",
    ],
)
def test_a_contact_that_has_not_happened_is_no_event(nlp: Pipeline, sentence: str) -> None:
    assert events_of(nlp, sentence) == ()
