"""Admin functions on place labels: list the unmatched ones, resolve them with an alias.

Every function takes a session and never commits; the caller owns the transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.geo_match.matching import AliasTarget
from shared.db.models import PlaceAlias, UnmatchedPlace
from shared.geo import Geography, load_geography
from shared.geo import label_key as _normalized_label_key

UNMATCHED_STATUSES = ("open", "resolved", "ignored")


class InvalidResolution(ValueError):
    """A resolution request names no target, several targets, or an unknown code."""


class UnknownPlaceCode(InvalidResolution):
    """A commune, département or region code is not in the geography."""


def label_key(label: str) -> str:
    """Return the key under which a label is stored in `unmatched_places` and `place_aliases`.

    Case, accents, punctuation, "St"/"Saint" and a leading article do not change the key.
    """
    return _normalized_label_key(label)


def list_unmatched(session: Session, status: str | None = "open") -> list[UnmatchedPlace]:
    """Return unmatched places with `status` (all of them when None), most frequent first."""
    if status is not None and status not in UNMATCHED_STATUSES:
        raise ValueError(f"invalid status {status!r}; expected one of {UNMATCHED_STATUSES} or None")
    query = select(UnmatchedPlace).order_by(
        UnmatchedPlace.occurrences.desc(), UnmatchedPlace.label_key
    )
    if status is not None:
        query = query.where(UnmatchedPlace.status == status)
    return list(session.scalars(query))


def resolve_label(
    session: Session,
    label: str,
    *,
    commune: str | None = None,
    department: str | None = None,
    region: str | None = None,
    ignore: bool = False,
    geography: Geography | None = None,
) -> PlaceAlias:
    """Store an alias for `label` and mark its unmatched place resolved (or ignored).

    Exactly one of `commune`, `department`, `region` and `ignore` must be given. A
    municipal arrondissement or delegated commune code is stored as its current
    commune. Raises `UnknownPlaceCode` for a code the geography does not have.
    """
    key = label_key(label)
    if not key:
        raise InvalidResolution(f"label {label!r} has no letters or digits to match on")
    chosen = [
        name
        for name, value in (
            ("commune", commune),
            ("department", department),
            ("region", region),
            ("ignore", ignore or None),
        )
        if value
    ]
    if len(chosen) != 1:
        raise InvalidResolution(
            f"resolving {label!r} needs exactly one of commune, department, region or ignore; "
            f"got {chosen or 'none'}"
        )

    target = _validated_target(
        commune=commune,
        department=department,
        region=region,
        ignore=ignore,
        geography=geography or load_geography(),
    )
    alias = session.scalar(select(PlaceAlias).where(PlaceAlias.label_key == key))
    if alias is None:
        alias = PlaceAlias(label_key=key, label=label)
        session.add(alias)
    alias.label = label
    alias.commune_code = target.commune_code
    alias.department_code = target.department_code
    alias.region_code = target.region_code
    alias.ignored = target.ignored

    place = session.scalar(select(UnmatchedPlace).where(UnmatchedPlace.label_key == key))
    if place is not None:
        place.status = "ignored" if ignore else "resolved"
    session.flush()
    return alias


def _validated_target(
    *,
    commune: str | None,
    department: str | None,
    region: str | None,
    ignore: bool,
    geography: Geography,
) -> AliasTarget:
    """Check a code against the geography and fill in the larger areas it belongs to."""
    if ignore:
        return AliasTarget(ignored=True)

    if commune:
        found = geography.commune(commune.strip().upper())
        if found is None:
            raise UnknownPlaceCode(
                f"unknown commune code {commune!r}; expected an INSEE code such as '44109' (Nantes)"
            )
        return AliasTarget(
            commune_code=found.code,
            department_code=found.department_code,
            region_code=found.region_code,
        )

    if department:
        found_department = geography.department(department.strip().upper())
        if found_department is None:
            raise UnknownPlaceCode(
                f"unknown département code {department!r}; expected one of "
                f"{sorted(geography.departments)}"
            )
        return AliasTarget(
            department_code=found_department.code, region_code=found_department.region_code
        )

    found_region = geography.region((region or "").strip())
    if found_region is None:
        raise UnknownPlaceCode(
            f"unknown region code {region!r}; expected one of {sorted(geography.regions)}"
        )
    return AliasTarget(region_code=found_region.code)


def load_aliases(session: Session) -> dict[str, AliasTarget]:
    """Return every admin alias by label key, as the matcher takes them."""
    return {
        alias.label_key: AliasTarget(
            commune_code=alias.commune_code,
            department_code=alias.department_code,
            region_code=alias.region_code,
            ignored=alias.ignored,
        )
        for alias in session.scalars(select(PlaceAlias))
    }
