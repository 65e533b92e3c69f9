"""Benchmark of the clean stage on synthetic France Travail offers.

Cleans N synthetic offers (built here from templates) twice in one process: with the
combined technology matcher (one scan per text) and with a naive baseline that runs
one regular expression per alias, one after the other. Prints offers per second and
the peak memory traced by `tracemalloc` for each, and the ratio.

Usage: .venv/bin/python bench/bench_clean.py [--offers 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time
import tracemalloc
from collections.abc import Callable, Sequence

from services.clean.service import clean_batch
from shared.contracts.records import RawOffer
from shared.technologies import TechnologyEntry, TechnologyMatcher, load_catalogue
from shared.technologies.folding import fold_accents

TITLES = (
    "Data Engineer (H/F)",
    "Senior Data Engineer F/H",
    "Data Analyst H/F - CDI",
    "Alternance Data Analyst - Paris (H/F)",
    "Data Scientist NLP & LLM (H/F)",
    "ML Engineer / MLOps",
    "Analytics Engineer dbt",
    "Architecte Data Azure (H/F)",
    "Consultant.e Data Engineer Expérimenté.e",
    "Développeur BI Power BI (F/H)",
    "Comptable (H/F)",
    "Stage - Data Engineer GCP",
)
STACKS = (
    "Python, SQL, Airflow et dbt sur GCP (BigQuery)",
    "Power BI, DAX, Excel et SQL Server",
    "Spark/Scala, Kafka, Hadoop et AWS (S3, EMR)",
    "R, SAS et Python (pandas, scikit-learn)",
    "Snowflake, Talend, Tableau et Azure Data Factory",
    "Docker, Kubernetes, Terraform, GitLab CI",
)
SALARIES = (
    {"libelle": "Annuel de 45000.0 Euros à 55000.0 Euros sur 12.0 mois"},
    {"libelle": "Mensuel de 3200.0 Euros sur 13.0 mois"},
    {"commentaire": "Selon profil"},
    {},
)
CONTRACTS = (
    ("CDI", "Contrat à durée indéterminée"),
    ("CDD", "CDD - 12 Mois"),
    ("MIS", "Mission intérimaire - 6 Mois"),
)
PLACES = (
    ("59 - LILLE", "59350", "59000"),
    ("69 - LYON 03", "69383", "69003"),
    ("75 - PARIS 09", "75109", "75009"),
    ("33 - BORDEAUX", "33063", "33000"),
)
FILLER = (
    "Rejoignez une équipe de 40 personnes au sein d'un groupe reconnu. Vous travaillerez "
    "avec les métiers pour concevoir des tableaux de bord et fiabiliser les données. "
    "Vous avez le sens du service, un excellent relationnel et une expérience de 3 ans. "
)


class NaiveMatcher:
    """Baseline: one compiled expression per alias, each searched over the whole text."""

    def __init__(self, entries: Sequence[TechnologyEntry]) -> None:
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        for entry in entries:
            for spelling in entry.spellings:
                body = r"[\s\-_]?".join(
                    re.escape(part) for part in re.split(r"[\s\-_]+", fold_accents(spelling))
                )
                pattern = re.compile(rf"(?<![\w@]){body}(?![\w+#])", re.IGNORECASE)
                self.patterns.append((entry.name, pattern))

    def find(self, text: str) -> list[str]:
        folded = fold_accents(text)
        found: dict[str, None] = {}
        for name, pattern in self.patterns:
            if name not in found and pattern.search(folded):
                found[name] = None
        return list(found)


def synthetic_offers(count: int, seed: int) -> list[RawOffer]:
    rng = random.Random(seed)
    collected_at = dt.datetime(2025, 3, 4, tzinfo=dt.UTC)
    offers = []
    for index in range(count):
        code, label = rng.choice(CONTRACTS)
        place_label, commune, postal = rng.choice(PLACES)
        description = (
            f"{FILLER * rng.randint(2, 6)}Stack : {rng.choice(STACKS)}.\n"
            f"{rng.choice(('Télétravail partiel.', 'Pas de télétravail.', ''))}"
        )
        payload = {
            "id": f"BENCH{index:06d}",
            "intitule": rng.choice(TITLES),
            "description": description,
            "dateCreation": "2025-03-03T10:00:00.000Z",
            "lieuTravail": {"libelle": place_label, "commune": commune, "codePostal": postal},
            "entreprise": {"nom": f"Entreprise {index % 500}"},
            "typeContrat": code,
            "typeContratLibelle": label,
            "experienceLibelle": rng.choice(("Débutant accepté", "3 An(s)", "5 An(s)")),
            "salaire": rng.choice(SALARIES),
            "alternance": False,
        }
        offers.append(
            RawOffer(
                source="france_travail",
                source_offer_id=payload["id"],
                query="bench",
                collected_at=collected_at,
                payload=payload,
            )
        )
    return offers


def measure(run: Callable[[], object]) -> tuple[float, int]:
    """Return the wall time of one run, and the peak traced memory of a second run."""
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started

    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10_000, help="number of synthetic offers")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generator")
    arguments = parser.parse_args()

    offers = synthetic_offers(arguments.offers, arguments.seed)
    entries = load_catalogue()
    combined = TechnologyMatcher(entries)
    naive = NaiveMatcher(entries)
    texts = [f"{offer.payload['intitule']}\n{offer.payload['description']}" for offer in offers]
    clean_batch(offers[:50], combined)  # warm caches and compiled expressions

    rows = [
        ("clean stage, combined matcher", lambda: clean_batch(offers, combined)),
        ("clean stage, naive matcher", lambda: clean_batch(offers, naive)),  # type: ignore[arg-type]
        ("matching only, combined", lambda: [combined.find(text) for text in texts]),
        ("matching only, naive", lambda: [naive.find(text) for text in texts]),
    ]
    print(
        f"{len(offers)} synthetic offers, {len(entries)} technologies, "
        f"{len(naive.patterns)} aliases"
    )
    rates: dict[str, float] = {}
    for label, run in rows:
        elapsed, peak = measure(run)
        rates[label] = len(offers) / elapsed
        print(f"{label:32s} {rates[label]:10.0f} offers/s   peak {peak / 1e6:7.1f} MB")
    stage_ratio = rates["clean stage, combined matcher"] / rates["clean stage, naive matcher"]
    match_ratio = rates["matching only, combined"] / rates["matching only, naive"]
    print(
        f"speed-up of the combined matcher: {stage_ratio:.1f}x on the clean stage, "
        f"{match_ratio:.1f}x on matching alone"
    )


if __name__ == "__main__":
    main()
