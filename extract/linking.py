"""Across documents: merge the variants of one name and give every entity one stable id."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.records import DocumentRecord, Entity
from extract.text import _contains, _is_variant, _name_tokens, clean_surface, slugify

__all__ = ["link_records", "LinkedEntity"]


@dataclass
class LinkedEntity:
    """An entity of the whole corpus, with everything the documents said of it."""

    id: str
    kind: str
    label: str
    aliases: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    mentions: int = 0
    countries: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)
    iso3: str | None = None

    @property
    def country(self) -> str | None:
        """The state the person acts for: the one the documents name most often."""
        if not self.countries:
            return None
        return max(self.countries, key=lambda c: (self.countries[c], c))

    def as_entity(self) -> Entity:
        titles = sorted(self.titles, key=lambda t: (-self.titles[t], t))
        return Entity(self.id, self.kind, self.label, tuple(sorted(self.aliases)),
                      self.country if self.kind == "person" else None, tuple(titles), self.iso3)


def _person_mapping(labels: dict[str, str]) -> dict[str, str]:
    """Map each person id to the id of the fullest form of its name in the corpus.

    "Ali Ahmadian" is a variant of "Ali Akbar Ahmadian" (same first and last word); "Ahmadian"
    and "Bagheri Kani" are parts of exactly one longer name. Ambiguous parts stay on their own.
    """
    words = {pid: _name_tokens(label) for pid, label in labels.items()}
    full = {pid: w for pid, w in words.items() if len(w) >= 2}
    # a variant ends with the same word, a part holds its last word: only names with that word fit
    by_word: dict[str, list[str]] = defaultdict(list)
    for pid, w in full.items():
        for word in dict.fromkeys(w):
            by_word[word].append(pid)
    target: dict[str, str] = {}
    for pid, w in words.items():
        longer = [
            other for other in (by_word.get(w[-1], ()) if w else full)
            if other != pid and len(full[other]) > len(w) and (_is_variant(w, full[other]) or _contains(full[other], w))
        ]
        # keep only the maximal names: drop a candidate that is itself part of another
        maximal = [o for o in longer if not any(
            o != p and len(full[p]) > len(full[o]) and (_is_variant(full[o], full[p]) or _contains(full[p], full[o]))
            for p in longer)]
        if len(maximal) == 1:
            target[pid] = maximal[0]
    return {pid: target.get(pid, pid) for pid in words}


def link_records(
    records: Sequence[DocumentRecord],
) -> tuple[list[DocumentRecord], dict[str, LinkedEntity]]:
    """Give every mention its corpus-wide entity id and gather each entity's evidence.

    Examples
    --------
    >>> from extract.records import Mention
    >>> a = DocumentRecord("a", mentions=(Mention(0, 18, "Ali Akbar Ahmadian", "person", "person:ali-akbar-ahmadian"),),
    ...     entities=(Entity("person:ali-akbar-ahmadian", "person", "Ali Akbar Ahmadian"),))
    >>> b = DocumentRecord("b", mentions=(Mention(0, 8, "Ahmadian", "person", "person:ahmadian"),),
    ...     entities=(Entity("person:ahmadian", "person", "Ahmadian"),))
    >>> linked, entities = link_records([a, b])
    >>> [m.entity for r in linked for m in r.mentions]
    ['person:ali-akbar-ahmadian', 'person:ali-akbar-ahmadian']
    >>> sorted(entities["person:ali-akbar-ahmadian"].sources)
    ['a', 'b']
    """
    person_labels: dict[str, str] = {}
    for rec in records:
        for ent in rec.entities:
            if ent.kind == "person":
                best = person_labels.get(ent.id)
                if best is None or len(ent.label) > len(best):
                    person_labels[ent.id] = ent.label
    mapping = _person_mapping(person_labels)
    # the surviving id of a merged group is named after its fullest label
    group_label: dict[str, str] = {}
    for pid, target in mapping.items():
        group_label.setdefault(target, person_labels[target])
    final = {pid: f"person:{slugify(group_label[target])}" for pid, target in mapping.items()}
    final = {pid: new for pid, new in final.items() if new != pid}  # records keep what is unchanged

    linked = [rec.with_ids(final) for rec in records]
    table: dict[str, LinkedEntity] = {}
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    labels_seen: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in linked:
        for ent in rec.entities:
            item = table.get(ent.id)
            if item is None:
                item = table[ent.id] = LinkedEntity(ent.id, ent.kind, ent.label, iso3=ent.iso3)
            item.sources.add(rec.doc_id)
            item.titles.update(ent.titles)
            labels_seen[ent.id][ent.label] += 1
            if ent.kind != "person" and ent.label != item.label:
                surfaces[ent.id][ent.label] += 1
        for m in rec.mentions:
            item = table.get(m.entity)
            if item is None:
                item = table[m.entity] = LinkedEntity(m.entity, m.kind, clean_surface(m.text))
            item.mentions += 1
            item.sources.add(rec.doc_id)
            item.aliases.add(clean_surface(m.text))
            surfaces[m.entity][clean_surface(m.text)] += 1
        for role in rec.roles:
            if role.country and role.person in table:
                table[role.person].countries[role.country] += 1
    for ent_id, item in table.items():
        if item.kind == "person":  # the fullest form of the name
            item.label = max([item.label, *item.aliases], key=lambda a: (len(a.split()), len(a), a))
        elif ent_id in labels_seen:
            # the label the documents agree on most; ties broken by the text, never by input order
            seen = labels_seen[ent_id]
            item.label = max(seen, key=lambda f: (not (f.isupper() and len(f) > 4), seen[f], f))
    return linked, table
