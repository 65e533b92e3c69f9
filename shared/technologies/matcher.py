"""Find catalogue technologies in free text with one combined regular expression.

Every spelling of every entry goes into one pattern, factored as a trie, so a text
is scanned once whatever the size of the catalogue. Spellings match on word
boundaries, case-insensitively and without accents: `Java` never matches inside
`JavaScript`, `Excel` never inside `excellent`, and `C++`, `C#`, `.NET` keep their
symbols. Spaces, hyphens and underscores inside a spelling are optional, so
`Power BI`, `PowerBI` and `Power-BI` are one spelling.

Each match consumes its text: `SQL Server` names SQL Server only, not SQL too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shared.technologies.catalogue import TechnologyEntry
from shared.technologies.folding import fold_accents

# Spellings that are also ordinary words, letters or abbreviations. They count only
# when written with the catalogue's case and inside a list of technologies. Such a list
# shows as a comma, slash or bracket, "et"/"ou", another technology just before, or a
# word such as "langage" before. So "R&D", "go-to-market", "500 Go", "tableau de bord"
# and "une SAS" do not count.
AMBIGUOUS_SPELLINGS: frozenset[str] = frozenset(
    {
        "r",
        "go",
        "c",
        "sas",
        "tableau",
        "julia",
        "js",
        "dax",
        "bo",
        "spring",
        "react",
        "helm",
        "torch",
        "shiny",
        "ruby",
        "prefect",
        "glue",
        "athena",
        "synapse",
        "iceberg",
        "confluence",
        "confluent",
        "pulsar",
        "presto",
        "h2o",
        "superset",
        "dataflow",
        "hudi",
        "storm",
        "pig",
        "datastudio",
    }
)

_SEPARATOR_ATOM = r"[\s\-_]?"
_INNER_SEPARATORS = re.compile(r"[\s\-_]+")
_LEFT_BOUNDARY = r"(?<![\w@])"
_RIGHT_BOUNDARY = r"(?![\w+#])"
_END = ""

_LIST_PUNCTUATION = frozenset(",;/|()[]+")
_OPENING_BRACKETS = frozenset("([")
_LINK_WORDS = frozenset({"et", "ou", "and", "or", "avec", "with", "ainsi", "via", "like"})
_INTRO_WORDS = frozenset(
    {
        "langage",
        "langages",
        "language",
        "languages",
        "logiciel",
        "logiciels",
        "outil",
        "outils",
        "tool",
        "tools",
        "environnement",
        "environment",
        "sous",
        "en",
        "in",
        "stack",
        "maitrise",
        "programmation",
        "programming",
        "developpement",
        "expertise",
        "technologies",
        "technos",
        "notamment",
        "type",
        "comme",
        "dont",
    }
)
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
_FIRST_WORD = re.compile(r"^\W*([A-Za-z]+)")
_NUMBER_BEFORE = re.compile(r"\d\s*$")
_CONTEXT_WIDTH = 40
_QUOTES = frozenset("'\"")


class AliasConflict(ValueError):
    """Two technologies share a spelling, so a match could not say which one it names."""


def spelling_key(spelling: str) -> str:
    """Return the lookup key of a spelling: no accents, lower case, no inner separators."""
    return _INNER_SEPARATORS.sub("", fold_accents(spelling).lower())


class TechnologyMatcher:
    """Finds the technologies of a catalogue in texts; build once, reuse for every offer."""

    def __init__(self, entries: Iterable[TechnologyEntry]) -> None:
        self._entry_by_key: dict[str, TechnologyEntry] = {}
        self._ambiguous_forms: dict[str, set[str]] = {}
        for entry in entries:
            for spelling in entry.spellings:
                self._add_spelling(entry, spelling)
        self.entries: tuple[TechnologyEntry, ...] = tuple(
            dict.fromkeys(self._entry_by_key.values())
        )
        self._pattern = _compile_spellings(
            spelling for entry in self.entries for spelling in entry.spellings
        )

    def _add_spelling(self, entry: TechnologyEntry, spelling: str) -> None:
        key = spelling_key(spelling)
        known = self._entry_by_key.get(key)
        if known is not None and known.name != entry.name:
            raise AliasConflict(
                f"spelling {spelling!r} names both {known.name!r} and {entry.name!r}; "
                "expected each spelling to name one technology"
            )
        self._entry_by_key[key] = entry
        if key in AMBIGUOUS_SPELLINGS:
            self._ambiguous_forms.setdefault(key, set()).add(fold_accents(spelling).strip())

    def find(self, text: str) -> list[str]:
        """Return the canonical names found in `text`, each once, in order of first mention."""
        return [entry.name for entry in self.find_entries(text)]

    def find_entries(self, text: str) -> list[TechnologyEntry]:
        """Return the entries found in `text`, each once, in order of first mention."""
        folded = fold_accents(text)
        found: dict[str, TechnologyEntry] = {}
        previous_end = -1
        for match in self._pattern.finditer(folded):
            key = spelling_key(match.group())
            entry = self._entry_by_key.get(key)
            if entry is None:
                continue
            if key in self._ambiguous_forms and not self._accept_ambiguous(
                folded, match, key, previous_end
            ):
                continue
            previous_end = match.end()
            found.setdefault(entry.name, entry)
        return list(found.values())

    def _accept_ambiguous(
        self, text: str, match: re.Match[str], key: str, previous_end: int
    ) -> bool:
        if match.group() not in self._ambiguous_forms[key]:
            return False
        if previous_end >= 0 and not text[previous_end : match.start()].strip(" ,/;&+-|()"):
            return True
        return in_technology_list(text, match.start(), match.end())


def in_technology_list(text: str, start: int, end: int) -> bool:
    """Tell whether `text[start:end]` is an item of a list of technologies, not a word of prose."""
    before = text[max(0, start - _CONTEXT_WIDTH) : start]
    after = text[end : end + _CONTEXT_WIDTH]
    if before[-1:] in _QUOTES and after[:1] == before[-1:]:
        before, after = before[:-1], after[1:]
    elif _is_word_fragment(before, after):
        return False

    previous_character = before.rstrip()[-1:]
    next_character = after.lstrip()[:1]
    next_word = _FIRST_WORD.search(after)
    list_follows = bool(next_character) and next_character in _LIST_PUNCTUATION | {":"}
    list_follows = list_follows or bool(
        next_word and next_word.group(1).lower() in _LINK_WORDS and after[:1] == " "
    )
    if previous_character in _OPENING_BRACKETS:
        # "(R, Python)" is a list, "(SAS au capital de ...)" is not.
        return list_follows
    if previous_character and previous_character in _LIST_PUNCTUATION:
        return True
    if list_follows:
        return True

    previous_word = _LAST_WORD.search(before)
    if previous_word and previous_word.group(1).lower() in _LINK_WORDS | _INTRO_WORDS:
        return before.rstrip()[-1:].isalpha()
    return False


def _is_word_fragment(before: str, after: str) -> bool:
    """Tell whether the match is part of an abbreviation or a quantity (R&D, go-to, 500 Go)."""
    if after[:1] in {"&", "'"} or after.lstrip()[:1] == "&":
        return True
    if after[:1] == "-" and after[1:2].isalpha():
        return True
    if before[-1:] in {"'", "-", "&", "."}:
        return True
    return bool(_NUMBER_BEFORE.search(before))


def _compile_spellings(spellings: Iterable[str]) -> re.Pattern[str]:
    trie: dict[str, dict] = {}
    for spelling in spellings:
        node = trie
        for atom in _atoms(spelling):
            node = node.setdefault(atom, {})
        node[_END] = {}
    body = _trie_pattern(trie)
    return re.compile(f"{_LEFT_BOUNDARY}{body}{_RIGHT_BOUNDARY}", re.IGNORECASE)


def _atoms(spelling: str) -> list[str]:
    """Split a spelling into regex atoms: escaped characters and optional separators."""
    atoms: list[str] = []
    for character in fold_accents(spelling.strip()).lower():
        if character in " -_":
            if atoms and atoms[-1] != _SEPARATOR_ATOM:
                atoms.append(_SEPARATOR_ATOM)
        else:
            atoms.append(re.escape(character))
    return atoms


def _trie_pattern(node: dict[str, dict]) -> str:
    """Turn a trie of atoms into one pattern; greedy groups try the longest spelling first."""
    branches = [atom + _trie_pattern(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{group})?"
    return group
