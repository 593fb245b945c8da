"""extract.text: same-length character normalization, display forms, keys and slugs."""

from __future__ import annotations

import pytest

from extract.text import clean_surface, name_key, normalize_chars, slugify


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("China\u2018s", "China's"),
        ("Iran\u2019s", "Iran's"),
        ("\u201cBelt and Road\u201d", '"Belt and Road"'),
        ("\u00abtalks\u00bb", '"talks"'),
        ("Gaza \u2013 Cairo \u2014 Doha", "Gaza - Cairo - Doha"),
        ("Amir\u2010Abdollahian", "Amir-Abdollahian"),
        ("Wang\u00a0Yi", "Wang Yi"),
        ("minus \u2212 one", "minus - one"),
        ("plain text", "plain text"),
    ],
)
def test_normalize_chars_straightens_punctuation(raw: str, expected: str) -> None:
    assert normalize_chars(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["\u201cQuoted\u201d \u2018words\u2019 \u2013 dashes\u2014and\u00a0spaces\u202f\u200b", "", "\n\n\t"],
)
def test_normalize_chars_keeps_every_offset(raw: str) -> None:
    out = normalize_chars(raw)
    assert len(out) == len(raw)
    # characters that are not mapped stay exactly where they were
    for before, after in zip(raw, out):
        if before.isalnum() or before in "\n\t":
            assert before == after


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the United Nations", "United Nations"),
        ("The BRICS", "BRICS"),
        ("an envoy", "envoy"),
        ("China\u2018s", "China"),
        ("Iran's", "Iran"),
        ("Lavrov'", "Lavrov"),
        ("\u201cBelt and Road\u201d", "Belt and Road"),
        ("(SCO)", "SCO"),
        ("Wang  Yi\n", "Wang Yi"),
        ("the \u201cUnited Nations\u2019s", "United Nations"),
    ],
)
def test_clean_surface_strips_determiners_quotes_and_possessives(raw: str, expected: str) -> None:
    assert clean_surface(raw) == expected


def test_clean_surface_keeps_inner_apostrophes() -> None:
    assert clean_surface("People's Republic of China") == "People's Republic of China"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hossein Amir-Abdollahian", "hossein amir abdollahian"),
        ("Hossein Amir\u2010Abdollahian", "Hossein Amir-Abdollahian"),
        ("Ahmadian", "AHMADIAN"),
        ("Türkiye", "Turkiye"),
        ("St. Petersburg", "st petersburg"),
        ("the Kremlin", "Kremlin"),
        ("Iran\u2019s", "Iran"),
    ],
)
def test_name_key_folds_case_accents_and_punctuation(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("Ali Ahmadian") != name_key("Ali Akbar Ahmadian")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ali Akbar Ahmadian", "ali-akbar-ahmadian"),
        ("Wang Yi", "wang-yi"),
        ("Hossein Amir-Abdollahian", "hossein-amir-abdollahian"),
        ("Belt and Road Initiative", "belt-and-road-initiative"),
        ("the Kremlin", "kremlin"),
        ("São Tomé", "sao-tome"),
        ("G20", "g20"),
        ("---", "unnamed"),
        ("", "unnamed"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_is_the_same_for_every_spelling_of_a_name() -> None:
    spellings = ["Wang Yi", "WANG YI", "the Wang Yi", "Wang Yi\u2019s", " Wang  Yi "]
    assert {slugify(s) for s in spellings} == {"wang-yi"}
