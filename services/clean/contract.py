"""Contract type and duration from France Travail codes, schema.org `employmentType` and text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.clean.text import fold
from shared.contracts.records import ContractType

# France Travail `typeContrat` codes. SAI (seasonal work) is a fixed-term contract;
# DIN and DDI are open-ended or fixed-term contracts of a temping agency.
FRANCE_TRAVAIL_CONTRACTS: dict[str, ContractType] = {
    "CDI": "cdi",
    "CDD": "cdd",
    "SAI": "cdd",
    "MIS": "interim",
    "TTI": "interim",
    "DIN": "interim",
    "DDI": "interim",
    "LIB": "freelance",
    "FRA": "other",
    "CCE": "other",
    "REP": "other",
}

# schema.org `employmentType` values, upper case with underscores.
EMPLOYMENT_TYPES: dict[str, ContractType] = {
    "CDI": "cdi",
    "PERMANENT": "cdi",
    "CDD": "cdd",
    "TEMPORARY": "cdd",
    "FIXED_TERM": "cdd",
    "INTERIM": "interim",
    "INTERNSHIP": "internship",
    "INTERN": "internship",
    "STAGE": "internship",
    "APPRENTICESHIP": "apprenticeship",
    "ALTERNANCE": "apprenticeship",
    "APPRENTISSAGE": "apprenticeship",
    "CONTRACTOR": "freelance",
    "FREELANCE": "freelance",
    "INDEPENDANT": "freelance",
    "PER_DIEM": "freelance",
    "VOLUNTEER": "other",
    "OTHER": "other",
}

_APPRENTICESHIP = re.compile(
    r"\b(?:alternance|alternant|alternante|apprenti|apprentie|apprentissage|"
    r"professionnalisation|work[ -]study|apprentice(?:ship)?)\b"
)
_INTERNSHIP = re.compile(r"\b(?:stage|stagiaire|intern|internship|trainee|pfe)\b")
_CODE_IN_TEXT: tuple[tuple[ContractType, re.Pattern[str]], ...] = (
    ("cdi", re.compile(r"\bcdi\b|\bcontrat a duree indeterminee\b|\bpermanent contract\b")),
    ("cdd", re.compile(r"\bcdd\b|\bcontrat a duree determinee\b|\bfixed[ -]term\b")),
    ("interim", re.compile(r"\binterim\b|\bmission interimaire\b")),
    ("freelance", re.compile(r"\bfreelance\b|\bindependant\b|\bportage salarial\b")),
)
_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mois|jours?|jour\(s\)|ans?|an\(s\)|semaines?)\b")


@dataclass(frozen=True)
class Contract:
    contract_type: ContractType | None = None
    duration_months: float | None = None


def contract_from_france_travail(payload: dict[str, object], title: str) -> Contract:
    """Read `typeContrat`, `typeContratLibelle`, `natureContrat` and `alternance`."""
    code = payload.get("typeContrat")
    label = payload.get("typeContratLibelle")
    nature = fold(str(payload.get("natureContrat") or ""))
    duration = contract_duration_months(label) if isinstance(label, str) else None

    if payload.get("alternance") is True or _APPRENTICESHIP.search(nature):
        return Contract("apprenticeship", duration)
    from_title = contract_from_title(title)
    if from_title is not None:
        return Contract(from_title, duration)
    if isinstance(code, str) and code.upper() in FRANCE_TRAVAIL_CONTRACTS:
        contract_type = FRANCE_TRAVAIL_CONTRACTS[code.upper()]
        return Contract(contract_type, duration if contract_type != "cdi" else None)
    if isinstance(label, str):
        return Contract(contract_from_text(label), duration)
    return Contract()


def contract_from_title(title: str) -> ContractType | None:
    """Return internship or apprenticeship when the title names one; other types are not read."""
    folded = fold(title)
    if _APPRENTICESHIP.search(folded):
        return "apprenticeship"
    if _INTERNSHIP.search(folded):
        return "internship"
    return None


def contract_from_employment_type(value: object) -> ContractType | None:
    """Map a schema.org `employmentType` (a string or a list) to a contract type.

    FULL_TIME and PART_TIME tell nothing about the contract, so they map to None.
    """
    values = value if isinstance(value, list) else [value]
    for item in values:
        if not isinstance(item, str):
            continue
        key = re.sub(r"[\s-]+", "_", fold(item).strip()).upper()
        if key in EMPLOYMENT_TYPES:
            return EMPLOYMENT_TYPES[key]
    return None


def contract_from_text(text: str) -> ContractType | None:
    """Return the one contract type a text names, or None when it names none or several."""
    folded = fold(text)
    if _APPRENTICESHIP.search(folded):
        return "apprenticeship"
    named = [contract for contract, pattern in _CODE_IN_TEXT if pattern.search(folded)]
    return named[0] if len(named) == 1 else None


def contract_duration_months(label: str) -> float | None:
    """Read a duration such as "CDD - 10 Mois" or "Intérim - 15 Jour(s)" in months."""
    match = _DURATION.search(fold(label))
    if match is None:
        return None
    amount = float(match.group(1).replace(",", "."))
    unit = match.group(2)
    if unit.startswith("mois"):
        return amount
    if unit.startswith("an"):
        return amount * 12
    if unit.startswith("semaine"):
        return round(amount * 7 / 30.4375, 2)
    # NOTE: days are converted with the mean month length (365.25 / 12 days).
    return round(amount / 30.4375, 2)
