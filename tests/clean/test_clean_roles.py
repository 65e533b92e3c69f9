from __future__ import annotations

import csv
from pathlib import Path

import pytest

from services.clean.roles import classify_title, normalise_title
from services.clean.seniority import detect_seniority
from shared.roles import ROLE_SLUGS

LABELLED_TITLES = Path(__file__).parent / "data" / "titles_labelled.csv"
MIN_ACCURACY = 0.98


def _labelled_titles() -> list[dict[str, str]]:
    with LABELLED_TITLES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_labelled_titles_table_size() -> None:
    assert len(_labelled_titles()) >= 300


def test_labelled_titles_use_known_roles() -> None:
    labels = {row["expected_role"] for row in _labelled_titles()}
    assert labels <= ROLE_SLUGS | {"reject"}


def test_classify_title_accuracy_on_labelled_titles() -> None:
    rows = _labelled_titles()
    wrong = []
    for row in rows:
        match = classify_title(row["title"])
        predicted = match.role if match else "reject"
        if predicted != row["expected_role"]:
            wrong.append((row["title"], row["expected_role"], predicted))
    accuracy = 1 - len(wrong) / len(rows)
    assert accuracy >= MIN_ACCURACY, wrong[:20]


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Data Engineer H/F", "data_engineer"),
        ("DATA ENGINEER (F/H/X)", "data_engineer"),
        ("Consultant.e Data Engineer Expérimenté.e", "data_engineer"),
        ("Ingénieur(e) de données", "data_engineer"),
        ("Développeur·euse Big Data F/H", "data_engineer"),
        ("#DataEngineer Senior", "data_engineer"),
        ("2024-41514 - Analyste DATA et communication clients H/F", "data_analyst"),
        ("Analyste décisionnel - Business Intelligence (H/F)", "data_analyst"),
        ("BI Analyst", "data_analyst"),
        ("Data Scientist F/H - Paris", "data_scientist"),
        ("MLOps Engineer", "ml_engineer"),
        ("Machine Learning Engineer (H/F)", "ml_engineer"),
        ("Analytics Engineer dbt", "analytics_engineer"),
        ("Architecte Data Azure H/F", "data_architect"),
        ("Data Steward - Gouvernance des données", "data_steward"),
        ("Head of Data", "head_of_data"),
        ("Développeur BI Power BI (H/F)", "bi_developer"),
        ("Consultant Data H/F", "data_consultant"),
        ("Data Manager (H/F)", "data_manager"),
        ("Product Owner Data", "data_product_manager"),
    ],
)
def test_classify_title_role(title: str, role: str) -> None:
    match = classify_title(title)
    assert match is not None
    assert match.role == role


@pytest.mark.parametrize(
    "title",
    [
        "Comptable (H/F)",
        "Développeur Java H/F",
        "Chef de projet",
        "Data Center Engineer",
        "NTT Data - Application System Engineer",
        "Talent Acquisition Specialist",
        "Formation DATA ENGINEER - certifié",
        "Architecte Cloud Azure H/F",
        "",
    ],
)
def test_classify_title_rejects_non_data_titles(title: str) -> None:
    assert classify_title(title) is None


def test_classify_title_two_roles_keeps_first() -> None:
    match = classify_title("Data Engineer / Data Scientist (H/F)")
    assert match is not None
    assert match.role == "data_engineer"
    assert match.mixed is True


def test_classify_title_single_role_not_mixed() -> None:
    match = classify_title("Data Analyst (H/F)")
    assert match is not None
    assert match.mixed is False


def test_normalise_title_removes_gender_markers() -> None:
    assert normalise_title("Ingénieur(e) Data F/H (H/F/X)") == "ingenieur data"


@pytest.mark.parametrize(
    ("title", "contract", "years", "expected"),
    [
        ("Stage - Data Engineer", None, None, "intern"),
        ("Alternance Data Analyst", None, None, "apprentice"),
        ("Data Analyst", "apprenticeship", None, "apprentice"),
        ("Lead Data Engineer Senior", None, None, "lead"),
        ("Senior Data Engineer", None, 1.0, "senior"),
        ("Data Engineer Confirmé(e)", None, None, "confirmed"),
        ("Data Scientist Junior", None, 5.0, "junior"),
        ("Data Analyst", "cdi", 0.0, "junior"),
        ("Data Analyst", "cdi", 3.0, "confirmed"),
        ("Data Analyst", "cdi", 8.0, "senior"),
        ("Data Analyst", "cdi", None, None),
    ],
)
def test_detect_seniority(
    title: str, contract: str | None, years: float | None, expected: str | None
) -> None:
    assert detect_seniority(title, contract, years) == expected  # type: ignore[arg-type]
