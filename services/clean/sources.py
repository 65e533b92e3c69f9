"""Per-source extraction: the fields the cleaner needs, from each source's own record shape.

Two shapes are read: a France Travail "Offres d'emploi v2" record, and a payload
`{"jsonld": {...}, "url": ...}` holding a schema.org `JobPosting` (possibly inside
`@graph`, with `@type` as a string or a list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.clean.contract import (
    Contract,
    contract_from_employment_type,
    contract_from_france_travail,
    contract_from_text,
    contract_from_title,
)
from services.clean.experience import experience_from_france_travail, experience_from_text
from services.clean.salary import (
    SalaryReading,
    find_salary_in_description,
    read_france_travail_salary,
    read_jsonld_salary,
)
from services.clean.text import clean_line, clean_text
from shared.contracts.records import PlaceEvidence, RawOffer

FRANCE_TRAVAIL = "france_travail"
TELEWORK_LABEL = "Télétravail"


class OfferUnreadable(ValueError):
    """An offer's payload lacks what the cleaner needs; `reason` is the rejection slug."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ExtractedOffer:
    """The fields of one offer, read from its source record and not yet normalised."""

    title: str
    description: str
    company: str | None
    url: str | None
    place: PlaceEvidence
    published_at: dt.datetime | None
    contract: Contract
    salary: SalaryReading
    experience_years_min: float | None
    remote_texts: tuple[str, ...] = ()
    job_location_type: object = None
    skills_text: str = ""


def extract_offer(raw: RawOffer) -> ExtractedOffer:
    """Read the offer of any supported source; raises `OfferUnreadable`."""
    if raw.source == FRANCE_TRAVAIL:
        return extract_france_travail(raw.payload, url=raw.url)
    if "jsonld" in raw.payload:
        return extract_jsonld(raw.payload, url=raw.url)
    raise OfferUnreadable(
        "invalid_record",
        f"payload of source {raw.source!r} has keys {sorted(raw.payload)[:10]!r}; "
        "expected a France Travail record or a `jsonld` JobPosting",
    )


def extract_france_travail(payload: dict[str, Any], *, url: str | None = None) -> ExtractedOffer:
    """Read a France Travail "Offres d'emploi v2" record as the API returns it."""
    title = clean_line(payload.get("intitule"))
    if not title:
        raise OfferUnreadable("missing_title", f"offer {payload.get('id')!r} has no `intitule`")
    description = clean_text(payload.get("description"))

    salary = read_france_travail_salary(payload.get("salaire"))
    if salary.salary is None:
        from_description = find_salary_in_description(description)
        if from_description is not None:
            salary = SalaryReading(salary=from_description)

    experience = experience_from_france_travail(
        payload.get("experienceLibelle"), payload.get("experienceExige")
    )
    if experience is None:
        experience = experience_from_text(description)

    origin = _as_dict(payload.get("origineOffre"))
    return ExtractedOffer(
        title=title,
        description=description,
        company=_text_or_none(_as_dict(payload.get("entreprise")).get("nom")),
        url=_text_or_none(origin.get("urlOrigine")) or url,
        place=_france_travail_place(_as_dict(payload.get("lieuTravail"))),
        published_at=parse_datetime(payload.get("dateCreation")),
        contract=contract_from_france_travail(payload, title),
        salary=salary,
        experience_years_min=experience,
        remote_texts=(
            title,
            description,
            clean_line(payload.get("dureeTravailLibelle")),
            clean_line(payload.get("complementExercice")),
        ),
        skills_text="\n".join(_competence_labels(payload.get("competences"))),
    )


def extract_jsonld(payload: dict[str, Any], *, url: str | None = None) -> ExtractedOffer:
    """Read a payload `{"jsonld": ..., "url": ...}` holding a schema.org JobPosting."""
    posting = find_job_posting(payload.get("jsonld"))
    if posting is None:
        raise OfferUnreadable("no_job_posting", "payload `jsonld` contains no JobPosting object")
    title = clean_line(posting.get("title") or posting.get("name"))
    if not title:
        raise OfferUnreadable("missing_title", "JobPosting has no `title`")
    description = clean_text(posting.get("description"))

    salary = read_jsonld_salary(posting.get("baseSalary"))
    if salary.salary is None and not salary.unreadable:
        salary = read_jsonld_salary(posting.get("estimatedSalary"), "jsonld.estimatedSalary")
    if salary.salary is None:
        from_description = find_salary_in_description(description)
        if from_description is not None:
            salary = SalaryReading(salary=from_description)

    job_location_type = posting.get("jobLocationType")
    return ExtractedOffer(
        title=title,
        description=description,
        company=_organisation_name(posting.get("hiringOrganization")),
        url=_text_or_none(payload.get("url")) or _text_or_none(posting.get("url")) or url,
        place=_jsonld_place(posting.get("jobLocation"), job_location_type),
        published_at=parse_datetime(posting.get("datePosted")),
        contract=_jsonld_contract(posting, title, description),
        salary=salary,
        experience_years_min=_jsonld_experience(posting.get("experienceRequirements"), description),
        remote_texts=(title, description),
        job_location_type=job_location_type,
        skills_text=" ".join(_strings(posting.get("skills"))),
    )


def find_job_posting(data: object) -> dict[str, Any] | None:
    """Return the first JobPosting object in a JSON-LD value (object, list or `@graph`)."""
    if isinstance(data, list):
        for item in data:
            found = find_job_posting(item)
            if found is not None:
                return found
        return None
    if not isinstance(data, dict):
        return None
    if "JobPosting" in _strings(data.get("@type")):
        return data
    return find_job_posting(data.get("@graph"))


def parse_datetime(value: object) -> dt.datetime | None:
    """Parse an ISO 8601 date or date-time; a date or a naive time is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _france_travail_place(place: dict[str, Any]) -> PlaceEvidence:
    return PlaceEvidence(
        commune_code=_text_or_none(place.get("commune")),
        postal_code=_text_or_none(place.get("codePostal")),
        label=_text_or_none(place.get("libelle")),
        latitude=_number_or_none(place.get("latitude")),
        longitude=_number_or_none(place.get("longitude")),
    )


def _jsonld_place(location: object, job_location_type: object) -> PlaceEvidence:
    if isinstance(location, list):
        location = next((item for item in location if isinstance(item, dict)), None)
    if not isinstance(location, dict):
        telecommute = "TELECOMMUTE" in [item.upper() for item in _strings(job_location_type)]
        return PlaceEvidence(label=TELEWORK_LABEL if telecommute else None)

    address = location.get("address")
    geo = _as_dict(location.get("geo"))
    if isinstance(address, str):
        label, postal_code = clean_line(address) or None, None
    else:
        address = _as_dict(address)
        label = _text_or_none(address.get("addressLocality")) or _text_or_none(
            address.get("addressRegion")
        )
        postal_code = _text_or_none(address.get("postalCode"))
    return PlaceEvidence(
        postal_code=postal_code,
        label=label or _text_or_none(location.get("name")),
        latitude=_number_or_none(geo.get("latitude")),
        longitude=_number_or_none(geo.get("longitude")),
    )


def _jsonld_contract(posting: dict[str, Any], title: str, description: str) -> Contract:
    contract_type = (
        contract_from_title(title)
        or contract_from_employment_type(posting.get("employmentType"))
        or contract_from_text(title)
        or contract_from_text(description)
    )
    return Contract(contract_type)


def _jsonld_experience(requirements: object, description: str) -> float | None:
    if isinstance(requirements, dict):
        months = _number_or_none(requirements.get("monthsOfExperience"))
        if months is not None:
            return round(months / 12, 2)
        requirements = requirements.get("description")
    if isinstance(requirements, str):
        years = experience_from_text(requirements)
        if years is not None:
            return years
    return experience_from_text(description)


def _organisation_name(value: object) -> str | None:
    if isinstance(value, dict):
        return _text_or_none(value.get("name"))
    return _text_or_none(value)


def _competence_labels(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [clean_line(item.get("libelle")) for item in value if isinstance(item, dict)]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text_or_none(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return clean_line(value) or None


def _number_or_none(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    return None
