"""extract.linking: one corpus-wide id per entity, whatever the documents and their order."""

from __future__ import annotations

import itertools

import pytest

from extract.linking import LinkedEntity, link_records
from extract.records import DocumentRecord, Entity, Mention, Role
from extract.text import slugify


def person_doc(doc_id: str, *names: str, roles: tuple[Role, ...] = ()) -> DocumentRecord:
    """A record whose text is the names one after another, each its own document-level person."""
    mentions, entities, pos = [], [], 0
    for name in names:
        pid = f"person:{slugify(name)}"
        mentions.append(Mention(pos, pos + len(name), name, "person", pid, 0, "PERSON"))
        if all(e.id != pid for e in entities):
            entities.append(Entity(pid, "person", name, (name,)))
        pos += len(name) + 1
    return DocumentRecord(doc_id, mentions=tuple(mentions), entities=tuple(entities), roles=roles)


def place_doc(doc_id: str, surface: str, ent_id: str, kind: str = "location") -> DocumentRecord:
    return DocumentRecord(
        doc_id,
        mentions=(Mention(0, len(surface), surface, kind, ent_id, 0),),
        entities=(Entity(ent_id, kind, surface, (surface,)),),
    )


def ids(linked: list[DocumentRecord]) -> dict[str, list[str]]:
    return {rec.doc_id: [m.entity for m in rec.mentions] for rec in linked}


@pytest.fixture
def ahmadian_docs() -> list[DocumentRecord]:
    return [
        person_doc("a", "Ali Ahmadian"),
        person_doc("b", "Ali Akbar Ahmadian"),
        person_doc("c", "Ahmadian"),
    ]


def test_variants_across_documents_merge(ahmadian_docs: list[DocumentRecord]) -> None:
    linked, entities = link_records(ahmadian_docs)
    assert ids(linked) == {
        "a": ["person:ali-akbar-ahmadian"],
        "b": ["person:ali-akbar-ahmadian"],
        "c": ["person:ali-akbar-ahmadian"],
    }
    assert list(entities) == ["person:ali-akbar-ahmadian"]
    person = entities["person:ali-akbar-ahmadian"]
    assert person.label == "Ali Akbar Ahmadian"
    assert person.aliases == {"Ali Ahmadian", "Ali Akbar Ahmadian", "Ahmadian"}
    assert person.sources == {"a", "b", "c"}
    assert person.mentions == 3


def test_records_are_not_mutated(ahmadian_docs: list[DocumentRecord]) -> None:
    before = [rec.to_json() for rec in ahmadian_docs]
    link_records(ahmadian_docs)
    assert [rec.to_json() for rec in ahmadian_docs] == before


def test_ambiguous_bare_surname_stays_separate() -> None:
    docs = [
        person_doc("a", "Ali Akbar Ahmadian"),
        person_doc("b", "Reza Ahmadian"),
        person_doc("c", "Ahmadian"),
    ]
    linked, entities = link_records(docs)
    assert sorted(entities) == ["person:ahmadian", "person:ali-akbar-ahmadian", "person:reza-ahmadian"]
    assert ids(linked)["c"] == ["person:ahmadian"]


def test_different_first_names_do_not_merge() -> None:
    docs = [person_doc("a", "Ali Ahmadian"), person_doc("b", "Reza Ahmadian")]
    _, entities = link_records(docs)
    assert sorted(entities) == ["person:ali-ahmadian", "person:reza-ahmadian"]


def test_two_word_part_of_a_longer_name_merges() -> None:
    docs = [person_doc("a", "Ali Bagheri Kani"), person_doc("b", "Bagheri Kani")]
    linked, entities = link_records(docs)
    assert list(entities) == ["person:ali-bagheri-kani"]
    assert ids(linked)["b"] == ["person:ali-bagheri-kani"]


def test_ids_are_stable_across_runs(ahmadian_docs: list[DocumentRecord]) -> None:
    first, first_entities = link_records(ahmadian_docs)
    second, second_entities = link_records(ahmadian_docs)
    assert ids(first) == ids(second)
    assert sorted(first_entities) == sorted(second_entities)


def test_ids_do_not_depend_on_document_order() -> None:
    docs = [
        person_doc("a", "Ali Ahmadian", "Wang Yi"),
        person_doc("b", "Ali Akbar Ahmadian", "Wang"),
        person_doc("c", "Ahmadian", "Hossein Amir-Abdollahian"),
        person_doc("d", "Amir-Abdollahian", "Wang Yi"),
    ]
    results = set()
    for order in itertools.permutations(docs):
        linked, entities = link_records(list(order))
        by_doc = tuple(sorted((doc, tuple(found)) for doc, found in ids(linked).items()))
        results.add((by_doc, tuple(sorted(entities))))
    assert len(results) == 1
    [(_, entity_ids)] = results
    assert entity_ids == ("person:ali-akbar-ahmadian", "person:hossein-amir-abdollahian", "person:wang-yi")


def test_person_country_and_titles_gather_across_documents() -> None:
    docs = [
        person_doc("a", "Wang Yi", roles=(Role("person:wang-yi", "Foreign Minister", None, "CHN", 0),)),
        person_doc("b", "Wang Yi", roles=(Role("person:wang-yi", "Foreign Minister", None, "CHN", 0),)),
        person_doc("c", "Wang", roles=(Role("person:wang", "Director", "organization:x", None, 0),)),
    ]
    docs = [
        DocumentRecord(
            d.doc_id,
            mentions=d.mentions,
            entities=tuple(
                Entity(e.id, e.kind, e.label, e.aliases, titles=tuple(r.title for r in d.roles))
                for e in d.entities
            ),
            roles=d.roles,
        )
        for d in docs
    ]
    _, entities = link_records(docs)
    wang = entities["person:wang-yi"]
    assert wang.country == "CHN"
    assert wang.countries == {"CHN": 2}
    assert wang.as_entity().titles == ("Foreign Minister", "Director")
    assert wang.as_entity().country == "CHN"


def test_most_named_country_wins_and_ties_are_deterministic() -> None:
    ent = LinkedEntity("person:x", "person", "X")
    assert ent.country is None
    ent.countries.update({"IRN": 1, "CHN": 1})
    assert ent.country == "IRN"
    ent.countries.update({"CHN": 1})
    assert ent.country == "CHN"


def test_as_entity_is_sorted_and_only_people_have_a_country() -> None:
    ent = LinkedEntity("country:IRN", "country", "Iran", aliases={"Iranian", "Iran"}, iso3="IRN")
    ent.countries["IRN"] += 1
    out = ent.as_entity()
    assert out.aliases == ("Iran", "Iranian")
    assert out.country is None
    assert out.iso3 == "IRN"


def test_non_person_entities_gather_sources_and_aliases() -> None:
    docs = [
        place_doc("a", "BRICS", "organization:brics", "organization"),
        place_doc("b", "BRICS grouping", "organization:brics", "organization"),
    ]
    _, entities = link_records(docs)
    brics = entities["organization:brics"]
    assert brics.sources == {"a", "b"}
    assert brics.aliases == {"BRICS", "BRICS grouping"}
    assert brics.mentions == 2


def test_shouted_place_names_give_way_to_normal_case() -> None:
    docs = [place_doc("a", "BEIJING", "location:beijing"), place_doc("b", "Beijing", "location:beijing"),
            place_doc("c", "Beijing", "location:beijing")]
    _, entities = link_records(docs)
    assert entities["location:beijing"].label == "Beijing"


def test_labels_do_not_depend_on_document_order() -> None:
    docs = [
        place_doc("a", "St. Petersburg", "location:st-petersburg"),
        place_doc("b", "St Petersburg", "location:st-petersburg"),
    ]
    _, forward = link_records(docs)
    _, backward = link_records(docs[::-1])
    assert forward["location:st-petersburg"].label == backward["location:st-petersburg"].label
