"""Role family of an offer from its title (French and English titles).

The title is folded first (accents, case, gender markers, camel-case hashtags), then
every role pattern is searched. Patterns come in three tiers:

- strong: a job name that says the role by itself ("data engineer", "analyste de données");
- weak: a phrase that names the role only when no strong job name is present
  ("consultant data", "ingénieur data", "chef de projet BI");
- secondary: a bare job word after a slash ("Data Engineer / Architect"), which only
  marks the title as naming two roles.

Overlapping matches keep the stronger tier, then the longer text. The role is the
leftmost strong match, else the leftmost weak match; a title without either is not
a data role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from services.clean.text import clean_line, fold

Tier = Literal["strong", "weak", "secondary"]
_TIER_RANK: dict[Tier, int] = {"strong": 0, "weak": 1, "secondary": 2}


@dataclass(frozen=True)
class RoleMatch:
    role: str
    mixed: bool


@dataclass(frozen=True)
class _Pattern:
    role: str
    tier: Tier
    regex: re.Pattern[str]


@dataclass(frozen=True)
class _Hit:
    role: str
    tier: Tier
    start: int
    end: int


_S = r"(?:e|s|es)?"  # French feminine and plural endings: consultant(e)(s)
_ENGINEER = r"(?:engineer|enginner|enginer|engeneer|ingenieur" + _S + r")s?"
_DATA = r"(?:data|donnees|big data|bigdata)"
_BI = r"(?:bi|msbi|business intelligence|decisionnel(?:le)?|power bi|qlik|tableau|dataviz|data viz)"

_PATTERNS: dict[str, dict[Tier, list[str]]] = {
    "analytics_engineer": {
        "strong": [
            r"analytics? " + _ENGINEER,
            r"data (?:and |& )analytics " + _ENGINEER,
            r"data analyst " + _ENGINEER,
            r"ingenieur" + _S + r" analytics",
        ],
    },
    "ml_engineer": {
        "strong": [
            r"(?:ml|machine learning|deep learning|ai|ia|llm|nlp|computer vision|mlops|ml ops) "
            + _ENGINEER,
            r"data (?:and |& )(?:ai|ia) " + _ENGINEER,
            r"ingenieur" + _S + r" (?:en )?(?:ml|machine learning|deep learning|ia|"
            r"intelligence artificielle|vision par ordinateur)",
            r"ml ?ops",
            r"developpeu(?:r|se)" + _S + r" (?:ia|machine learning|intelligence artificielle)",
            r"prompt " + _ENGINEER,
            r"software " + _ENGINEER + r" (?:- )?(?:data science|machine learning|ml|ai|ia)",
            r"data - ml " + _ENGINEER,
        ],
    },
    "data_scientist": {
        "strong": [
            r"data ?-? ?scien(?:tist|tiste)" + _S,
            r"scientifique" + _S + r" (?:des |de )?donnees",
            r"(?:machine learning|ml|ai|ia) scientist" + _S,
            r"research scientist" + _S,
            r"statisticien(?:ne)?" + _S,
        ],
        "weak": [r"data ?-? ?science", r"datascience"],
    },
    "data_engineer": {
        "strong": [
            r"data " + _ENGINEER,
            r"data ingenieur" + _S,
            r"ingenieur" + _S + r" (?:de |des )?(?:donnees|data)(?! ?(?:scien|analy|architect))",
            r"(?:big ?data|data ops|dataops|data platform|data plateforme|data reliability|"
            r"data operations|data cloud|data dev|data (?:and |& )cloud|cloud (?:and |& )data|"
            r"data quality|data pipeline|etl|elt|data integration|data streaming) " + _ENGINEER,
            r"ingenieur" + _S + r" big data",
            r"developpeu(?:r|se)" + _S + r" (?:big data|etl|data)",
            r"data ?ops",
            r"data engine\b",
        ],
        "weak": [
            r"software " + _ENGINEER + r" (?:- )?data(?! (?:stores?|visuali))",
            r"administrat(?:eur|rice)"
            + _S
            + r" (?:de )?(?:la )?plateforme (?:data ?science|"
            + _DATA
            + ")",
            r"big data .{0,12}(?:engineer|devops)",
        ],
        "secondary": [r"(?<=/ )" + _ENGINEER + r"\b", r"(?<=/)" + _ENGINEER + r"\b"],
    },
    "data_analyst": {
        "strong": [
            r"data ?-? ?analys(?:t|te|ts|tes)\b",
            r"analyste?" + _S + r" (?:de |des )?(?:data|donnees)",
            r"analyste?" + _S + r" (?:" + _BI + r")",
            r"(?:bi|business intelligence|decisionnel|reporting) analyst" + _S,
            r"data miner" + _S,
            r"charge" + _S + r" d'etudes? (?:statistiques?|data)",
        ],
        "weak": [
            r"(?:ingenieur" + _S + r" )?(?:en )?analyse" + _S + r" (?:de |des )?donnees",
            r"assistant" + _S + r" (?:" + _BI + r"|data)",
        ],
        "secondary": [r"(?<=/ )analyst" + _S + r"\b", r"(?<=/)analyst" + _S + r"\b"],
    },
    "data_architect": {
        "strong": [
            r"data architect" + _S,
            r"architecte?" + _S + r" (?:des |de )?(?:data|donnees|big data|" + _BI + r")",
            r"architecte? " + _ENGINEER + r" data",
        ],
        "secondary": [
            r"(?<=/ )architect" + _S + r"\b",
            r"(?<=/)architect" + _S + r"\b",
            r"(?<=- )architecte\b",
        ],
    },
    "data_steward": {
        "strong": [
            r"data stewards?",
            r"data (?:governance|gouvernance)",
            r"gouvernance (?:des |de la )?(?:donnees|data)",
            r"data quality (?:analyst|manager|officer)" + _S,
            r"master data",
        ],
    },
    "head_of_data": {
        "strong": [
            r"head of (?:data|analytics|bi|business intelligence|ai|ia)",
            r"chief data officer",
            r"(?:directeur|directrice|director|vp) (?:de la |des )?(?:data|donnees|analytics)",
            r"data lead\b",
            r"engineering manager\b.{0,20}\bdata",
            r"responsable"
            + _S
            + r" (?:de la |des |du )?(?:data|donnees|"
            + _BI
            + r")(?! ?(?:analyst|engineer|scien))",
        ],
    },
    "bi_developer": {
        "strong": [
            r"(?:bi|business intelligence|power bi|qlik|tableau|decisionnel|msbi) "
            r"(?:developer|developpeur|engineer|ingenieur)" + _S,
            r"(?:developpeu(?:r|se)|developer|ingenieur|engineer)" + _S + r" (?:" + _BI + r")",
            r"data ?viz(?:ualisation|ualization)? " + _ENGINEER,
            r"ingenieur" + _S + r" data ?visuali[sz]ation",
        ],
        "weak": [
            r"(?:ingenieur|developpeur|developpement|expert)" + _S + r"\b.{0,30}\b(?:" + _BI + r")",
            r"(?:expert|specialiste)" + _S + r" (?:" + _BI + r")",
        ],
    },
    "data_consultant": {
        "weak": [
            r"consultant" + _S + r" (?:[a-z]+ ){0,2}(?:" + _DATA + r"|" + _BI + r"|cloud data)\b",
            r"data consultant" + _S,
            r"consultant" + _S + r" (?:en )?(?:" + _DATA + r"|" + _BI + r")",
        ],
    },
    "data_manager": {
        "strong": [
            r"data manager" + _S,
            r"gestionnaire" + _S + r" (?:de |des )?donnees",
            r"data project manager",
        ],
        "weak": [
            r"(?:chef|cheffe|charge"
            + _S
            + r") de projets? (?:"
            + _DATA
            + r"|"
            + _BI
            + r"|reporting)",
            r"project manager data",
        ],
    },
    "data_product_manager": {
        "strong": [
            r"data product (?:manager|owner)" + _S,
            r"product (?:manager|owner)" + _S + r" data",
            r"(?:chef|cheffe) de produit data",
            r"(?:it |product |application )?owner data(?: science)?",
        ],
    },
}

# Phrases that contain "data" without being about a data role; they are blanked
# before matching so that no pattern can reach into them.
_NOT_A_ROLE = re.compile(
    r"data ?cent(?:er|re)s?|ntt data|data protection|data privacy|data entry|market data|"
    r"data stores?"
)
# Titles of courses, trainers and recruiting events rather than jobs.
_NOT_A_JOB = re.compile(r"^formation\b|\bformat(?:eur|rice)s?\b|\bjob ?dating\b")

_GENDER_MARKERS = re.compile(
    r"[\[(]?\b(?:[hfmwxd]|nb|n|all gender)(?: ?[/-] ?(?:[hfmwxd]|nb|n)){1,3}\b[\])]?"
)
_FEMININE_SUFFIX = re.compile(r"(?<=[a-z])(?:\((?:e|ne|euse|rice|se)\)|[.](?:e|euse|rice)\b)")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HYPHEN_BETWEEN_WORDS = re.compile(r"(?<=[a-z])-(?=[a-z])")
_PUNCTUATION = re.compile(r"[|:,;\[\]()\"«»!?_*]+")
_SPACES = re.compile(r"\s+")


def normalise_title(title: str) -> str:
    """Fold a title for matching: no accents, lower case, no gender markers or hashtags."""
    text = clean_line(title)
    text = _CAMEL_CASE.sub(" ", text.replace("#", " "))
    text = fold(text)
    text = _FEMININE_SUFFIX.sub("", text)
    text = _GENDER_MARKERS.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text)
    text = _HYPHEN_BETWEEN_WORDS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def classify_title(title: str) -> RoleMatch | None:
    """Return the role family named by `title`, or None when it names no data role."""
    text = normalise_title(title)
    if not text or _NOT_A_JOB.search(text):
        return None
    text = _NOT_A_ROLE.sub(lambda match: "#" * len(match.group()), text)

    hits = _select_hits(_find_hits(text))
    strong = [hit for hit in hits if hit.tier == "strong"]
    weak = [hit for hit in hits if hit.tier == "weak"]
    primary = min(strong or weak, key=lambda hit: hit.start, default=None)
    if primary is None:
        return None

    named_roles = {hit.role for hit in hits if hit.tier != "weak"} | {primary.role}
    return RoleMatch(role=primary.role, mixed=len(named_roles) > 1)


def _find_hits(text: str) -> list[_Hit]:
    return [
        _Hit(pattern.role, pattern.tier, match.start(), match.end())
        for pattern in _compiled_patterns()
        for match in pattern.regex.finditer(text)
    ]


def _select_hits(hits: list[_Hit]) -> list[_Hit]:
    """Keep non-overlapping hits, preferring the stronger tier, then the longer text."""
    ranked = sorted(hits, key=lambda hit: (_TIER_RANK[hit.tier], hit.start - hit.end, hit.start))
    kept: list[_Hit] = []
    for hit in ranked:
        if all(hit.end <= other.start or hit.start >= other.end for other in kept):
            kept.append(hit)
    return kept


_COMPILED: list[_Pattern] = []


def _compiled_patterns() -> list[_Pattern]:
    if not _COMPILED:
        for role, tiers in _PATTERNS.items():
            for tier, expressions in tiers.items():
                for expression in expressions:
                    regex = re.compile(r"(?<![a-z0-9])(?:" + expression + r")(?![a-z0-9])")
                    _COMPILED.append(_Pattern(role, tier, regex))
    return _COMPILED
