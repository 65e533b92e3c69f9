from __future__ import annotations

import datetime as dt

import pytest

from services.clean.service import clean_batch, clean_offer, default_matcher
from services.clean.sources import find_job_posting, parse_datetime
from shared.contracts.records import CleanOffer, Rejection
from tests.clean.factories import job_posting, raw_france_travail, raw_jsonld


def _cleaned(result: CleanOffer | Rejection) -> CleanOffer:
    assert isinstance(result, CleanOffer), result
    return result


def test_france_travail_offer_fields() -> None:
    offer = _cleaned(clean_offer(raw_france_travail(), default_matcher()))
    assert offer.role == "data_engineer"
    assert offer.company == "Exemple Données"
    assert offer.contract_type == "cdi"
    assert offer.remote == "partial"
    assert offer.experience_years_min == 3
    assert offer.seniority == "confirmed"
    assert offer.place.commune_code == "59350"
    assert offer.place.postal_code == "59000"
    assert offer.published_at == dt.datetime(2025, 3, 3, 10, 15, tzinfo=dt.UTC)


def test_france_travail_offer_salary() -> None:
    offer = _cleaned(clean_offer(raw_france_travail(), default_matcher()))
    assert offer.salary is not None
    assert (offer.salary.yearly_min, offer.salary.yearly_max) == (45_000, 55_000)
    assert offer.salary.origin == "salaire.libelle"
    assert offer.salary_unreadable is False


def test_france_travail_offer_technologies_include_competences() -> None:
    offer = _cleaned(clean_offer(raw_france_travail(), default_matcher()))
    assert offer.technologies == ["Python", "SQL", "AWS", "Airflow"]


def test_france_travail_unreadable_salary_marked() -> None:
    raw = raw_france_travail(salaire={"commentaire": "37/40"})
    offer = _cleaned(clean_offer(raw, default_matcher()))
    assert offer.salary is None
    assert offer.salary_unreadable is True


def test_france_travail_cdd_duration() -> None:
    raw = raw_france_travail(typeContrat="CDD", typeContratLibelle="CDD - 10 Mois")
    offer = _cleaned(clean_offer(raw, default_matcher()))
    assert offer.contract_duration_months == 10


def test_france_travail_missing_title_rejected() -> None:
    result = clean_offer(raw_france_travail(intitule="  "), default_matcher())
    assert isinstance(result, Rejection)
    assert result.reason == "missing_title"


def test_france_travail_non_data_title_rejected() -> None:
    result = clean_offer(raw_france_travail(intitule="Comptable H/F"), default_matcher())
    assert isinstance(result, Rejection)
    assert result.reason == "not_a_data_role"
    assert result.stage == "clean"


@pytest.mark.parametrize(
    "overrides",
    [
        {"lieuTravail": "Lille", "entreprise": ["x"], "salaire": 12, "competences": "SQL"},
        {"dateCreation": "hier", "experienceLibelle": 5, "typeContrat": None},
        {"description": None, "origineOffre": None},
    ],
)
def test_france_travail_odd_shapes_do_not_raise(overrides: dict[str, object]) -> None:
    result = clean_offer(raw_france_travail(**overrides), default_matcher())
    assert isinstance(result, CleanOffer)


def test_jsonld_offer_in_graph_with_type_list() -> None:
    jsonld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "Offre"},
            {"@type": ["JobPosting"], "title": "Data Engineer H/F", "datePosted": "2025-03-03"},
        ],
    }
    offer = _cleaned(clean_offer(raw_jsonld(jsonld), default_matcher()))
    assert offer.title == "Data Engineer H/F"
    assert offer.published_at == dt.datetime(2025, 3, 3, tzinfo=dt.UTC)


def test_jsonld_offer_entities_decoded() -> None:
    posting = job_posting(
        title="Data &amp;#038; BI Analyst",
        description="&lt;p&gt;Stack : Power BI, dbt &amp;amp; Snowflake&lt;/p&gt;",
    )
    offer = _cleaned(clean_offer(raw_jsonld(posting), default_matcher()))
    assert offer.title == "Data & BI Analyst"
    assert offer.description == "Stack : Power BI, dbt & Snowflake"
    assert offer.technologies == ["Power BI", "dbt", "Snowflake"]


def test_jsonld_offer_loose_shapes_accepted() -> None:
    posting = job_posting(
        baseSalary="45-55 k€", hiringOrganization="Exemple", employmentType="Full-time"
    )
    offer = _cleaned(clean_offer(raw_jsonld(posting), default_matcher()))
    assert offer.company == "Exemple"
    assert offer.salary is not None
    assert offer.salary.yearly_min == 45_000
    assert offer.contract_type is None


def test_jsonld_offer_zero_salary_is_none() -> None:
    posting = job_posting(
        baseSalary={"currency": "EUR", "value": {"minValue": 0, "maxValue": 0, "unitText": "YEAR"}}
    )
    offer = _cleaned(clean_offer(raw_jsonld(posting), default_matcher()))
    assert offer.salary is None
    assert offer.salary_unreadable is False


def test_jsonld_offer_place() -> None:
    offer = _cleaned(clean_offer(raw_jsonld(job_posting()), default_matcher()))
    assert (offer.place.label, offer.place.postal_code) == ("Nantes", "44000")


def test_jsonld_offer_url_without_tracking() -> None:
    raw = raw_jsonld(job_posting(), url="https://jobs.example.fr/o/1?utm_source=mail")
    offer = _cleaned(clean_offer(raw, default_matcher()))
    assert offer.url == "https://jobs.example.fr/o/1"


def test_jsonld_same_offer_with_tracking_same_dedup_key() -> None:
    first = clean_offer(raw_jsonld(job_posting(), url="https://b.fr/o/1"), default_matcher())
    second = clean_offer(
        raw_jsonld(job_posting(), url="https://b.fr/o/1?utm_source=mail"), default_matcher()
    )
    assert _cleaned(first).dedup_key == _cleaned(second).dedup_key


def test_jsonld_same_title_two_cities_two_keys() -> None:
    lille = job_posting(
        jobLocation={"address": {"addressLocality": "Lille", "postalCode": "59000"}}
    )
    lyon = job_posting(jobLocation={"address": {"addressLocality": "Lyon", "postalCode": "69001"}})
    first = _cleaned(clean_offer(raw_jsonld(lille), default_matcher()))
    second = _cleaned(clean_offer(raw_jsonld(lyon), default_matcher()))
    assert first.dedup_key != second.dedup_key


def test_jsonld_without_job_posting_rejected() -> None:
    result = clean_offer(raw_jsonld({"@type": "Organization"}), default_matcher())
    assert isinstance(result, Rejection)
    assert result.reason == "no_job_posting"


def test_payload_of_unknown_shape_rejected() -> None:
    raw = raw_jsonld(job_posting()).model_copy(update={"payload": {"html": "<p>x</p>"}})
    result = clean_offer(raw, default_matcher())
    assert isinstance(result, Rejection)
    assert result.reason == "invalid_record"


def test_clean_batch_accounts_for_every_offer() -> None:
    raws = [
        raw_france_travail("A1"),
        raw_france_travail("A1"),
        raw_france_travail("A2", intitule="Vendeur"),
        raw_jsonld(job_posting()),
    ]
    batch = clean_batch(raws, default_matcher())
    assert len(batch.offers) == 2
    assert [rejection.reason for rejection in batch.rejections] == [
        "duplicate_in_batch",
        "not_a_data_role",
    ]


def test_find_job_posting_in_list() -> None:
    assert find_job_posting([{"@type": "Organization"}, {"@type": "JobPosting", "title": "x"}])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-03T10:15:00.000Z", dt.datetime(2025, 3, 3, 10, 15, tzinfo=dt.UTC)),
        ("2025-03-03", dt.datetime(2025, 3, 3, tzinfo=dt.UTC)),
        ("pas une date", None),
        (None, None),
    ],
)
def test_parse_datetime(value: object, expected: dt.datetime | None) -> None:
    assert parse_datetime(value) == expected
