"""Compare an offers export with the France Travail records it came from.

Usage: python scripts/check_real_offers.py EXPORT.csv FOLDER_OF_FRANCE_TRAVAIL_JSON

Prints every disagreement on place (commune, département, region), role
rejection, contract type, salary period and yearly bounds, and the yearly
salaries outside 5 000..300 000 that carry no flag. Exits with 1 on any.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

from shared.geo import load_geography

CONTRACTS = {"CDI": "cdi", "CDD": "cdd", "MIS": "interim", "LIB": "freelance"}
PERIODS = {"Annuel": "year", "Mensuel": "month", "Horaire": "hour"}
LABEL = re.compile(
    r"^(?P<period>Annuel|Mensuel|Horaire) de (?P<low>[\d.]+) Euros"
    r"(?: à (?P<high>[\d.]+) Euros)?(?: sur (?P<months>[\d.]+) mois)?"
)
HOURS_PER_YEAR = 1607
WORK_STUDY = re.compile(r"alternan|apprenti", re.IGNORECASE)


def expected_yearly(label: str) -> tuple[str, float, float] | None:
    match = LABEL.match(label)
    if match is None:
        return None
    period = PERIODS[match["period"]]
    low = float(match["low"])
    high = float(match["high"] or match["low"])
    months = float(match["months"] or 12)
    factor = {"year": 1, "month": months, "hour": HOURS_PER_YEAR}[period]
    return period, low * factor, high * factor


def main(export: Path, folder: Path) -> int:
    geography = load_geography()
    records = {
        record["id"]: record
        for path in sorted(folder.glob("*.json"))
        for record in json.loads(path.read_text(encoding="utf-8"))
    }
    rows = {row["source_offer_id"]: row for row in csv.DictReader(export.open(encoding="utf-8"))}
    problems: list[str] = []

    for offer_id, row in rows.items():
        record = records.get(offer_id)
        if record is None:
            continue
        commune = geography.commune((record.get("lieuTravail") or {}).get("commune") or "")
        if commune is not None:
            got = (row["commune_code"], row["department_code"], row["region_code"])
            want = (commune.code, commune.department_code, commune.region_code)
            if got != want:
                problems.append(f"{offer_id}: place {got} expected {want}")

        contract = CONTRACTS.get(record.get("typeContrat", ""))
        if record.get("alternance") or WORK_STUDY.search(record.get("intitule", "")):
            # A work-study offer is a CDD or CDI on paper; Datastats counts it as apprenticeship.
            contract = "apprenticeship"
        if contract and row["contract_type"] != contract:
            problems.append(f"{offer_id}: contract {row['contract_type']!r} expected {contract!r}")

        expected = expected_yearly((record.get("salaire") or {}).get("libelle") or "")
        flags = set(filter(None, row["salary_flags"].split(";")))
        if expected and "unit_corrected" not in flags:
            period, low, high = expected
            got_bounds = (
                float(row["salary_yearly_min"] or 0),
                float(row["salary_yearly_max"] or 0),
            )
            if row["salary_period"] != period or any(
                abs(a - b) > 1 for a, b in zip(got_bounds, (low, high), strict=True)
            ):
                problems.append(
                    f"{offer_id}: salary {row['salary_period']} {got_bounds} expected {period} "
                    f"({low:.0f}, {high:.0f}) from {record['salaire']['libelle']!r}"
                )
        for bound in (row["salary_yearly_min"], row["salary_yearly_max"]):
            if bound and not 5000 <= float(bound) <= 300000 and not flags:
                problems.append(f"{offer_id}: yearly salary {bound} out of range without a flag")

    for line in problems:
        print(line)
    print(f"{len(rows)} exported offers checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
