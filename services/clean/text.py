"""Text helpers: HTML entity decoding, tag removal, whitespace and accent folding."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from shared.technologies.folding import fold_accents, normalise_spaces

# An offer that escaped its HTML twice (`&amp;amp;`, `&amp;#038;`) needs one decoding
# per level; five levels covers every source seen so far with a margin.
MAX_UNESCAPE_ROUNDS = 5

_TAG = re.compile(r"<[^<>]{0,2000}>")
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|p|div|li|h[1-6])\b[^<>]{0,2000}>", re.I)
_SCRIPT = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_ANY_SPACE = re.compile(r"\s+")


def unescape_until_stable(text: str) -> str:
    """Decode HTML entities repeatedly, so `&amp;#038;` becomes `&`."""
    for _ in range(MAX_UNESCAPE_ROUNDS):
        decoded = html.unescape(text)
        if decoded == text:
            return decoded
        text = decoded
    return text


def clean_text(value: object) -> str:
    """Return plain text: entities decoded until stable, tags removed, whitespace normalised.

    Line breaks between paragraphs are kept as single newlines. The result is plain
    text, meant to be escaped again by whatever renders it.
    """
    if not isinstance(value, str):
        return ""
    text = unescape_until_stable(value)
    text = _SCRIPT.sub(" ", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub(" ", text)
    text = normalise_spaces(text).replace("\r", "\n")
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _BLANK_LINES.sub("\n", text)
    return text.strip()


def clean_line(value: object) -> str:
    """Return `clean_text` on one line: every whitespace run becomes one space."""
    return _ANY_SPACE.sub(" ", clean_text(value)).strip()


@lru_cache(maxsize=256)
def fold(text: str) -> str:
    """Return lower-case text without accents and with ordinary spaces, for matching.

    Cached because each cleaning step folds the same description again.
    """
    return fold_accents(text).lower()
