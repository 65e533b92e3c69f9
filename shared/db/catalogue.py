"""The technology catalogue as stored in the database, where admins edit it."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db.models import Technology, TechnologyAlias
from shared.technologies.catalogue import TechnologyEntry
from shared.technologies.matcher import spelling_key


class CatalogueEditRejected(ValueError):
    """An edit of the catalogue would break it (unknown name, alias already taken)."""


def _alias_key(alias: str) -> str:
    # The matcher's own key: two spellings with the same key cannot name two technologies.
    return spelling_key(alias)


def load_catalogue_from_db(session: Session) -> list[TechnologyEntry]:
    """Return every stored technology with its aliases, ordered by name."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for technology_id, alias in session.execute(
        select(TechnologyAlias.technology_id, TechnologyAlias.alias).order_by(TechnologyAlias.alias)
    ):
        aliases[technology_id].append(alias)
    return [
        TechnologyEntry(
            name=technology.name,
            category=technology.category,
            aliases=tuple(aliases[technology.id]),
        )
        for technology in session.scalars(select(Technology).order_by(Technology.name))
    ]


def _taken_aliases(session: Session, aliases: list[str], *, except_id: int | None) -> list[str]:
    keys = {_alias_key(alias) for alias in aliases}
    taken = []
    for technology_id, alias in session.execute(
        select(TechnologyAlias.technology_id, TechnologyAlias.alias)
    ):
        if technology_id != except_id and _alias_key(alias) in keys:
            taken.append(alias)
    return sorted(taken)


def upsert_technology(
    session: Session, entry: TechnologyEntry, *, rename_from: str | None = None
) -> Technology:
    """Add a technology, or update (and optionally rename) an existing one with its aliases."""
    lookup_name = rename_from or entry.name
    technology = session.scalar(select(Technology).where(Technology.name == lookup_name))
    if rename_from and technology is None:
        raise CatalogueEditRejected(f"no technology named {rename_from!r} to rename")
    if rename_from and rename_from != entry.name:
        clash = session.scalar(select(Technology).where(Technology.name == entry.name))
        if clash is not None:
            raise CatalogueEditRejected(f"technology {entry.name!r} already exists")

    aliases = [alias for alias in entry.aliases if _alias_key(alias) != _alias_key(entry.name)]
    taken = _taken_aliases(
        session, aliases, except_id=technology.id if technology is not None else None
    )
    if taken:
        raise CatalogueEditRejected(f"aliases {taken!r} already name another technology")

    if technology is None:
        technology = Technology(name=entry.name, category=entry.category)
        session.add(technology)
        session.flush()
    else:
        technology.name = entry.name
        technology.category = entry.category
        session.execute(
            delete(TechnologyAlias).where(TechnologyAlias.technology_id == technology.id)
        )
    for alias in dict.fromkeys(aliases):
        session.add(TechnologyAlias(technology_id=technology.id, alias=alias))
    session.flush()
    return technology


def remove_technology(session: Session, name: str) -> None:
    """Delete a technology and its links to offers; the offers themselves stay."""
    technology = session.scalar(select(Technology).where(Technology.name == name))
    if technology is None:
        raise CatalogueEditRejected(
            f"no technology named {name!r}; see `datastats technologies list`"
        )
    session.delete(technology)
    session.flush()


def seed_catalogue(session: Session, entries: list[TechnologyEntry]) -> None:
    """Store `entries`, adding what is missing and leaving existing technologies as they are."""
    existing = set(session.scalars(select(Technology.name)))
    for entry in entries:
        if entry.name not in existing:
            upsert_technology(session, entry)
