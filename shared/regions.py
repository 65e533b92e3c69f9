"""The 18 regions of France (INSEE codes, 2016 boundaries) and the whole-country code."""

from __future__ import annotations

ALL_FRANCE = "FR"

REGIONS: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}


def region_name(code: str, language: str = "fr") -> str:
    """Return the region's name; region names are proper nouns, only the total is translated."""
    if code == ALL_FRANCE:
        return "France entière" if language == "fr" else "All of France"
    try:
        return REGIONS[code]
    except KeyError as exc:
        raise KeyError(f"unknown region code {code!r}; expected an INSEE region code") from exc
