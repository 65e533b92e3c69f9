"""Accent and space folding that keeps the length of a text, for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Unicode spaces that French typography puts inside numbers and before punctuation.
SPACE_CHARACTERS = "\u00a0\u202f\u2007\u2009\u2008\u200a\u205f\u3000"
# `str.translate` looks up every character of a non-ASCII text one by one, so only the
# runs of non-ASCII characters are translated: French prose is mostly ASCII.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def normalise_spaces(text: str) -> str:
    """Turn no-break and thin spaces into ordinary spaces."""
    if text.isascii():
        return text
    table = _space_table()
    return _NON_ASCII_RUN.sub(lambda run: run.group().translate(table), text)


def fold_accents(text: str) -> str:
    """Replace accented Latin letters by their base letter and odd spaces by a space.

    Each character maps to exactly one character, so positions in the folded text
    are positions in the original text. Case is kept.
    """
    if text.isascii():
        return text
    table = _fold_table()
    return _NON_ASCII_RUN.sub(lambda run: run.group().translate(table), text)


@lru_cache(maxsize=1)
def _space_table() -> dict[int, str]:
    return {ord(character): " " for character in SPACE_CHARACTERS}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Map each precomposed Latin letter to its base letter (`é` -> `e`), one to one."""
    table: dict[int, str] = {}
    for code_point in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFD", chr(code_point))
        base = decomposed[0]
        if base.isascii() and base.isalpha() and len(decomposed) > 1:
            table[code_point] = base
    table.update({ord("œ"): "o", ord("Œ"): "O", ord("æ"): "a", ord("Æ"): "A", ord("ß"): "s"})
    table.update({ord("’"): "'", ord("‘"): "'", ord("–"): "-", ord("—"): "-", ord("·"): "."})
    table.update(_space_table())
    return table
