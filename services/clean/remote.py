"""Remote-work policy of an offer from its text and schema.org `jobLocationType`."""

from __future__ import annotations

import re

from services.clean.text import fold
from shared.contracts.records import RemotePolicy

_TELEWORK = r"(?:teletravail|tele-travail|remote|travail a distance)"

# Checked in this order: a refusal of remote work also contains the word "télétravail".
_NONE = re.compile(
    r"\b(?:pas de|sans|aucun|no|non eligible au) "
    + _TELEWORK
    + r"|\b"
    + _TELEWORK
    + r" (?:non (?:possible|autorise|envisageable)|impossible|exclu)"
    r"|\b" + _TELEWORK + r" ?: ?non\b"
    r"|\b(?:100 ?%|full|entierement en|uniquement en|exclusivement en) ?presentiel"
    r"|\bon[ -]site only\b|\bfully on[ -]site\b"
)
_FULL = re.compile(
    r"\b(?:full|fully|100 ?%|totally|entirely) ?"
    + _TELEWORK
    + r"|\b"
    + _TELEWORK
    + r" (?:complet|total|integral|a 100 ?%|100 ?%|permanent)"
    r"|\bentierement (?:a distance|en " + _TELEWORK + r")"
    r"|\bremote[ -]first\b|\bposte (?:en|100 ?% en) " + _TELEWORK + r"\b"
)
_PARTIAL = re.compile(
    r"\b" + _TELEWORK + r"\b"
    r"|\b(?:mode|travail|rythme|organisation|format|poste|fonctionnement|politique|modele|"
    r"teletravail) hybride\b"
    r"|\bhybrid (?:work|working|remote|model|role|position|policy)\b"
    r"|(?:\ben|\.) hybride\b|\bhybride ?\(|\bremote partiel\b|\bhybrid\b(?! cloud)"
)
# Words one of which every remote-work statement contains; a text without any of
# them is not searched further.
_KEYWORDS = (
    "teletravail",
    "tele-travail",
    "remote",
    "distance",
    "hybrid",
    "presentiel",
    "on-site",
    "on site",
)
# A place label that names remote work instead of a place ("Télétravail", "100% remote").
_REMOTE_PLACE = re.compile(
    r"^(?:\d{2,3} ?- ?)?(?:100 ?% ?|full |en )?" + _TELEWORK + r"(?: complet| total| 100 ?%)?$"
)
_CLOUD_HYBRID = re.compile(r"\b(?:cloud|architecture|infrastructure|environnement)s? hybrides?\b")


def detect_remote(
    *texts: str | None, job_location_type: object = None, place_label: str | None = None
) -> RemotePolicy:
    """Return none, partial, full, or unknown when the texts do not mention remote work."""
    if _is_telecommute(job_location_type):
        return "full"
    if place_label and _REMOTE_PLACE.match(" ".join(fold(place_label).split())):
        return "full"
    folded = fold(" \n ".join(text for text in texts if text))
    if not any(keyword in folded for keyword in _KEYWORDS):
        return "unknown"
    folded = _CLOUD_HYBRID.sub(" ", folded)
    if _NONE.search(folded):
        return "none"
    if _FULL.search(folded):
        return "full"
    if _PARTIAL.search(folded):
        return "partial"
    return "unknown"


def _is_telecommute(value: object) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and item.strip().upper() == "TELECOMMUTE" for item in values)
