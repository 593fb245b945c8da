"""extract.countries: every name, demonym and possessive of a state to its ISO3 code."""

from __future__ import annotations

import re

import pytest

from extract.countries import country_by_iso3, country_patterns, country_table, resolve_country


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        # demonyms and adjectives
        ("Chinese", "CHN"),
        ("Iranian", "IRN"),
        ("Russian", "RUS"),
        ("Turkish", "TUR"),
        ("Qatari", "QAT"),
        ("British", "GBR"),
        ("Palestinian", "PSE"),
        ("Iranians", "IRN"),
        # first word of a longer name
        ("Saudi", "SAU"),
        # short forms only country_converter knows
        ("UK", "GBR"),
        ("US", "USA"),
        ("U.S.", "USA"),
        # names, possessives with straight and curly apostrophes, determiners
        ("Iran", "IRN"),
        ("Iran's", "IRN"),
        ("Iran\u2019s", "IRN"),
        ("China\u2018s", "CHN"),
        ("the United States", "USA"),
        ("Türkiye", "TUR"),
        ("Palestine", "PSE"),
        ("State of Palestine", "PSE"),
        # official names
        ("People's Republic of China", "CHN"),
        ("People\u2019s Republic of China", "CHN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Russian Federation", "RUS"),
        ("Kingdom of Saudi Arabia", "SAU"),
    ],
)
def test_resolve_country(text: str, iso3: str) -> None:
    assert resolve_country(text) == iso3


@pytest.mark.parametrize(
    "text",
    ["Beijing", "Tehran", "Moscow", "Johannesburg", "Riyadh", "Doha", "Kazan", "Gaza"],
)
def test_cities_are_not_countries(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(
    "text",
    ["North", "New", "United", "Republic", "Korean", "", "a", "'s", "met"],
)
def test_words_that_name_no_single_country(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(("text", "iso3"), [("UAE", "ARE"), ("DRC", "COD")])
def test_resolve_country_three_letter_acronyms(text: str, iso3: str) -> None:
    assert resolve_country(text) == iso3


def test_resolve_country_britain() -> None:
    assert resolve_country("Britain") == "GBR"


def test_country_table_keys_are_name_keys() -> None:
    table = country_table()
    assert table["iranian"] == "IRN"
    assert table["people s republic of china"] == "CHN"
    assert all(key == key.casefold() and "'" not in key for key in table)


def test_shared_demonym_goes_to_the_most_populous_state() -> None:
    # "Chinese" is the demonym of China, Hong Kong and Macao
    assert country_table()["chinese"] == "CHN"


@pytest.mark.parametrize(("iso3", "label"), [("IRN", "Iran"), ("CHN", "China"), ("irn", "Iran")])
def test_country_by_iso3(iso3: str, label: str) -> None:
    country = country_by_iso3(iso3)
    assert country is not None
    assert country.label == label
    assert country.iso3 == iso3.upper()


def test_country_by_unknown_code() -> None:
    assert country_by_iso3("XXX") is None


@pytest.fixture(scope="module")
def patterns() -> list[dict[str, object]]:
    return list(country_patterns())


def test_country_patterns_shape(patterns: list[dict[str, object]]) -> None:
    assert len(patterns) > 200
    for p in patterns:
        assert set(p) == {"label", "pattern", "id"}
        assert p["label"] in {"GPE", "NORP"}
        assert isinstance(p["pattern"], str) and p["pattern"]
        assert re.fullmatch(r"country:[A-Z]{3}", str(p["id"]))


def test_country_patterns_have_no_duplicates(patterns: list[dict[str, object]]) -> None:
    keys = [(p["label"], p["pattern"]) for p in patterns]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    "pattern",
    [
        {"label": "GPE", "pattern": "Iran", "id": "country:IRN"},
        {"label": "NORP", "pattern": "Iranian", "id": "country:IRN"},
        {"label": "GPE", "pattern": "People's Republic of China", "id": "country:CHN"},
        {"label": "NORP", "pattern": "Chinese", "id": "country:CHN"},
        {"label": "NORP", "pattern": "Palestinian", "id": "country:PSE"},
    ],
)
def test_country_patterns_include(patterns: list[dict[str, object]], pattern: dict[str, str]) -> None:
    assert pattern in patterns


def test_country_patterns_agree_with_resolve_country(patterns: list[dict[str, object]]) -> None:
    wrong = [p for p in patterns if f"country:{resolve_country(str(p['pattern']))}" != p["id"]]
    assert wrong == []


def test_chinese_pattern_belongs_to_china_only(patterns: list[dict[str, object]]) -> None:
    assert {p["id"] for p in patterns if p["pattern"] == "Chinese"} == {"country:CHN"}
