from __future__ import annotations

import pytest

from services.clean.salary import (
    HOURS_PER_YEAR,
    find_salary_in_description,
    parse_salary_text,
    read_france_travail_salary,
    read_jsonld_salary,
    read_salary_text,
)
from shared.contracts.records import Salary

ORIGIN = "salaire.libelle"


def _read(text: str) -> Salary:
    salary = read_salary_text(text, ORIGIN).salary
    assert salary is not None, text
    return salary


@pytest.mark.parametrize("text", ["45-55 k€", "45 - 55K€ brut/an", "45k-55k"])
def test_salary_thousands_range_yearly(text: str) -> None:
    salary = _read(text)
    assert salary.period == "year"
    assert salary.yearly_min == 45_000
    assert salary.yearly_max == 55_000


def test_salary_no_break_spaces() -> None:
    salary = _read("De 45\u202f000 € à 55\u00a0000 € par an")
    assert (salary.period, salary.min, salary.max) == ("year", 45_000, 55_000)


def test_salary_monthly_decimal_comma() -> None:
    salary = _read("Mensuel de 3\u202f333,33 €")
    assert salary.period == "month"
    assert salary.min == 3333.33
    assert salary.yearly_min == pytest.approx(40_000, abs=1)


def test_salary_between_amounts_per_month() -> None:
    salary = _read("Salaire entre 3 000 euros et 3 500 euros bruts par mois")
    assert (salary.period, salary.min, salary.max) == ("month", 3000, 3500)


def test_salary_yearly_label_not_multiplied_by_months() -> None:
    salary = _read("Annuel de 50000.0 Euros à 60000.0 Euros sur 13.0 mois")
    assert (salary.yearly_min, salary.yearly_max) == (50_000, 60_000)
    assert salary.months_paid == 13


def test_salary_monthly_label_times_months_paid() -> None:
    salary = _read("Mensuel de 3576.93 Euros à 4230.77 Euros sur 13.0 mois")
    assert salary.yearly_min == pytest.approx(46_500, abs=1)
    assert salary.yearly_max == pytest.approx(55_000, abs=1)


def test_salary_monthly_label_defaults_to_twelve_months() -> None:
    assert _read("Mensuel de 2917.0 Euros").yearly_min == 2917 * 12


def test_salary_day_rate_kept_apart() -> None:
    salary = _read("200 à 300 € par jour")
    assert (salary.period, salary.min, salary.max) == ("day", 200, 300)
    assert salary.yearly_min is None
    assert salary.yearly_max is None


def test_salary_hourly_label() -> None:
    salary = _read("Horaire de 12.31 Euros sur 12 mois")
    assert (salary.period, salary.min) == ("hour", 12.31)
    assert salary.yearly_min == pytest.approx(12.31 * HOURS_PER_YEAR)


@pytest.mark.parametrize("text", ["Selon profil", "A négocier", "Non spécifié", "NC"])
def test_salary_stated_without_figure(text: str) -> None:
    reading = read_salary_text(text, ORIGIN)
    assert reading.salary is None
    assert reading.unreadable is False


def test_salary_open_ended_minimum() -> None:
    salary = _read("À partir de 42 k€")
    assert (salary.min, salary.max) == (42_000, None)
    assert "open_ended" in salary.flags


@pytest.mark.parametrize(
    "text", ["37/40", "à 100% dès le premier jour d'arrêt maladie", "30 €", "Annuel de"]
)
def test_salary_unreadable_text(text: str) -> None:
    reading = read_salary_text(text, ORIGIN)
    assert reading.salary is None
    assert reading.unreadable is True


def test_salary_remuneration_with_one_thousands_marker() -> None:
    salary = _read("Rémunération : 45 à 60 k€")
    assert (salary.min, salary.max) == (45_000, 60_000)


def test_salary_impossible_yearly_maximum_flagged() -> None:
    salary = _read("Annuel de 45000,00 Euros à 550000,00 Euros")
    assert salary.max == 550_000
    assert "implausible" in salary.flags


def test_salary_monthly_amount_that_is_yearly_corrected() -> None:
    salary = _read("Mensuel de 24000,00 Euros à 30000,00 Euros")
    assert salary.period == "year"
    assert salary.yearly_max == 30_000
    assert "unit_corrected" in salary.flags


def test_salary_plausible_label_has_no_flags() -> None:
    assert _read("Annuel de 35000.0 Euros à 45000.0 Euros sur 12.0 mois").flags == []


def test_france_travail_salary_falls_back_to_comment() -> None:
    reading = read_france_travail_salary({"commentaire": "3000 € brut mensuel"})
    assert reading.salary is not None
    assert reading.salary.origin == "salaire.commentaire"
    assert reading.salary.min == 3000


def test_france_travail_salary_missing_object() -> None:
    assert read_france_travail_salary(None).salary is None


def test_salary_in_description_sentence() -> None:
    text = "Groupe de 2 000 salariés. Rémunération : 45 à 55 k€ selon profil. CA de 50 M€."
    salary = find_salary_in_description(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.origin) == (45_000, 55_000, "description")


def test_salary_in_description_ignores_other_numbers() -> None:
    assert find_salary_in_description("Une équipe de 300 personnes depuis 2010.") is None


def test_jsonld_salary_swapped_bounds() -> None:
    value = {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 60000,
            "maxValue": 48000,
            "unitText": "YEAR",
        },
    }
    salary = read_jsonld_salary(value).salary
    assert salary is not None
    assert (salary.min, salary.max) == (48_000, 60_000)
    assert "swapped" in salary.flags


def test_jsonld_salary_zero_is_no_salary() -> None:
    value = {"currency": "EUR", "value": {"minValue": 0, "maxValue": 0, "unitText": "YEAR"}}
    reading = read_jsonld_salary(value)
    assert reading.salary is None
    assert reading.unreadable is False


def test_jsonld_salary_bare_string() -> None:
    salary = read_jsonld_salary("45-55 k€").salary
    assert salary is not None
    assert (salary.yearly_min, salary.yearly_max) == (45_000, 55_000)


def test_jsonld_salary_number_strings_and_unit_on_amount() -> None:
    salary = read_jsonld_salary({"currency": "eur", "value": "52000", "unitText": "YEAR"}).salary
    assert salary is not None
    assert (salary.period, salary.min, salary.currency) == ("year", 52_000, "EUR")


def test_jsonld_salary_list_of_amounts_day_rate() -> None:
    salary = read_jsonld_salary([{"value": {"value": 550, "unitText": "DAY"}}]).salary
    assert salary is not None
    assert (salary.period, salary.min, salary.yearly_min) == ("day", 550, None)


@pytest.mark.parametrize(
    "value", [True, ["x", None], {"value": {"unitText": "WEEK", "value": 900}}]
)
def test_jsonld_salary_odd_shapes_do_not_raise(value: object) -> None:
    assert read_jsonld_salary(value).salary is None


@pytest.mark.parametrize(
    ("text", "period", "amount", "yearly"),
    [
        pytest.param(
            "Mensuel de 2917.0 Euros sur 12.0 mois", "month", 2917, 35004, id="ft-monthly"
        ),
        pytest.param("Annuel de 38000.0 Euros sur 12.0 mois", "year", 38000, 38000, id="ft-yearly"),
        pytest.param("Salaire : 40 000 € brut par an", "year", 40000, 40000, id="free-text"),
    ],
)
def test_single_amount_gives_both_bounds(
    text: str, period: str, amount: float, yearly: float
) -> None:
    salary = parse_salary_text(text, "salaire.libelle")

    assert salary is not None
    assert salary.period == period
    assert (salary.min, salary.max) == (amount, amount)
    assert (salary.yearly_min, salary.yearly_max) == (yearly, yearly)
    assert "open_ended" not in salary.flags


def test_jsonld_single_value_gives_both_bounds() -> None:
    reading = read_jsonld_salary(
        {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {"@type": "QuantitativeValue", "value": 52000, "unitText": "YEAR"},
        }
    )

    assert reading.salary is not None
    assert (reading.salary.yearly_min, reading.salary.yearly_max) == (52000, 52000)


def test_salary_found_in_description_without_line_breaks() -> None:
    description = (
        "Nous recherchons un profil curieux pour rejoindre une équipe de huit personnes "
        "qui construit la plateforme de données du groupe, avec des échanges réguliers "
        "avec les métiers, la finance et la direction générale.Type de contrat : "
        "CDIRémunération : Entre 40k€ et 45k€ brut annuel selon profil.Localisation : "
        "Lyon 69003, deux jours de télétravail par semaine, mutuelle et tickets restaurant."
    )

    salary = find_salary_in_description(description)

    assert salary is not None
    assert salary.period == "year"
    assert (salary.yearly_min, salary.yearly_max) == (40000, 45000)


@pytest.mark.parametrize(
    ("text", "implausible"),
    [
        pytest.param("500 à 650 € par jour", False, id="usual-day-rate"),
        pytest.param("45 000 € par jour", True, id="yearly-amount-as-day-rate"),
        pytest.param("20 € par jour", True, id="too-low"),
    ],
)
def test_day_rate_plausibility(text: str, implausible: bool) -> None:
    salary = parse_salary_text(text, "salaire.commentaire")

    assert salary is not None
    assert salary.period == "day"
    assert ("implausible" in salary.flags) is implausible
