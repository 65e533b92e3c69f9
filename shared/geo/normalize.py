"""Normalisation of French place labels, so that spelling variants of one name share a key.

Case, accents, ligatures (œ, æ), hyphens, apostrophes and spaces are folded away,
and the abbreviations St, Ste, Sts and Stes become Saint, Sainte, Saints, Saintes.
`name_key` also drops one leading article (Le, La, Les, L'), so "Les Mureaux" and
"MUREAUX" share a key.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LABEL_KEY_LENGTH = 200

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LEADING_ARTICLES = frozenset({"le", "la", "les", "l"})


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents and ligatures ("Œuilly" -> "oeuilly")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def tokens(text: str) -> list[str]:
    """Split `text` into folded alphanumeric words, with Saint abbreviations expanded."""
    words = _NON_ALPHANUMERIC.sub(" ", fold(text)).split()
    return [_ABBREVIATIONS.get(word, word) for word in words]


def normalize_text(text: str) -> str:
    """Return the folded words of `text` joined by single spaces."""
    return " ".join(tokens(text))


def name_key(text: str) -> str:
    """Return the lookup key of a place name: folded words without a leading article."""
    words = tokens(text)
    if len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)


def label_key(label: str) -> str:
    """Return the key of a whole place label, as stored for unmatched places and aliases.

    The key keeps every word of the label, département numbers included, so that
    "Saint-Denis - 974" and "Saint-Denis" stay two keys. It is cut to the column
    width of `label_key` in the database.
    """
    return name_key(label)[:MAX_LABEL_KEY_LENGTH]
