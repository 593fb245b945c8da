"""Domain gazetteers: spaCy entity-ruler patterns shipped as JSONL data files.

Each line is a spaCy ``EntityRuler`` pattern, ``{"label": ..., "pattern": ..., "id": ...}``,
optionally with ``"country"`` (ISO3) for a state body of one country, or ``"national": true``
for a kind of body every state has (a foreign ministry): "Chinese Ministry of Foreign Affairs"
then becomes its own node, qualified by the country named before it. ``"part_of"`` names the
id of a parent body whose name stands inside this one's ("Hamas" in "Hamas Politburo"): a
mention of the part is then also a mention of the parent. The ``id`` is the canonical node id
(``organization:brics``); the first pattern of an id is its canonical label. A user file given
with ``--gazetteer`` has the same format; a missing ``id`` is derived from the label and pattern.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from extract.errors import GazetteerError
from extract.text import slugify

__all__ = [
    "Gazetteer", "load_gazetteer", "default_gazetteer_files", "changed_text", "KIND_OF_LABEL", "is_acronym",
]

KIND_OF_LABEL = {
    "ORG": "organization",
    "INITIATIVE": "initiative",
    "LAW": "initiative",
    "LOC": "location",
    "FAC": "location",
    "GPE": "location",
    "PERSON": "person",
    "NORP": "country",
    "TOPIC": "topic",
}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9+.&-]*[A-Z0-9+.]$")


def is_acronym(text: str) -> bool:
    """Whether a pattern must match case-sensitively ("WHO" the body, not "who").

    Examples
    --------
    >>> is_acronym("WHO"), is_acronym("G20"), is_acronym("U.N."), is_acronym("Hamas")
    (True, True, True, False)
    """
    return bool(_ACRONYM.match(text)) and any(ch.isalpha() for ch in text)


@dataclass
class Gazetteer:
    """Patterns plus what the ruler cannot carry: canonical labels and countries of ids."""

    patterns: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    national: set[str] = field(default_factory=set)
    part_of: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, record: dict[str, Any], *, where: str) -> None:
        """Add one pattern record, validating it; ``where`` names it in errors."""
        label, pattern = record.get("label"), record.get("pattern")
        if not isinstance(label, str) or not label:
            raise GazetteerError(f"{where}: expected a non-empty string 'label', got {label!r}")
        if not isinstance(pattern, (str, list)) or not pattern:
            raise GazetteerError(f"{where}: expected 'pattern' as a string or token list")
        kind = KIND_OF_LABEL.get(label.upper())
        ent_id = record.get("id")
        if ent_id is None:
            if kind is None or not isinstance(pattern, str):
                raise GazetteerError(f"{where}: no 'id', and none can be derived for {label!r}")
            ent_id = f"{kind}:{slugify(pattern)}"
        if not isinstance(ent_id, str) or ":" not in ent_id:
            raise GazetteerError(f"{where}: 'id' must look like 'kind:name', got {ent_id!r}")
        self.patterns.append({"label": label.upper(), "pattern": pattern, "id": ent_id})
        if isinstance(pattern, str):
            self.labels.setdefault(ent_id, str(record.get("name") or pattern))
        parent = record.get("part_of")
        if isinstance(parent, str) and parent:
            self.part_of.setdefault(ent_id, parent)
        if record.get("national"):
            self.national.add(ent_id)
        country = record.get("country")
        if isinstance(country, str) and country:
            self.countries.setdefault(ent_id, country.upper())

    def state(self) -> dict[str, Any]:
        """Everything extraction reads from the gazetteer, as JSON-ready data (not the file names).

        Two gazetteers with the same state extract the same; :func:`changed_text` compares two.

        Examples
        --------
        >>> gaz = Gazetteer()
        >>> gaz.add({"label": "ORG", "pattern": "SNSC", "id": "organization:snsc", "country": "irn"}, where="x")
        >>> gaz.state()["countries"]
        {'organization:snsc': 'IRN'}
        """
        return {
            "patterns": self.patterns,
            "labels": self.labels,
            "countries": self.countries,
            "national": sorted(self.national),
            "part_of": self.part_of,
        }

    def split(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Patterns matched case-insensitively, and those matched exactly (acronyms, tokens)."""
        folded: list[dict[str, Any]] = []
        exact: list[dict[str, Any]] = []
        for p in self.patterns:
            pattern = p["pattern"]
            (exact if not isinstance(pattern, str) or is_acronym(pattern) else folded).append(p)
        return folded, exact


_NOT_ALNUM = re.compile("[^0-9a-z]+")

#: Token-pattern attributes whose value is the token's text itself (or its lower case).
_LITERAL_ATTRS = frozenset({"ORTH", "TEXT", "LOWER"})


def _folded(text: str) -> str:
    """``text`` with accents, case and everything but ASCII letters and digits removed.

    A character-by-character map, so a name inside a text is still inside it once both are
    folded, whatever spacing, case, hyphens or accents the text gives the name; and an id's
    slug (``organization:caspian-forum``) folds as the name it was made from.
    """
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text).casefold())


def _entries(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the gazetteer ``state`` says about each id: its patterns in order, label, country,
    nationality and parent."""
    entries: dict[str, dict[str, Any]] = {}
    for p in state["patterns"]:
        entries.setdefault(p["id"], {"patterns": []})["patterns"].append([p["label"], p["pattern"]])
    national = set(state["national"])
    for field_name in ("labels", "countries", "part_of"):
        for ent_id, value in state[field_name].items():
            entries.setdefault(ent_id, {"patterns": []})[field_name] = value
    for ent_id in national:
        entries.setdefault(ent_id, {"patterns": []})["national"] = True
    return entries


def _names(ent_id: str, entry: dict[str, Any]) -> list[str] | None:
    """The texts a document holds when an entry can matter to it: its patterns, its label and
    the words of its id (an entity the model found has an id made from its words, and gets the
    entry's label and country when the ids are the same). None when a pattern is no literal text."""
    names = [ent_id.split(":", 1)[-1], *([entry["labels"]] if "labels" in entry else [])]
    for _, pattern in entry["patterns"]:
        if isinstance(pattern, str):
            names.append(pattern)
            continue
        words = []
        for token in pattern:
            if not isinstance(token, dict) or len(token) != 1:
                return None
            (attr, value), = token.items()
            if attr.upper() not in _LITERAL_ATTRS or not isinstance(value, str):
                return None
            words.append(value)
        names.append(" ".join(words))
    return names


def changed_text(
    old: dict[str, Any], new: dict[str, Any], *, tokens: Callable[[str], Iterable[str]] | None = None
) -> Callable[[str], bool] | None:
    """A test for the texts whose extraction may differ between two gazetteer states.

    The gazetteer reaches a document only through its entries' names: the rulers match their
    patterns, and labels, countries, nationality and parents are looked up by the ids of the
    entities the document mentions. So a document none of whose text holds a name of a
    changed entry (an added or removed one, or one with another pattern, label, country,
    nationality or parent; or the part of a changed parent) is extracted the same under both.
    Names are compared folded (case, accents, spacing and punctuation aside). With ``tokens``,
    the tokenizer extraction runs (``[t.text for t in nlp.tokenizer(text)]``), a name must also
    begin and end where tokens do, as the rulers' matches and the model's entities do; without
    it, anywhere ("UN" is then found in "under"). Either way the test is loose, never strict:
    it may send a document to be extracted again that did not need it, never the other way.

    Returns None when any document may differ: the unchanged entries' patterns are in another
    order (the rulers prefer the first of two equal matches), or a changed pattern is not
    literal text (a token pattern with ``REGEX``, ``OP``, ``POS``...), or a name folds to
    nothing (no ASCII letter or digit).

    Examples
    --------
    >>> a = {"patterns": [{"label": "ORG", "pattern": "Caspian Forum", "id": "organization:caspian-forum"}],
    ...      "labels": {"organization:caspian-forum": "Caspian Forum"}, "countries": {}, "national": [],
    ...      "part_of": {}}
    >>> b = {**a, "countries": {"organization:caspian-forum": "IRN"}}
    >>> test = changed_text(a, b)
    >>> test("The caspian-forum met."), test("Iran and China met.")
    (True, False)
    >>> changed_text(a, a)("The Caspian Forum met.")
    False
    >>> un = {**a, "patterns": [{"label": "ORG", "pattern": "UN", "id": "organization:un"}], "labels": {}}
    >>> words = changed_text(a, un, tokens=str.split)
    >>> words("UN envoys met."), words("They met under a tree."), changed_text(a, un)("They met under a tree.")
    (True, False, True)
    """
    before, after = _entries(old), _entries(new)
    changed = {ent_id for ent_id in before.keys() | after.keys() if before.get(ent_id) != after.get(ent_id)}
    growing = True
    while growing:  # a part is named inside its parent's mentions: a changed parent changes its parts
        parts = {
            child for entries in (before, after) for child, entry in entries.items()
            if entry.get("part_of") in changed and child not in changed
        }
        changed |= parts
        growing = bool(parts)

    def kept(state: dict[str, Any]) -> list[tuple[str, str, str]]:
        return [(p["label"], json.dumps(p["pattern"]), p["id"]) for p in state["patterns"] if p["id"] not in changed]

    if kept(old) != kept(new):
        return None
    if not changed:
        return lambda text: False
    folded: set[str] = set()
    for ent_id in sorted(changed):
        for entries in (before, after):
            if ent_id not in entries:
                continue
            names = _names(ent_id, entries[ent_id])
            if names is None:
                return None
            for name in names:
                key = _folded(name)
                if not key:
                    return None
                folded.add(key)
    ordered = sorted(folded, key=lambda n: (-len(n), n))
    found = re.compile("|".join(re.escape(name) for name in ordered))
    if tokens is None:
        return lambda text: found.search(_folded(text)) is not None
    split = tokens
    # in the folded tokens joined by "|": a name from one "|" to another, "|" allowed between
    # any two of its characters (the name's words, and a token's, may split differently)
    whole = re.compile("|".join(r"\|" + r"\|?".join(map(re.escape, name)) + r"\|" for name in ordered))

    def touched(text: str) -> bool:
        if found.search(_folded(text)) is None:  # the quick test first: most texts stop here
            return False
        joined = "|".join(f for f in map(_folded, split(text)) if f)
        return whole.search(f"|{joined}|") is not None

    return touched


def default_gazetteer_files() -> list[Path]:
    """The gazetteers shipped with diplograph (``extract/data/*.jsonl``).

    Examples
    --------
    >>> sorted(p.name for p in default_gazetteer_files())[:2]
    ['initiatives.jsonl', 'organizations.jsonl']
    """
    folder = resources.files("extract") / "data"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".jsonl"))


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer ({exc})") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GazetteerError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise GazetteerError(f"{path}:{number}: expected a JSON object per line")
        yield number, record


def load_gazetteer(extra: Iterable[str | Path] = (), *, defaults: bool = True) -> Gazetteer:
    """Load the shipped gazetteers and any user files, in that order.

    Examples
    --------
    >>> gaz = load_gazetteer()
    >>> gaz.labels["organization:brics"], gaz.countries["organization:supreme-national-security-council"]
    ('BRICS', 'IRN')
    """
    gaz = Gazetteer()
    files = [*(default_gazetteer_files() if defaults else []), *(Path(p) for p in extra)]
    for path in files:
        if not path.is_file():
            raise GazetteerError(f"{path}: gazetteer file not found")
        for number, record in _read_jsonl(path):
            gaz.add(record, where=f"{path}:{number}")
        gaz.files.append(str(path))
    return gaz
