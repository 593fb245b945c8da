"""Countries: every name, official name, demonym and adjective resolved to ISO 3166 alpha-3.

The table comes from well-kept libraries, not from a list of our own: ``pycountry`` (ISO 3166
names and official names), ``countryinfo`` (common names, alternative spellings, demonyms) and,
for forms neither knows ("Saudi", "UK"), ``country_converter``'s regular expressions.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extract.text import clean_surface, name_key

__all__ = ["Country", "country_table", "resolve_country", "country_by_iso3", "country_patterns"]

# First words of country names that say nothing on their own ("North", "New", "United").
_GENERIC_FIRST_WORDS = frozenset(
    "north south east west new united republic democratic central great saint san sao"
    " equatorial federated northern southern eastern western".split()
)
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'-]*[A-Za-z]$")


@dataclass(frozen=True)
class Country:
    """A sovereign state or territory with an ISO 3166 alpha-3 code."""

    iso3: str
    label: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]


@functools.cache
def _countries() -> dict[str, Country]:
    import pycountry
    from countryinfo import CountryInfo

    info: dict[str, dict] = {}  # type: ignore[type-arg]
    for v in CountryInfo("China").all().values():
        code = v.get("ISO", {}).get("alpha3")
        if not code:
            continue
        seen = info.get(code)
        if seen is None:
            info[code] = dict(v)
            continue
        # some states have two entries ("Palestine" and "Palestine, State of"): merge them
        if "," in seen.get("name", "") and "," not in v.get("name", ""):
            seen["name"] = v.get("name")
        seen["altSpellings"] = [*seen.get("altSpellings", []), *v.get("altSpellings", [])]
        seen["demonym"] = seen.get("demonym") or v.get("demonym")
    out: dict[str, Country] = {}
    for c in pycountry.countries:
        extra = info.get(c.alpha_3, {})
        common = getattr(c, "common_name", None)
        label = extra.get("name") or common or c.name
        found: list[str | None] = [label, c.name, common, getattr(c, "official_name", None)]
        found += [s for s in extra.get("altSpellings", []) if s not in (c.alpha_2, c.alpha_3)]
        names = [n for n in dict.fromkeys(n for n in found if n) if _LATIN.match(n) and len(n) > 3]
        demonym = extra.get("demonym") or ""
        demonyms = (demonym,) if _LATIN.match(demonym) else ()
        out[c.alpha_3] = Country(c.alpha_3, label, tuple(names), demonyms)
    return out


@functools.cache
def country_table() -> dict[str, str]:
    """Map every known surface form's :func:`~extract.text.name_key` to an ISO3 code.

    A demonym shared by several entries ("Chinese": China, Hong Kong, Macao) goes to the most
    populous.

    Examples
    --------
    >>> table = country_table()
    >>> table["iranian"], table["people s republic of china"], table["chinese"]
    ('IRN', 'CHN', 'CHN')
    """
    from countryinfo import CountryInfo

    population = {
        v.get("ISO", {}).get("alpha3"): v.get("population") or 0
        for v in CountryInfo("China").all().values()
    }
    table: dict[str, str] = {}
    ranked = sorted(_countries().values(), key=lambda c: -population.get(c.iso3, 0))
    for country in ranked:
        for form in (*country.names, *country.demonyms):
            table.setdefault(name_key(form), country.iso3)
        for form in country.names:  # "Palestine, State of" also as "State of Palestine"
            if ", " in form:
                head, _, tail = form.partition(", ")
                table.setdefault(name_key(f"{tail} {head}"), country.iso3)
    return table


def country_by_iso3(iso3: str) -> Country | None:
    """The :class:`Country` for an alpha-3 code, or None.

    Examples
    --------
    >>> country_by_iso3("IRN").label
    'Iran'
    """
    return _countries().get(iso3.upper())


@functools.lru_cache(maxsize=65536)
def resolve_country(text: str) -> str | None:
    """The ISO 3166 alpha-3 code a name, demonym or adjective refers to, or None.

    Examples
    --------
    >>> [resolve_country(t) for t in ["Iranian", "China\u2018s", "Saudi", "the United States", "Kazakh"]]
    ['IRN', 'CHN', 'SAU', 'USA', 'KAZ']
    >>> resolve_country("Johannesburg") is None
    True
    """
    key = name_key(text)
    if not key or len(key) < 2:
        return None
    table = country_table()
    for candidate in (key, key[:-1] if key.endswith("s") else key):
        if candidate in table:
            return table[candidate]
    surface = clean_surface(text)
    if not surface[:1].isupper():
        return None
    if surface.isupper() and len(surface) <= 4:  # "UK", "UAE", "DRC"
        return _converter_lookup(surface)
    return _first_word_lookup(key) or _named_by_converter(surface, key)


def _named_by_converter(surface: str, key: str) -> str | None:
    """country_converter's patterns know more names ("Britain"); trust one only when the word
    is part of a name the country goes by, so "Gaza" does not become Palestine."""
    iso3 = _converter_lookup(surface)
    country = _countries().get(iso3 or "")
    if country is None:
        return None
    words = {w for name in (*country.names, *country.demonyms) for w in name_key(name).split()}
    return iso3 if set(key.split()) <= words else None


@functools.cache
def _first_words() -> dict[str, frozenset[str]]:
    firsts: dict[str, set[str]] = {}
    for country in _countries().values():  # common names and demonyms, not official names
        for form in (country.label, *country.demonyms):
            key = name_key(form)
            if " " in key:
                firsts.setdefault(key.split(" ", 1)[0], set()).add(country.iso3)
    return {word: frozenset(codes) for word, codes in firsts.items()}


@functools.cache
def _one_word_labels() -> tuple[tuple[str, str], ...]:
    """(name key, ISO3) of every country whose common name is one word."""
    return tuple((name_key(c.label), c.iso3) for c in _countries().values() if " " not in c.label)


def _first_word_lookup(key: str) -> str | None:
    """"Saudi" is the first word of "Saudi Arabia" and of no other country's name."""
    if " " in key or len(key) < 4 or key in _GENERIC_FIRST_WORDS:
        return None
    codes = _first_words().get(key, frozenset())
    if len(codes) == 1:
        return next(iter(codes))
    # an adjective that begins exactly one one-word country name: "Kazakh", "Tajik", "Philippine"
    if len(key) >= 5:
        starts = {iso3 for label, iso3 in _one_word_labels() if label.startswith(key)}
        if len(starts) == 1:
            return next(iter(starts))
    return None


def _converter_lookup(surface: str) -> str | None:
    converter = _converter()
    result = converter.convert(surface, src="regex", to="ISO3", not_found=None)
    if isinstance(result, str) and result in _countries():
        return result
    return None


@functools.cache
def _converter():  # type: ignore[no-untyped-def]
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    import country_converter

    return country_converter.CountryConverter()


def country_patterns() -> Iterator[dict[str, object]]:
    """Entity-ruler patterns (spaCy JSONL format) for every country name and demonym.

    Names are matched case-sensitively, so "Chad" the country is found and "chad" is not.

    Examples
    --------
    >>> patterns = list(country_patterns())
    >>> {"label": "GPE", "pattern": "Iran", "id": "country:IRN"} in patterns
    True
    >>> {"label": "NORP", "pattern": "Iranian", "id": "country:IRN"} in patterns
    True
    """
    table = country_table()
    for country in _countries().values():
        for name in country.names:
            if table.get(name_key(name)) == country.iso3:
                yield {"label": "GPE", "pattern": name, "id": f"country:{country.iso3}"}
        for demonym in country.demonyms:
            if table.get(name_key(demonym)) == country.iso3:
                yield {"label": "NORP", "pattern": demonym, "id": f"country:{country.iso3}"}
