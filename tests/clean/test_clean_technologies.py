from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.technologies import TechnologyEntry, TechnologyMatcher, load_catalogue
from shared.technologies.catalogue import CatalogueInvalid, parse_catalogue
from shared.technologies.matcher import AliasConflict

LABELLED_DESCRIPTIONS = Path(__file__).parent / "data" / "technologies_labelled.json"
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


@pytest.fixture(scope="module")
def matcher() -> TechnologyMatcher:
    return TechnologyMatcher(load_catalogue())


def test_catalogue_size() -> None:
    assert len(load_catalogue()) >= 150


def test_catalogue_categories() -> None:
    categories = {entry.category for entry in load_catalogue()}
    expected = {
        "language",
        "database",
        "cloud",
        "data_platform",
        "orchestration",
        "streaming",
        "bi",
        "ml",
        "big_data",
        "devops",
    }
    assert expected <= categories


def test_parse_catalogue_rejects_repeated_names() -> None:
    text = json.dumps([{"name": "Python", "category": "language", "aliases": []}] * 2)
    with pytest.raises(CatalogueInvalid):
        parse_catalogue(text)


def test_parse_catalogue_rejects_non_list() -> None:
    with pytest.raises(CatalogueInvalid):
        parse_catalogue('{"name": "Python"}')


def test_matcher_rejects_alias_shared_by_two_entries() -> None:
    entries = [
        TechnologyEntry(name="Go", category="language", aliases=("golang",)),
        TechnologyEntry(name="Golang tools", category="devops", aliases=("GoLang",)),
    ]
    with pytest.raises(AliasConflict):
        TechnologyMatcher(entries)


def test_matcher_built_from_entries_list() -> None:
    entries = [TechnologyEntry(name="Polaris", category="data_platform", aliases=("Polaris DB",))]
    assert TechnologyMatcher(entries).find("Stack : Polaris DB et Python") == ["Polaris"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Java et JavaScript", ["Java", "JavaScript"]),
        ("Expérience en JavaScript", ["JavaScript"]),
        ("un excellent relationnel", []),
        ("Maîtrise d'Excel avancé", ["Excel"]),
        ("Langages : Python, R, SQL", ["Python", "R", "SQL"]),
        ("Poste en R&D, stratégie go-to-market", []),
        ("Let's go to the next step", []),
        ("Stockage de 500 Go", []),
        ("Développement en Go et Rust", ["Go", "Rust"]),
        ("C#, C++ et .NET", ["C#", "C++", ".NET"]),
        ("API en Node.js", ["Node.js"]),
        ("Power BI, PowerBI et Power-BI", ["Power BI"]),
        ("scikit-learn ou sklearn", ["scikit-learn"]),
        ("GCP / Google Cloud Platform", ["GCP"]),
        ("création de tableaux de bord et de tableau de suivi", []),
        ("Dataviz : Tableau, Qlik Sense", ["Tableau", "Qlik Sense"]),
        ("société par actions simplifiée (SAS au capital de 10 000 €)", []),
        ("Une SAS innovante", []),
        ("Langages statistiques : SAS, R", ["SAS", "R"]),
        ("Big Query et BigQuery", ["BigQuery"]),
        ("PYTHON, SQL", ["Python", "SQL"]),
        ("dbt & Snowflake", ["dbt", "Snowflake"]),
        ("Amazon Web Services (AWS)", ["AWS"]),
        ("Scalabilité des traitements", []),
    ],
)
def test_matcher_find(matcher: TechnologyMatcher, text: str, expected: list[str]) -> None:
    assert matcher.find(text) == expected


def test_matcher_counts_each_technology_once(matcher: TechnologyMatcher) -> None:
    assert matcher.find("Python, python3, PYTHON et Python") == ["Python"]


def _labelled_descriptions() -> list[dict[str, object]]:
    return json.loads(LABELLED_DESCRIPTIONS.read_text(encoding="utf-8"))


def test_labelled_descriptions_sample_size() -> None:
    assert len(_labelled_descriptions()) >= 100


def test_matcher_precision_recall_on_labelled_descriptions(matcher: TechnologyMatcher) -> None:
    true_positives = false_positives = false_negatives = 0
    for row in _labelled_descriptions():
        found = set(matcher.find(str(row["excerpt"])))
        expected = set(row["expected"])  # type: ignore[arg-type]
        true_positives += len(found & expected)
        false_positives += len(found - expected)
        false_negatives += len(expected - found)
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_labelled_descriptions_name_catalogue_technologies() -> None:
    names = {entry.name for entry in load_catalogue()}
    labelled = {name for row in _labelled_descriptions() for name in row["expected"]}  # type: ignore[union-attr]
    assert labelled <= names
