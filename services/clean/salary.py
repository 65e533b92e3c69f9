"""Salaries from France Travail labels, French free text and schema.org `baseSalary`.

Every parser returns a `SalaryReading` and never raises on offer content. Figures are
gross amounts as the offer states them, with a yearly equivalent for hourly, monthly
and yearly figures. Day rates (freelance) keep `yearly_min`/`yearly_max` at None so
that no statistic mixes them with salaries.

Flags on `Salary.flags`:
- `swapped`: the offer gave the maximum before the minimum; the bounds were exchanged.
- `unit_corrected`: a "monthly" amount that can only be a yearly salary was read as yearly.
- `implausible`: a yearly equivalent falls outside `PLAUSIBLE_YEARLY_MIN..MAX`
  (after any correction); statistics should leave such offers out.
- `open_ended`: "à partir de 42 k€": a minimum without a maximum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.clean.text import clean_line, fold
from shared.contracts.records import Salary, SalaryPeriod

# The French legal full-time working year: 1 607 hours (35 h a week over the year,
# net of paid leave and public holidays). Hourly wages are multiplied by it.
HOURS_PER_YEAR = 1607
DEFAULT_MONTHS_PAID = 12.0
# Yearly equivalents outside this range are typing errors or not salaries at all.
PLAUSIBLE_YEARLY_MIN = 5_000.0
PLAUSIBLE_YEARLY_MAX = 300_000.0
# Day rates have no yearly equivalent, so they get their own range (an estimate
# that spans junior missions to senior architects).
PLAUSIBLE_DAY_RATE_MIN = 80.0
PLAUSIBLE_DAY_RATE_MAX = 3_000.0
# A "monthly" figure at or above this amount (144 000 a year over 12 months) is a
# yearly salary typed into the monthly field.
# NOTE: an estimate from the France Travail labels we have seen; a real monthly pay
# above it would be read as yearly and flagged `unit_corrected`.
MONTHLY_AMOUNT_MAX = 12_000.0

FLAG_SWAPPED = "swapped"
FLAG_UNIT_CORRECTED = "unit_corrected"
FLAG_IMPLAUSIBLE = "implausible"
FLAG_OPEN_ENDED = "open_ended"


@dataclass(frozen=True)
class SalaryReading:
    """The result of reading a salary field: a salary or None, and whether it was unreadable."""

    salary: Salary | None = None
    unreadable: bool = False


@dataclass(frozen=True)
class _Amount:
    value: float
    thousands: bool
    money: bool
    start: int
    end: int


_NUMBER = r"\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d+)?"
_FRANCE_TRAVAIL_LABEL = re.compile(
    r"^(?P<period>annuel|mensuel|horaire|journalier|hebdomadaire|cachet)\s+de\s+"
    rf"(?P<min>{_NUMBER})\s*(?:euros?|eur|€)?"
    rf"(?:\s+a\s+(?P<max>{_NUMBER})\s*(?:euros?|eur|€)?)?"
    rf"(?:\s+sur\s+(?P<months>{_NUMBER})\s+mois)?"
)
_FRANCE_TRAVAIL_PERIODS: dict[str, SalaryPeriod | None] = {
    "annuel": "year",
    "mensuel": "month",
    "horaire": "hour",
    "journalier": "day",
    "hebdomadaire": None,
    "cachet": None,
}
_AMOUNT = re.compile(
    r"(?<![\d.,])(?P<number>\d{1,3}(?:[ .]\d{3})+|\d+)(?:[.,](?P<decimals>\d{1,2}))?(?![\d])"
    r"(?P<unit>\s?(?:k\s?(?:€|euros?|eur)?|€|euros?|eur)\b|\s?(?:k\s?€|€))?"
)
_RANGE_LINK = re.compile(r"^\s*(?:€|euros?|eur)?\s*(?:bruts?|brut)?\s*(?:-|a|et|to|/|au)\s*$")
_OPEN_ENDED = re.compile(
    r"(?:a partir de|des|minimum|min\.?|au moins|from|starting at|plus de|superieur a)\s*:?\s*$"
)
_UP_TO = re.compile(r"(?:jusqu'a|jusqu a|up to|max\.?|maximum|au plus)\s*:?\s*$")
_PERIOD_WORDS: tuple[tuple[SalaryPeriod, re.Pattern[str]], ...] = (
    ("hour", re.compile(r"(?:par|/|de l')\s?(?:heure|h)\b|\bhoraire|\bper hour|\bhourly|/ ?hr?\b")),
    (
        "day",
        re.compile(
            r"(?:par|/)\s?(?:jour|j)\b|\bjournalier|\btjm\b|\btj\b|\bper day|\bdaily|/ ?day"
        ),
    ),
    ("month", re.compile(r"(?:par|/)\s?mois\b|\bmensuel|\bper month|\bmonthly|/ ?month")),
    (
        "year",
        re.compile(
            r"(?:par|/|l')\s?an\b|\bannuel|\bper (?:year|annum)|\byearly|\bannual|/ ?year|\bpa\b|"
            r"\bbrut annuel|\bk€|\bkeur"
        ),
    ),
)
_MONTHS_PAID = re.compile(r"sur\s+(\d{2}(?:[.,]\d+)?)\s*mois|\b(1[2-6])\s*(?:e|eme|ème)\s+mois")
_NO_FIGURE = re.compile(
    r"selon|a negocier|a definir|a discuter|non (?:specifie|communique|precise|renseigne)|"
    r"\bnc\b|n/c|competiti|attracti|motivant|negociable|suivant (?:profil|experience)"
)
_SALARY_WORDS = re.compile(
    r"salaire|remuneration|retribution|package|\bbrut|\bgross|\bsalary|\bk€|\bkeur|"
    r"\btjm\b|€ ?(?:par|/) ?(?:an|mois|jour)"
)
_SENTENCE_END = re.compile(r"[\n;]|(?<=[a-z])\.\s")
_MAX_DESCRIPTION_SENTENCE = 300
_PAY_PASSAGE_LENGTH = 120
_BARE_NUMBER = re.compile(r"\d[\d\s.,]*")


def read_france_travail_salary(salaire: object) -> SalaryReading:
    """Read the `salaire` object of a France Travail offer: `libelle`, then `commentaire`."""
    if not isinstance(salaire, dict):
        return SalaryReading()
    texts = [
        (salaire.get("libelle"), "salaire.libelle"),
        (salaire.get("commentaire"), "salaire.commentaire"),
    ]
    return _first_reading(texts)


def read_salary_text(text: object, origin: str) -> SalaryReading:
    """Read a salary field holding free text ("45-55 k€", "Selon profil", a FT label)."""
    if not isinstance(text, str) or not text.strip():
        return SalaryReading()
    salary = parse_salary_text(text, origin)
    if salary is not None:
        return SalaryReading(salary=salary)
    return SalaryReading(unreadable=not _states_no_figure(text))


def parse_salary_text(text: str, origin: str) -> Salary | None:
    """Parse one salary text; None when it contains no readable figure."""
    folded = " ".join(fold(clean_line(text)).split())
    if not any(character.isdigit() for character in folded):
        return None
    label = _FRANCE_TRAVAIL_LABEL.match(folded)
    if label is not None:
        return _from_france_travail_label(label, origin)
    return _from_free_text(folded, origin)


def find_salary_in_description(description: str) -> Salary | None:
    """Return the first plausible salary stated in a sentence about pay, or None."""
    folded = fold(description)
    for sentence in _SENTENCE_END.split(folded):
        for passage in _pay_passages(sentence):
            salary = _from_free_text(" ".join(passage.split()), "description")
            if salary is not None and FLAG_IMPLAUSIBLE not in salary.flags:
                return salary
    return None


def _pay_passages(sentence: str) -> list[str]:
    """Return the parts of a sentence that may state pay.

    A short sentence that names pay is read whole. A long one, often a description
    whose line breaks were lost, is read from each word about pay onwards.
    """
    matches = list(_SALARY_WORDS.finditer(sentence))
    if not matches:
        return []
    if len(sentence) <= _MAX_DESCRIPTION_SENTENCE:
        return [sentence]
    return [sentence[match.start() : match.start() + _PAY_PASSAGE_LENGTH] for match in matches]


def read_jsonld_salary(value: object, origin: str = "jsonld.baseSalary") -> SalaryReading:
    """Read a schema.org `baseSalary` in any of its shapes (MonetaryAmount, number, text, list)."""
    if value is None or value == "" or value == [] or value == {}:
        return SalaryReading()
    if isinstance(value, list):
        readings = [read_jsonld_salary(item, origin) for item in value]
        found = [reading for reading in readings if reading.salary is not None]
        if found:
            return found[0]
        return SalaryReading(unreadable=any(reading.unreadable for reading in readings))
    if isinstance(value, str):
        return read_salary_text(value, origin)
    if isinstance(value, bool):
        return SalaryReading(unreadable=True)
    if isinstance(value, int | float):
        return _reading_from_bounds(None, float(value), None, None, "EUR", origin)
    if isinstance(value, dict):
        return _read_monetary_amount(value, origin)
    return SalaryReading(unreadable=True)


def build_salary(
    *,
    period: SalaryPeriod,
    minimum: float | None,
    maximum: float | None,
    origin: str,
    currency: str = "EUR",
    months_paid: float | None = None,
    flags: tuple[str, ...] = (),
) -> Salary | None:
    """Build a `Salary` with yearly equivalents and flags; None when no bound is positive."""
    minimum = minimum if minimum is not None and minimum > 0 else None
    maximum = maximum if maximum is not None and maximum > 0 else None
    if minimum is None and maximum is None:
        return None
    flag_list = list(flags)

    if minimum is not None and maximum is not None and minimum > maximum:
        minimum, maximum = maximum, minimum
        flag_list.append(FLAG_SWAPPED)

    lowest = minimum if minimum is not None else maximum
    if period == "month" and lowest is not None and lowest >= MONTHLY_AMOUNT_MAX:
        period = "year"
        flag_list.append(FLAG_UNIT_CORRECTED)

    yearly_min = _yearly(minimum, period, months_paid)
    yearly_max = _yearly(maximum, period, months_paid)
    if any(
        value is not None and not PLAUSIBLE_YEARLY_MIN <= value <= PLAUSIBLE_YEARLY_MAX
        for value in (yearly_min, yearly_max)
    ):
        flag_list.append(FLAG_IMPLAUSIBLE)
    if period == "day" and any(
        value is not None and not PLAUSIBLE_DAY_RATE_MIN <= value <= PLAUSIBLE_DAY_RATE_MAX
        for value in (minimum, maximum)
    ):
        flag_list.append(FLAG_IMPLAUSIBLE)

    return Salary(
        period=period,
        min=minimum,
        max=maximum,
        currency=currency,
        months_paid=months_paid,
        yearly_min=yearly_min,
        yearly_max=yearly_max,
        origin=origin,
        flags=list(dict.fromkeys(flag_list)),
    )


def _yearly(amount: float | None, period: SalaryPeriod, months_paid: float | None) -> float | None:
    if amount is None:
        return None
    if period == "year":
        return round(amount, 2)
    if period == "month":
        return round(amount * (months_paid or DEFAULT_MONTHS_PAID), 2)
    if period == "hour":
        return round(amount * HOURS_PER_YEAR, 2)
    return None


def _first_reading(texts: list[tuple[object, str]]) -> SalaryReading:
    unreadable = False
    for text, origin in texts:
        reading = read_salary_text(text, origin)
        if reading.salary is not None:
            return reading
        unreadable = unreadable or reading.unreadable
    return SalaryReading(unreadable=unreadable)


def _states_no_figure(text: str) -> bool:
    folded = fold(text)
    return bool(_NO_FIGURE.search(folded)) and not _AMOUNT.search(folded)


def _parse_number(text: str) -> float | None:
    """Parse a French or English written number: `3 333,33`, `50000.0`, `45.000`."""
    cleaned = text.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _from_france_travail_label(label: re.Match[str], origin: str) -> Salary | None:
    period = _FRANCE_TRAVAIL_PERIODS[label.group("period")]
    if period is None:
        return None
    months = _parse_number(label.group("months")) if label.group("months") else None
    minimum = _parse_number(label.group("min"))
    # A label with one amount states the exact salary: both bounds are that amount.
    maximum = _parse_number(label.group("max")) if label.group("max") else minimum
    return build_salary(
        period=period,
        minimum=minimum,
        maximum=maximum,
        origin=origin,
        months_paid=months,
    )


def _find_amounts(text: str) -> list[_Amount]:
    amounts: list[_Amount] = []
    for match in _AMOUNT.finditer(text):
        number = match.group("number")
        if match.group("decimals"):
            number = f"{number},{match.group('decimals')}"
        value = _parse_number(number)
        if value is None:
            continue
        unit = (match.group("unit") or "").strip()
        thousands = unit.startswith("k")
        money = bool(unit)
        amounts.append(_Amount(value, thousands, money, match.start(), match.end()))
    return amounts


def _from_free_text(text: str, origin: str) -> Salary | None:
    amounts = _find_amounts(text)
    money_index = next((index for index, amount in enumerate(amounts) if amount.money), None)
    if money_index is None:
        return None

    first, second = _range_around(text, amounts, money_index)
    if second is not None and (first.thousands or second.thousands):
        first, second = _share_thousands(first, second)
    low = first.value * (1000 if first.thousands else 1)
    high = None
    if second is not None:
        high = second.value * (1000 if second.thousands else 1)

    flags: tuple[str, ...] = ()
    before = text[: first.start]
    if high is None and _UP_TO.search(before):
        low, high = None, low
    elif high is None and _OPEN_ENDED.search(before):
        flags = (FLAG_OPEN_ENDED,)
    elif high is None:
        # One amount with neither "from" nor "up to" states the exact salary.
        high = low

    period = _period_of(text, first.thousands or (second is not None and second.thousands))
    if period is None:
        period = _period_from_magnitude(max(value for value in (low, high) if value is not None))
    if period is None:
        return None
    return build_salary(
        period=period,
        minimum=low,
        maximum=high,
        origin=origin,
        months_paid=_months_paid(text),
        flags=flags,
    )


def _range_around(text: str, amounts: list[_Amount], index: int) -> tuple[_Amount, _Amount | None]:
    """Return the (first, second) bounds of the range that contains the money amount."""
    current = amounts[index]
    if index > 0 and _RANGE_LINK.match(text[amounts[index - 1].end : current.start]):
        return amounts[index - 1], current
    if index + 1 < len(amounts) and _RANGE_LINK.match(text[current.end : amounts[index + 1].start]):
        return current, amounts[index + 1]
    return current, None


def _share_thousands(first: _Amount, second: _Amount) -> tuple[_Amount, _Amount]:
    """Apply a "k" written on one bound only to the other bound too ("45-55 k€")."""
    if first.thousands and not second.thousands and second.value < 1000:
        second = _Amount(second.value, True, True, second.start, second.end)
    elif second.thousands and not first.thousands and first.value < 1000:
        first = _Amount(first.value, True, True, first.start, first.end)
    return first, second


def _period_of(text: str, in_thousands: bool) -> SalaryPeriod | None:
    found = [
        (match.start(), period)
        for period, pattern in _PERIOD_WORDS
        if (match := pattern.search(text)) is not None
    ]
    if found:
        return min(found)[1]
    return "year" if in_thousands else None


def _period_from_magnitude(amount: float) -> SalaryPeriod | None:
    """Guess the period of an amount stated without one; None when the guess would be blind."""
    if amount >= 10_000:
        return "year"
    if amount >= 1_000:
        return "month"
    return None


def _months_paid(text: str) -> float | None:
    match = _MONTHS_PAID.search(text)
    if match is None:
        return None
    return _parse_number(match.group(1) or match.group(2))


def _currency_code(value: object) -> str | None:
    """Return an ISO 4217 code for a schema.org currency: EUR when absent, None when unreadable."""
    if value is None:
        return "EUR"
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text == "€" or fold(text) in {"euro", "euros"}:
        return "EUR"
    return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else None


def _read_monetary_amount(value: dict[str, Any], origin: str) -> SalaryReading:
    currency = _currency_code(value.get("currency"))
    if currency is None:
        return SalaryReading(unreadable=True)
    unit = value.get("unitText")
    inner = value.get("value")
    if isinstance(inner, dict):
        unit = inner.get("unitText") or unit
        minimum, maximum = inner.get("minValue"), inner.get("maxValue")
        single = inner.get("value")
    else:
        minimum, maximum = value.get("minValue"), value.get("maxValue")
        single = inner
    if (
        isinstance(single, str)
        and minimum is None
        and maximum is None
        and not _BARE_NUMBER.fullmatch(single.strip())
    ):
        reading = read_salary_text(single, origin)
        if reading.salary is not None or reading.unreadable:
            return reading
    if minimum is None and maximum is None:
        minimum = maximum = single
    return _reading_from_bounds(
        _period_of_unit(unit),
        _to_amount(minimum),
        _to_amount(maximum),
        unit,
        currency,
        origin,
    )


def _reading_from_bounds(
    period: SalaryPeriod | None,
    minimum: float | None,
    maximum: float | None,
    unit: object,
    currency: str,
    origin: str,
) -> SalaryReading:
    positive = [amount for amount in (minimum, maximum) if amount is not None and amount > 0]
    if not positive:
        return SalaryReading()
    if period is None and unit not in (None, ""):
        return SalaryReading(unreadable=True)
    period = period or _period_from_magnitude(max(positive))
    if period is None:
        return SalaryReading(unreadable=True)
    salary = build_salary(
        period=period, minimum=minimum, maximum=maximum, origin=origin, currency=currency
    )
    return SalaryReading(salary=salary, unreadable=salary is None)


_UNIT_PERIODS: dict[str, SalaryPeriod] = {
    "hour": "hour",
    "hourly": "hour",
    "heure": "hour",
    "horaire": "hour",
    "day": "day",
    "daily": "day",
    "jour": "day",
    "journalier": "day",
    "month": "month",
    "monthly": "month",
    "mois": "month",
    "mensuel": "month",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annum": "year",
    "an": "year",
    "annee": "year",
    "annuel": "year",
}


def _period_of_unit(unit: object) -> SalaryPeriod | None:
    if not isinstance(unit, str):
        return None
    return _UNIT_PERIODS.get(fold(unit).strip().removeprefix("per ").strip())


def _to_amount(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        amounts = _find_amounts(fold(value))
        if amounts:
            return amounts[0].value * (1000 if amounts[0].thousands else 1)
    return None
