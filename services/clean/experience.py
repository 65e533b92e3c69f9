"""Minimum years of experience from France Travail fields and free text."""

from __future__ import annotations

import re

from services.clean.text import fold

_BEGINNER = re.compile(
    r"\bdebutant(?:e|s)? (?:accepte|bienvenu|possible)|\bjeunes? diplome|\bno experience required"
    r"|\bsans experience\b|\bentry[ -]level\b"
)
_LABEL_YEARS = re.compile(r"(\d+(?:[.,]\d+)?)\s*an\(?s?\)?")
_LABEL_MONTHS = re.compile(r"(\d+(?:[.,]\d+)?)\s*mois\b")
_EXPERIENCE_WORD = re.compile(r"\bexp(?:erience|erimente|\.|\b)|\bxp\b|\bpratique\b")
_YEARS_IN_TEXT = re.compile(
    r"(?:(?:>|\+|plus de|au moins|minimum|min\.?|at least|over)\s*)?"
    r"(?<![\d+])(\d{1,2})(?:\s*(?:a|-|to|ou)\s*\d{1,2})?\s*\+?\s*"
    r"(?:ans|annees|an|years?|yrs?)\b"
)
_MAX_YEARS = 30
_CONTEXT_WIDTH = 60


def experience_from_france_travail(label: object, code: object) -> float | None:
    """Read `experienceLibelle` ("5 An(s)", "Débutant accepté") and `experienceExige` (D)."""
    if isinstance(label, str):
        folded = fold(label)
        if _BEGINNER.search(folded) or "debutant" in folded:
            return 0.0
        years = _LABEL_YEARS.search(folded)
        if years:
            return float(years.group(1).replace(",", "."))
        months = _LABEL_MONTHS.search(folded)
        if months:
            return round(float(months.group(1).replace(",", ".")) / 12, 2)
    if code == "D":
        return 0.0
    return None


def experience_from_text(text: str) -> float | None:
    """Return the smallest number of years of experience the text asks for, or None.

    A number of years counts only near a word about experience ("5 ans d'expérience",
    "> 5 years of experience", "expérience de 3 à 5 ans"), so company ages and
    durations of studies do not.
    """
    folded = fold(text)
    candidates: list[float] = []
    for match in _YEARS_IN_TEXT.finditer(folded):
        window = folded[max(0, match.start() - _CONTEXT_WIDTH) : match.end() + _CONTEXT_WIDTH]
        years = int(match.group(1))
        if years <= _MAX_YEARS and _EXPERIENCE_WORD.search(window):
            candidates.append(float(years))
    if candidates:
        return min(candidates)
    if _BEGINNER.search(folded):
        return 0.0
    return None
