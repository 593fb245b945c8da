"""Per-document extraction records: what :mod:`extract` found, before graph assembly."""
from __future__ import annotations

import copy
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

__all__ = ["Mention", "Entity", "Role", "Sentence", "Event", "Relation", "DocumentRecord"]


def _intern(record: Any, *names: str) -> None:
    """Intern the named string fields of a frozen record.

    Entity ids, kinds and relation names repeat across a corpus's hundreds of thousands of
    mentions; interned, each is held once, whether the record was extracted or read back from
    the store's JSON.
    """
    for name in names:
        value = getattr(record, name)
        if type(value) is str:
            object.__setattr__(record, name, sys.intern(value))


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention: character offsets into the article's text, and what it resolved to."""

    start: int
    end: int
    text: str
    kind: str
    entity: str
    sentence: int = -1
    label: str = ""

    def __post_init__(self) -> None:
        _intern(self, "kind", "entity", "label")


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity as one document knows it (ids are re-linked across the corpus)."""

    id: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    titles: tuple[str, ...] = ()
    iso3: str | None = None

    def __post_init__(self) -> None:
        _intern(self, "id", "kind")


@dataclass(frozen=True, slots=True)
class Role:
    """A person's title, with the organization and state it is held for when the text says."""

    person: str
    title: str
    organization: str | None = None
    country: str | None = None
    sentence: int = -1


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article: offsets into its text, and the text itself for evidence."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    """A contact the article reports: who, what kind, when, where, at whose request."""

    id: str
    event_type: str
    participants: tuple[str, ...]
    sentence: int
    date: str | None = None
    date_text: str | None = None
    location: str | None = None
    initiator: str | None = None
    host: str | None = None
    cameo: str | None = None
    plover_mode: str | None = None
    trigger: str = ""
    primary: bool = False
    sentences: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A stance or cooperation statement: subject, relation, object, and how it was found."""

    subject: str
    relation: str
    object: str
    sentence: int
    method: str = ""
    confidence: float = 0.5
    partnership_type: str | None = None
    date: str | None = None

    def __post_init__(self) -> None:
        _intern(self, "subject", "relation", "object", "method", "date")


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """Everything extracted from one article."""

    doc_id: str
    title: str = ""
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    path: str = ""
    pipeline: str = ""
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    roles: tuple[Role, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (one line of ``extractions.jsonl``).

        Examples
        --------
        >>> rec = DocumentRecord("d1", mentions=(Mention(0, 4, "Iran", "country", "country:IRN"),))
        >>> DocumentRecord.from_json(rec.to_json()) == rec
        True
        >>> rec.to_json() == asdict(rec)
        True
        """
        # what dataclasses.asdict gives, without its generic deep copy (the parts are flat records
        # of scalars and tuples of strings, immutable, so their values are shared, not copied)
        data = {name: getattr(self, name) for name in _FIELDS[DocumentRecord]}
        for name in _PARTS:
            parts = data[name]
            if parts:
                names = _FIELDS[type(parts[0])]
                data[name] = tuple({n: getattr(part, n) for n in names} for part in parts)
        data["extra"] = copy.deepcopy(self.extra)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentRecord:
        """Rebuild a record written by :meth:`to_json`."""
        data = dict(data)
        data["sentences"] = tuple(Sentence(**s) for s in data.get("sentences", ()))
        data["mentions"] = tuple(Mention(**m) for m in data.get("mentions", ()))
        data["entities"] = tuple(
            Entity(**{**e, "aliases": tuple(e.get("aliases", ())), "titles": tuple(e.get("titles", ()))})
            for e in data.get("entities", ())
        )
        data["roles"] = tuple(Role(**r) for r in data.get("roles", ()))
        data["events"] = tuple(
            Event(**{**e, "participants": tuple(e["participants"]), "sentences": tuple(e.get("sentences", ()))})
            for e in data.get("events", ())
        )
        data["relations"] = tuple(Relation(**r) for r in data.get("relations", ()))
        return cls(**data)

    def with_ids(self, mapping: dict[str, str]) -> DocumentRecord:
        """A copy with entity ids replaced through ``mapping`` (ids not in it are kept).

        Parts whose ids do not change are shared with this record, not copied, and a record
        none of whose ids change is returned as it is: linking a large corpus then costs little
        more memory than the records themselves.

        Examples
        --------
        >>> rec = DocumentRecord("d1", mentions=(Mention(0, 4, "Wang", "person", "person:wang"),
        ...                                      Mention(9, 13, "Iran", "country", "country:IRN")))
        >>> linked = rec.with_ids({"person:wang": "person:wang-yi"})
        >>> [m.entity for m in linked.mentions], linked.mentions[1] is rec.mentions[1]
        (['person:wang-yi', 'country:IRN'], True)
        >>> rec.with_ids({"person:other": "person:x"}) is rec
        True
        """
        def get(ent_id: str) -> str:
            return mapping.get(ent_id, ent_id)

        def opt(ent_id: str | None) -> str | None:
            return ent_id and mapping.get(ent_id, ent_id)

        def mention(m: Mention) -> Mention:
            return m if m.entity not in mapping else replace(m, entity=mapping[m.entity])

        def entity(e: Entity) -> Entity:
            return e if e.id not in mapping else replace(e, id=mapping[e.id])

        def role(r: Role) -> Role:
            if r.person not in mapping and r.organization not in mapping:
                return r
            return replace(r, person=get(r.person), organization=opt(r.organization))

        def event(e: Event) -> Event:
            if not any(i in mapping for i in (*e.participants, e.location, e.initiator, e.host)):
                return e
            return replace(
                e,
                participants=tuple(dict.fromkeys(get(p) for p in e.participants)),
                location=opt(e.location),
                initiator=opt(e.initiator),
                host=opt(e.host),
            )

        def relation(r: Relation) -> Relation:
            if r.subject not in mapping and r.object not in mapping:
                return r
            return replace(r, subject=get(r.subject), object=get(r.object))

        def each(items: tuple[Any, ...], change: Any) -> tuple[Any, ...]:
            new = tuple(change(item) for item in items)
            return items if all(a is b for a, b in zip(new, items)) else new

        mentions = each(self.mentions, mention)
        entities = each(self.entities, entity)
        roles = each(self.roles, role)
        events = each(self.events, event)
        relations = each(self.relations, relation)
        unchanged = (
            mentions is self.mentions and entities is self.entities and roles is self.roles
            and events is self.events and relations is self.relations
        )
        if unchanged:
            return self
        return replace(self, mentions=mentions, entities=entities, roles=roles, events=events, relations=relations)


#: The fields of a record that are tuples of part records (each a flat frozen dataclass).
_PARTS = ("sentences", "mentions", "entities", "roles", "events", "relations")

#: Each record class's field names, in order.
_FIELDS = {cls: tuple(f.name for f in fields(cls)) for cls in (Mention, Entity, Role, Sentence, Event, Relation, DocumentRecord)}
