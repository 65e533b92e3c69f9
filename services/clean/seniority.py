"""Seniority level from the title, the contract type and the years of experience asked."""

from __future__ import annotations

import re

from services.clean.roles import normalise_title
from shared.contracts.records import ContractType, Seniority

# Checked in this order on the folded title: "Lead Data Engineer Senior" is lead.
_TITLE_LEVELS: tuple[tuple[Seniority, re.Pattern[str]], ...] = (
    ("intern", re.compile(r"\b(?:stage|stagiaire|intern|internship|trainee|pfe)\b")),
    (
        "apprentice",
        re.compile(
            r"\b(?:alternance|alternant|apprenti|apprentie|apprentissage|apprentice|work study)\b"
        ),
    ),
    (
        "lead",
        re.compile(
            r"\b(?:lead|leader|principal|staff|head of|chief|directeur|directrice|director|"
            r"engineering manager|responsable)\b"
        ),
    ),
    ("senior", re.compile(r"\b(?:senior|sr|expert|experte|experimente senior)\b")),
    ("confirmed", re.compile(r"\b(?:confirme|confirmed|experimente|experienced|mid[ -]level)\b")),
    ("junior", re.compile(r"\b(?:junior|jr|debutant|jeune diplome|graduate|entry level)\b")),
)
# Years of experience asked -> level, for titles that name none: below 2 years is
# junior, 2 to 5 confirmed, 5 and more senior.
JUNIOR_MAX_YEARS = 2.0
CONFIRMED_MAX_YEARS = 5.0


def detect_seniority(
    title: str, contract_type: ContractType | None, experience_years_min: float | None
) -> Seniority | None:
    """Return the seniority stated by the title, else implied by contract or experience, or None."""
    folded = normalise_title(title)
    for level, pattern in _TITLE_LEVELS:
        if pattern.search(folded):
            return level
    if contract_type == "internship":
        return "intern"
    if contract_type == "apprenticeship":
        return "apprentice"
    if experience_years_min is None:
        return None
    if experience_years_min < JUNIOR_MAX_YEARS:
        return "junior"
    if experience_years_min < CONFIRMED_MAX_YEARS:
        return "confirmed"
    return "senior"
