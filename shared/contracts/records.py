"""Records stored in stage batch files (gzip JSON Lines), one per offer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SalaryPeriod = Literal["hour", "day", "month", "year"]
ContractType = Literal[
    "cdi", "cdd", "interim", "internship", "apprenticeship", "freelance", "other"
]
RemotePolicy = Literal["none", "partial", "full", "unknown"]
Seniority = Literal["intern", "apprentice", "junior", "confirmed", "senior", "lead"]
GeoMethod = Literal[
    "commune_code",
    "postal_code",
    "label",
    "alias",
    "department",
    "region",
    "country",
    "remote",
    "ambiguous",
    "unmatched",
    "missing",
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RawOffer(_Record):
    """An offer as collected: the source's own record, untouched, with provenance."""

    source: str
    source_offer_id: str = Field(min_length=1, max_length=120)
    url: str | None = None
    query: str
    collected_at: dt.datetime
    payload: dict[str, Any]


class Salary(_Record):
    period: SalaryPeriod
    min: float | None = None
    max: float | None = None
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    months_paid: float | None = None
    yearly_min: float | None = Field(
        default=None, description="Yearly equivalent; None for day rates, kept apart."
    )
    yearly_max: float | None = None
    origin: str = Field(
        max_length=60, description="Where the figure came from, e.g. `salaire.libelle`."
    )
    flags: list[str] = Field(default_factory=list)


_POSTAL_CODE = re.compile(r"\b(\d{5})\b")
_COMMUNE_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


class PlaceEvidence(_Record):
    """Workplace evidence given by the source, strongest first.

    Codes that are not INSEE commune codes or French postal codes are dropped, so a
    malformed code never reaches the database. A postal code written inside an
    address keeps its five digits, and the label still carries the whole text.
    """

    commune_code: str | None = None
    postal_code: str | None = None
    label: str | None = Field(default=None, max_length=500)
    latitude: float | None = None
    longitude: float | None = None

    @field_validator("commune_code", mode="before")
    @classmethod
    def _valid_commune_code(cls, value: object) -> str | None:
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            return None
        code = value.strip().upper()
        if code.isdigit() and len(code) == 4:
            # A spreadsheet dropped the leading zero of départements 01 to 09.
            code = f"0{code}"
        return code if _COMMUNE_CODE.match(code) else None

    @field_validator("postal_code", mode="before")
    @classmethod
    def _valid_postal_code(cls, value: object) -> str | None:
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            return None
        if value.strip().isdigit() and len(value.strip()) == 4:
            value = f"0{value.strip()}"
        match = _POSTAL_CODE.search(value)
        return match.group(1) if match else None


class CleanOffer(_Record):
    source: str
    source_offer_id: str
    url: str | None = None
    title: str
    description: str = ""
    role: str
    role_mixed: bool = False
    seniority: Seniority | None = None
    company: str | None = None
    contract_type: ContractType | None = None
    contract_duration_months: float | None = None
    remote: RemotePolicy = "unknown"
    experience_years_min: float | None = None
    salary: Salary | None = None
    salary_unreadable: bool = False
    technologies: list[str] = Field(default_factory=list)
    place: PlaceEvidence = Field(default_factory=PlaceEvidence)
    published_at: dt.datetime | None = None
    collected_at: dt.datetime
    dedup_key: str


class Location(_Record):
    method: GeoMethod
    commune_code: str | None = None
    commune_name: str | None = None
    department_code: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    candidates: list[str] = Field(
        default_factory=list, description="Commune codes when the label is ambiguous."
    )


class LocatedOffer(CleanOffer):
    location: Location


class Rejection(_Record):
    """An offer a stage did not pass on, with the reason, so every offer is accounted for."""

    source: str
    source_offer_id: str
    stage: str
    reason: str
    detail: str | None = None
