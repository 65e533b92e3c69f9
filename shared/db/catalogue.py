"""The technology catalogue as stored in the database, where admins edit it."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db.models import Technology, TechnologyAlias
from shared.technologies.catalogue import TechnologyEntry, load_catalogue
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


def _spellings_of_others(session: Session, except_id: int | None) -> dict[str, str]:
    """Map the spelling key of every other technology's name and alias to that technology."""
    owners: dict[str, str] = {}
    names = dict(session.execute(select(Technology.id, Technology.name)).tuples().all())
    for technology_id, name in names.items():
        if technology_id != except_id:
            owners[_alias_key(name)] = name
    for technology_id, alias in session.execute(
        select(TechnologyAlias.technology_id, TechnologyAlias.alias)
    ):
        if technology_id != except_id:
            owners[_alias_key(alias)] = names[technology_id]
    return owners


def _check_spellings(session: Session, entry: TechnologyEntry, except_id: int | None) -> None:
    """Reject an entry whose name or an alias already names another technology.

    Spellings are compared as the matcher compares them (no accents, case or inner
    separators), because two technologies sharing a spelling make every match ambiguous.
    """
    owners = _spellings_of_others(session, except_id)
    clashes = sorted(
        f"{spelling!r} (already {owners[_alias_key(spelling)]!r})"
        for spelling in entry.spellings
        if _alias_key(spelling) in owners
    )
    if clashes:
        raise CatalogueEditRejected(
            f"spellings {', '.join(clashes)} already name another technology; "
            "choose other spellings or edit that technology"
        )


def _known_categories(session: Session) -> set[str]:
    """Return the categories of the shipped catalogue and of the stored one."""
    shipped = {entry.category for entry in load_catalogue()}
    return shipped | set(session.scalars(select(Technology.category).distinct()))


def _check_category(session: Session, category: str) -> None:
    known = _known_categories(session)
    if category not in known:
        raise CatalogueEditRejected(
            f"unknown category {category!r}; expected one of {sorted(known)}"
        )


def find_technology(session: Session, name: str) -> Technology | None:
    """Return the technology named `name`, compared as the matcher compares spellings."""
    key = _alias_key(name)
    for technology in session.scalars(select(Technology)):
        if _alias_key(technology.name) == key:
            return technology
    return None


def add_technology(session: Session, entry: TechnologyEntry) -> Technology:
    """Add a new technology with its aliases; raises `CatalogueEditRejected` on any clash."""
    existing = find_technology(session, entry.name)
    if existing is not None:
        raise CatalogueEditRejected(
            f"technology {existing.name!r} already exists; "
            "use `datastats technologies update` to change it"
        )
    _check_category(session, entry.category)
    _check_spellings(session, entry, except_id=None)
    technology = Technology(name=entry.name, category=entry.category)
    session.add(technology)
    session.flush()
    _store_aliases(session, technology, entry)
    return technology


def update_technology(
    session: Session, entry: TechnologyEntry, *, current_name: str | None = None
) -> Technology:
    """Replace the category and aliases of a technology, renaming it from `current_name`."""
    lookup = current_name or entry.name
    technology = find_technology(session, lookup)
    if technology is None:
        raise CatalogueEditRejected(
            f"no technology named {lookup!r}; see `datastats technologies list`"
        )
    _check_category(session, entry.category)
    _check_spellings(session, entry, except_id=technology.id)
    technology.name = entry.name
    technology.category = entry.category
    session.execute(delete(TechnologyAlias).where(TechnologyAlias.technology_id == technology.id))
    _store_aliases(session, technology, entry)
    return technology


def _store_aliases(session: Session, technology: Technology, entry: TechnologyEntry) -> None:
    # Spellings the matcher cannot tell apart are stored once, first one kept.
    aliases: dict[str, str] = {}
    for alias in entry.aliases:
        if _alias_key(alias) != _alias_key(entry.name):
            aliases.setdefault(_alias_key(alias), alias)
    for alias in aliases.values():
        session.add(TechnologyAlias(technology_id=technology.id, alias=alias))
    session.flush()


def remove_technology(session: Session, name: str) -> str:
    """Delete a technology and its links to offers; the offers stay. Returns the name removed."""
    technology = find_technology(session, name)
    if technology is None:
        raise CatalogueEditRejected(
            f"no technology named {name!r}; see `datastats technologies list`"
        )
    removed = technology.name
    session.delete(technology)
    session.flush()
    return removed
