"""Generate the demo France Travail offers served by the local runtime.

The records are invented by the team and shaped like the `resultats` of the
France Travail "Offres d'emploi v2" search API. They cover every role family,
the regions of France (overseas included), the API's salary label forms,
contract codes, experience labels and many technologies, plus about 10 %
non-data offers that the clean stage must reject. Companies are invented, and
no record contains a person's name, an e-mail address or a phone number.

Usage:
    python scripts/make_demo_offers.py                 # writes infra/local/demo_offers/
    python scripts/make_demo_offers.py --output-dir D  # writes elsewhere

The generator uses a fixed seed, so rerunning it writes byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20261204
OUTPUT_DIR = Path(__file__).resolve().parents[1] / "infra" / "local" / "demo_offers"
LAST_DAY = dt.date(2026, 12, 3)
# Offers created per month, growing towards the end of the year.
MONTH_COUNTS: dict[str, int] = {
    "2026-05": 42,
    "2026-06": 46,
    "2026-07": 48,
    "2026-08": 40,
    "2026-09": 60,
    "2026-10": 66,
    "2026-11": 70,
    "2026-12": 22,
}
NON_DATA_SHARE = 0.10
REPOSTS = 6
DETAIL_URL = "https://candidat.francetravail.fr/offres/recherche/detail/{id}"
PARTNER_URL = "https://jobs.example.org/offre/{number}?utm_source=francetravail"

Record = dict[str, Any]


@dataclass(frozen=True)
class Place:
    commune: str
    postal_code: str
    label: str
    latitude: float
    longitude: float
    weight: int


# INSEE commune codes with their postal codes (arrondissements for Paris, Lyon, Marseille).
PLACES: tuple[Place, ...] = (
    Place("75109", "75009", "75 - PARIS 09", 48.8771, 2.3375, 14),
    Place("75108", "75008", "75 - PARIS 08", 48.8727, 2.3125, 10),
    Place("75102", "75002", "75 - PARIS 02", 48.8683, 2.3428, 8),
    Place("75115", "75015", "75 - PARIS 15", 48.8401, 2.2936, 7),
    Place("75113", "75013", "75 - PARIS 13", 48.8283, 2.3623, 5),
    Place("92050", "92000", "92 - NANTERRE", 48.8924, 2.2071, 5),
    Place("92026", "92400", "92 - COURBEVOIE", 48.8973, 2.2531, 6),
    Place("92012", "92100", "92 - BOULOGNE BILLANCOURT", 48.8397, 2.2399, 4),
    Place("93066", "93200", "93 - ST DENIS", 48.9362, 2.3574, 3),
    Place("91377", "91300", "91 - MASSY", 48.7309, 2.2713, 3),
    Place("78646", "78000", "78 - Versailles", 48.8049, 2.1204, 2),
    Place("94041", "94200", "94 - IVRY SUR SEINE", 48.8131, 2.3847, 2),
    Place("69382", "69002", "69 - LYON 02", 45.7485, 4.8270, 7),
    Place("69383", "69003", "69 - LYON 03", 45.7599, 4.8494, 5),
    Place("69266", "69100", "69 - VILLEURBANNE", 45.7719, 4.8902, 2),
    Place("38185", "38000", "38 - GRENOBLE", 45.1885, 5.7245, 4),
    Place("63113", "63000", "63 - CLERMONT FERRAND", 45.7772, 3.0870, 2),
    Place("74010", "74000", "74 - Annecy", 45.8992, 6.1294, 1),
    Place("13201", "13001", "13 - MARSEILLE 01", 43.2999, 5.3841, 4),
    Place("13208", "13008", "13 - MARSEILLE 08", 43.2412, 5.3807, 2),
    Place("13001", "13100", "13 - AIX EN PROVENCE", 43.5297, 5.4474, 3),
    Place("06088", "06000", "06 - NICE", 43.7102, 7.2620, 3),
    Place("06152", "06560", "06 - VALBONNE", 43.6413, 7.0084, 2),
    Place("31555", "31000", "31 - TOULOUSE", 43.6045, 1.4440, 7),
    Place("31069", "31700", "31 - BLAGNAC", 43.6370, 1.3900, 2),
    Place("34172", "34000", "34 - MONTPELLIER", 43.6108, 3.8767, 4),
    Place("33063", "33000", "33 - Bordeaux", 44.8378, -0.5792, 6),
    Place("33281", "33700", "33 - MERIGNAC", 44.8386, -0.6436, 2),
    Place("86194", "86000", "86 - POITIERS", 46.5802, 0.3404, 1),
    Place("79191", "79000", "79 - NIORT", 46.3237, -0.4588, 2),
    Place("87085", "87000", "87 - LIMOGES", 45.8336, 1.2611, 1),
    Place("44109", "44000", "44 - NANTES", 47.2184, -1.5536, 6),
    Place("49007", "49000", "49 - ANGERS", 47.4784, -0.5632, 2),
    Place("72181", "72000", "72 - LE MANS", 48.0061, 0.1996, 1),
    Place("35238", "35000", "35 - RENNES", 48.1173, -1.6778, 5),
    Place("29019", "29200", "29 - BREST", 48.3904, -4.4861, 2),
    Place("56260", "56000", "56 - VANNES", 47.6582, -2.7608, 1),
    Place("59350", "59000", "59 - LILLE", 50.6292, 3.0573, 6),
    Place("59009", "59650", "59 - VILLENEUVE D ASCQ", 50.6233, 3.1450, 2),
    Place("80021", "80000", "80 - AMIENS", 49.8941, 2.2958, 1),
    Place("67482", "67000", "67 - STRASBOURG", 48.5734, 7.7521, 4),
    Place("57463", "57000", "57 - METZ", 49.1193, 6.1757, 2),
    Place("54395", "54000", "54 - NANCY", 48.6921, 6.1844, 2),
    Place("51454", "51100", "51 - REIMS", 49.2583, 4.0317, 1),
    Place("76540", "76000", "76 - ROUEN", 49.4432, 1.0999, 3),
    Place("14118", "14000", "14 - CAEN", 49.1829, -0.3707, 2),
    Place("45234", "45000", "45 - ORLEANS", 47.9030, 1.9093, 2),
    Place("37261", "37000", "37 - TOURS", 47.3941, 0.6848, 2),
    Place("21231", "21000", "21 - DIJON", 47.3220, 5.0415, 2),
    Place("25056", "25000", "25 - BESANCON", 47.2378, 6.0241, 1),
    Place("2A004", "20000", "2A - AJACCIO", 41.9192, 8.7386, 1),
    Place("2B033", "20200", "2B - BASTIA", 42.6977, 9.4508, 1),
    Place("97411", "97400", "974 - ST DENIS", -20.8823, 55.4504, 2),
    Place("97209", "97200", "972 - FORT DE FRANCE", 14.6161, -61.0588, 1),
    Place("97120", "97110", "971 - POINTE A PITRE", 16.2411, -61.5331, 1),
    Place("97302", "97300", "973 - CAYENNE", 4.9224, -52.3135, 1),
    Place("97611", "97600", "976 - MAMOUDZOU", -12.7806, 45.2279, 2),
)

# Workplaces the API gives only as a country, a département or a region label.
COARSE_PLACES: tuple[Record, ...] = (
    {"libelle": "France"},
    {"libelle": "France"},
    {"libelle": "92 - Hauts-de-Seine"},
    {"libelle": "75 - Paris (Dept.)"},
    {"libelle": "69 - Rhône"},
    {"libelle": "Ile-de-France"},
    {"libelle": "33"},
)


@dataclass(frozen=True)
class Role:
    weight: int
    titles: tuple[str, ...]
    rome: tuple[str, str, str]
    technologies: tuple[str, ...]
    salary_k: tuple[int, int]
    missions: tuple[str, ...]


ROLES: dict[str, Role] = {
    "data_engineer": Role(
        20,
        (
            "Data Engineer",
            "Data engineer confirmé",
            "Data Engineer senior",
            "Ingénieur data",
            "Ingénieur Big Data",
            "Data Engineer GCP",
            "Data Engineer Azure",
            "Lead Data Engineer",
            "Ingénieur data junior",
            "Data Engineer Spark / Scala",
        ),
        ("M1811", "Data engineer", "Data engineer"),
        (
            "Python",
            "SQL",
            "Spark",
            "Airflow",
            "Kafka",
            "dbt",
            "Snowflake",
            "AWS",
            "GCP",
            "Azure",
            "Docker",
            "Kubernetes",
            "Scala",
            "Java",
            "Terraform",
            "BigQuery",
            "Databricks",
            "PostgreSQL",
            "Hadoop",
        ),
        (42, 62),
        (
            "Concevoir et maintenir les pipelines d'ingestion de données batch et temps réel.",
            "Industrialiser les traitements et garantir la qualité des données en production.",
            "Modéliser les données du data lake et de l'entrepôt de données.",
            "Participer aux choix d'architecture de la plateforme data.",
        ),
    ),
    "data_analyst": Role(
        22,
        (
            "Data Analyst",
            "Data analyst junior",
            "Data Analyst confirmé",
            "Data Analyst senior",
            "Analyste data",
            "Data analyste marketing",
            "Data Analyst Power BI",
            "Analyste de données",
            "Data Analyst RH",
            "Business Data Analyst",
        ),
        ("M1403", "Chargé / Chargée d'études socio-économiques", "Data analyst"),
        (
            "SQL",
            "Python",
            "Power BI",
            "Tableau",
            "Excel",
            "Looker",
            "R",
            "BigQuery",
            "Snowflake",
            "dbt",
        ),
        (34, 50),
        (
            "Analyser les données de vente et produire les tableaux de bord des équipes métiers.",
            "Définir les indicateurs clés et automatiser le reporting.",
            "Réaliser des études ad hoc et présenter les résultats aux directions.",
            "Garantir la fiabilité des données utilisées dans les analyses.",
        ),
    ),
    "data_scientist": Role(
        14,
        (
            "Data Scientist",
            "Data scientist junior",
            "Data Scientist senior",
            "Data Scientist NLP",
            "Lead Data Scientist",
            "Ingénieur data scientist",
            "Data scientist - IA générative",
        ),
        ("M1405", "Data scientist", "Data scientist"),
        (
            "Python",
            "R",
            "SQL",
            "scikit-learn",
            "TensorFlow",
            "PyTorch",
            "Pandas",
            "Spark",
            "AWS",
            "GCP",
            "Azure",
            "Docker",
            "MLflow",
        ),
        (42, 64),
        (
            "Construire des modèles de prévision de la demande et de détection d'anomalies.",
            "Explorer les données et proposer des cas d'usage de machine learning.",
            "Mettre en production les modèles avec l'équipe data engineering.",
            "Mesurer la performance des modèles et en expliquer les résultats aux métiers.",
        ),
    ),
    "ml_engineer": Role(
        7,
        (
            "ML Engineer",
            "Machine Learning Engineer",
            "Ingénieur MLOps",
            "MLOps Engineer",
            "Ingénieur machine learning",
            "Senior ML Engineer",
        ),
        ("M1405", "Data scientist", "Ingénieur / Ingénieure machine learning"),
        (
            "Python",
            "PyTorch",
            "TensorFlow",
            "MLflow",
            "Kubeflow",
            "Docker",
            "Kubernetes",
            "AWS",
            "GCP",
            "Azure",
            "Airflow",
            "FastAPI",
            "Spark",
        ),
        (48, 72),
        (
            "Industrialiser l'entraînement et le déploiement des modèles de machine learning.",
            "Mettre en place le suivi des modèles en production et les pipelines CI/CD.",
            "Optimiser les temps d'inférence et les coûts d'infrastructure.",
        ),
    ),
    "analytics_engineer": Role(
        5,
        ("Analytics Engineer", "Analytics engineer dbt", "Analytics Engineer senior"),
        ("M1811", "Data engineer", "Analytics engineer"),
        ("dbt", "SQL", "Snowflake", "BigQuery", "Airflow", "Python", "Looker", "Git", "Power BI"),
        (45, 62),
        (
            "Construire les modèles de données de l'entrepôt avec dbt.",
            "Documenter et tester les transformations de données.",
            "Travailler avec les data analysts sur la couche sémantique.",
        ),
    ),
    "data_architect": Role(
        5,
        (
            "Architecte data",
            "Data Architect",
            "Architecte Big Data",
            "Architecte données cloud",
            "Architecte data Azure",
        ),
        ("M1811", "Data engineer", "Architecte data"),
        (
            "AWS",
            "Azure",
            "GCP",
            "Snowflake",
            "Databricks",
            "Kafka",
            "Spark",
            "Terraform",
            "SQL",
            "Kubernetes",
        ),
        (60, 85),
        (
            "Définir l'architecture cible de la plateforme de données.",
            "Accompagner les équipes dans la migration vers le cloud.",
            "Garantir la sécurité et la gouvernance des flux de données.",
        ),
    ),
    "data_manager": Role(
        4,
        ("Data Manager", "Data manager CRM", "Data Manager marketing"),
        ("M1403", "Chargé / Chargée d'études socio-économiques", "Data manager"),
        ("SQL", "Excel", "Power BI", "Tableau", "Python", "Salesforce"),
        (42, 60),
        (
            "Piloter la qualité et l'enrichissement de la base clients.",
            "Organiser la collecte des données et leur mise à disposition.",
            "Coordonner les projets data avec les équipes marketing.",
        ),
    ),
    "data_steward": Role(
        3,
        ("Data Steward", "Data steward - gouvernance des données", "Data Steward référentiels"),
        ("M1811", "Data engineer", "Analyste qualité des données"),
        ("Collibra", "SQL", "Excel", "Power BI", "Informatica"),
        (38, 52),
        (
            "Maintenir le dictionnaire de données et le glossaire métier.",
            "Suivre les indicateurs de qualité des données et animer les corrections.",
            "Appliquer les règles de gouvernance et de conformité RGPD.",
        ),
    ),
    "head_of_data": Role(
        3,
        (
            "Head of Data",
            "Chief Data Officer",
            "Responsable data",
            "Directeur data",
            "Head of Data & Analytics",
        ),
        ("M1803", "Directeur / Directrice des services informatiques -DSI-", "Responsable data"),
        ("AWS", "GCP", "Azure", "Snowflake", "dbt", "Python", "SQL", "Power BI"),
        (80, 115),
        (
            "Définir et porter la stratégie data de l'entreprise.",
            "Encadrer les équipes data engineering, analytics et data science.",
            "Arbitrer les priorités et le budget de la plateforme de données.",
        ),
    ),
    "bi_developer": Role(
        8,
        (
            "Développeur BI",
            "Développeur Power BI",
            "Analyste décisionnel - Business Intelligence",
            "Ingénieur Business Intelligence",
            "Développeur décisionnel BI",
            "Consultant BI",
        ),
        (
            "M1851",
            "Analyste décisionnel - Business Intelligence",
            "Analyste décisionnel - Business Intelligence",
        ),
        ("Power BI", "SQL", "SSIS", "Tableau", "Qlik", "Talend", "Azure", "Excel", "DAX"),
        (38, 54),
        (
            "Concevoir les flux ETL et les cubes de l'entrepôt de données.",
            "Développer les rapports et tableaux de bord décisionnels.",
            "Recueillir les besoins des utilisateurs et rédiger les spécifications.",
        ),
    ),
    "data_consultant": Role(
        6,
        (
            "Consultant data",
            "Consultant Data & IA",
            "Consultant data junior",
            "Consultant data senior",
        ),
        ("M1806", "Product Owner", "Consultant / Consultante data"),
        ("SQL", "Python", "Power BI", "Tableau", "Snowflake", "Azure", "AWS", "dbt", "Spark"),
        (40, 60),
        (
            "Accompagner nos clients dans leurs projets de valorisation des données.",
            "Animer des ateliers de cadrage et recommander des solutions.",
            "Intervenir sur la mise en œuvre de plateformes data chez nos clients.",
        ),
    ),
    "data_product_manager": Role(
        3,
        (
            "Product Manager Data",
            "Data Product Manager",
            "Product Owner data",
            "Data Product Owner",
        ),
        ("M1806", "Product Owner", "Product Owner"),
        ("SQL", "Jira", "Python", "Looker", "Amplitude", "Power BI"),
        (50, 72),
        (
            "Construire la feuille de route des produits data.",
            "Prioriser le backlog avec les équipes techniques et métiers.",
            "Mesurer l'usage des produits et en piloter l'amélioration.",
        ),
    ),
}

# Technologies whose share moves over the year, so the trend charts have a slope:
# the factor is applied to the pick weight, from May (first) to December (last).
TECHNOLOGY_TRENDS: dict[str, tuple[float, float]] = {
    "dbt": (0.6, 1.8),
    "Databricks": (0.5, 1.7),
    "Snowflake": (0.8, 1.5),
    "Hadoop": (1.5, 0.2),
    "Tableau": (1.3, 0.7),
}

# Titles of non-data offers with their ROME code and label.
NON_DATA_TITLES: tuple[tuple[str, str, str], ...] = (
    ("Comptable", "M1203", "Comptabilité"),
    ("Développeur web PHP", "M1805", "Études et développement informatique"),
    ("Assistant administratif", "M1602", "Opérations administratives"),
    ("Technicien support informatique", "I1401", "Maintenance informatique et bureautique"),
    ("Commercial sédentaire", "D1408", "Téléconseil et télévente"),
    ("Chargé de recrutement", "M1502", "Développement des ressources humaines"),
    ("Contrôleur de gestion", "M1204", "Contrôle de gestion"),
    ("Gestionnaire de paie", "M1501", "Assistanat en ressources humaines"),
    ("Chef de projet marketing digital", "M1705", "Marketing"),
    ("Développeur Java", "M1805", "Études et développement informatique"),
)
NON_DATA_SALARY_K = (26, 38)
# Sentences that make non-data offers turn up in the data searches, as they do
# on the real API, so that the clean stage has something to reject.
NON_DATA_HOOKS: tuple[str, ...] = (
    "Vous travaillerez avec notre équipe data (data analysts et data engineers).",
    "Le reporting mensuel est produit sous Power BI avec le service business intelligence.",
    "Vous collaborerez avec le data scientist de l'équipe sur les projets d'automatisation.",
)
NON_DATA_MISSIONS: tuple[str, ...] = (
    "Assurer le suivi administratif des dossiers et la relation avec les fournisseurs.",
    "Participer aux clôtures mensuelles et à la préparation du budget.",
    "Développer et maintenir les fonctionnalités du site web de l'entreprise.",
    "Accompagner les utilisateurs et résoudre les incidents de premier niveau.",
    "Prospecter de nouveaux clients et suivre le portefeuille existant.",
)

COMPANIES: tuple[tuple[str, str, str], ...] = (
    ("NEBULIS ANALYTICS", "62", "Conseil en systèmes et logiciels informatiques"),
    ("GROUPE VERONESE ASSURANCES", "65", "Autres assurances"),
    ("BANQUE ARCADIE", "64", "Autres intermédiations monétaires"),
    ("TRANSPORTS HELIOS", "49", "Transports routiers de fret interurbains"),
    ("MAISON CORAIL", "47", "Vente à distance sur catalogue général"),
    ("LUDIQ STUDIO", "58", "Édition de jeux électroniques"),
    ("SANTE HORIZON", "86", "Activités hospitalières"),
    ("ENERGIES MISTRAL", "35", "Production d'électricité"),
    ("ORBEO CONSEIL", "70", "Conseil pour les affaires et autres conseils de gestion"),
    ("KALITEA", "62", "Programmation informatique"),
    ("DATAFLUENCE", "62", "Conseil en systèmes et logiciels informatiques"),
    ("PIXELMARE", "73", "Activités des agences de publicité"),
    ("AGROVIA COOPERATIVE", "46", "Commerce de gros de céréales"),
    ("MUTUELLE SERENIS", "65", "Autres assurances"),
    ("VELOCITE LOGISTIQUE", "52", "Entreposage et stockage non frigorifique"),
    ("NUMERIA SERVICES", "63", "Traitement de données, hébergement et activités connexes"),
    ("ALTIPLAN INGENIERIE", "71", "Ingénierie, études techniques"),
    ("CRISTALLINE RETAIL", "47", "Hypermarchés"),
    ("ATELIER QUANTIX", "62", "Programmation informatique"),
    ("AZIMUT TELECOM", "61", "Télécommunications filaires"),
    ("HEXAGONE MOBILITE", "49", "Transports urbains et suburbains de voyageurs"),
    ("ASTROLABE SANTE", "21", "Fabrication de préparations pharmaceutiques"),
    ("COBALT INDUSTRIES", "28", "Fabrication de machines diverses"),
    ("TESSERA CONSULTING", "70", "Conseil pour les affaires et autres conseils de gestion"),
    ("MIRABELLE FOODS", "10", "Fabrication de plats préparés"),
    ("NAUTILIS MARINE", "30", "Construction de navires et de structures flottantes"),
    ("OPALINE MEDIAS", "60", "Édition de chaînes généralistes"),
    ("RIVAGE IMMOBILIER", "68", "Agences immobilières"),
    ("CELESTE AERONAUTIQUE", "30", "Construction aéronautique et spatiale"),
    ("PRAGMA DATA", "62", "Conseil en systèmes et logiciels informatiques"),
    ("KERLANN DIGITAL", "62", "Programmation informatique"),
    ("SUD CLOUD SERVICES", "63", "Traitement de données, hébergement et activités connexes"),
)
INTERIM_AGENCIES: tuple[str, ...] = ("SIRIUS INTERIM", "JADE TRAVAIL TEMPORAIRE")

SALARY_COMMENTS = ("selon profil", "Selon expérience", "A négocier", "Selon convention collective")
SALARY_COMPLEMENTS = (
    "Mutuelle",
    "Chèque repas",
    "Primes",
    "Pc portable",
    "CE",
    "Participation/action",
)
BENEFITS = (
    "mutuelle prise en charge à 60 %",
    "tickets restaurant",
    "RTT",
    "prime annuelle",
    "forfait mobilités durables",
    "plan de formation",
)
REMOTE_SENTENCES = (
    "Télétravail possible 2 jours par semaine.",
    "Télétravail partiel (3 jours par semaine).",
    "Poste ouvert au télétravail complet (100 % remote).",
    "Poste en présentiel sur site.",
    "",
)
COMPETENCES: tuple[tuple[str, str], ...] = (
    ("900101", "Analyser des données pour soutenir des décisions"),
    ("900102", "Concevoir un modèle de données"),
    ("900103", "Développer des traitements de données"),
    ("900104", "Construire des tableaux de bord"),
    ("900105", "Mettre en production un modèle statistique"),
    ("900106", "Rédiger des spécifications fonctionnelles"),
)
QUALIFICATIONS = (("9", "Cadre"), ("8", "Agent de maîtrise"), ("7", "Technicien"))


def _weighted(rng: random.Random, items: list[Any], weights: list[float]) -> Any:
    return rng.choices(items, weights=weights, k=1)[0]


def _title(rng: random.Random, base: str) -> str:
    return f"{base}{rng.choice([' (H/F)', ' H/F', ' (F/H)', ' F/H', ' H/F'])}"


def _offer_id(rng: random.Random, used: set[str]) -> str:
    while True:
        candidate = f"{rng.randint(180, 199)}{''.join(rng.choices(string.ascii_uppercase, k=4))}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def _moment(rng: random.Random, month: str) -> dt.datetime:
    year, number = (int(part) for part in month.split("-"))
    first = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    last = min(following - dt.timedelta(days=1), LAST_DAY)
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        rng.randint(6, 20),
        rng.randint(0, 59),
        rng.randint(0, 59),
        rng.randint(0, 999) * 1000,
        tzinfo=dt.UTC,
    )


def _timestamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _place(rng: random.Random) -> Record:
    if rng.random() < 0.07:
        return dict(rng.choice(COARSE_PLACES))
    place = _weighted(rng, list(PLACES), [place.weight for place in PLACES])
    return {
        "libelle": place.label,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "codePostal": place.postal_code,
        "commune": place.commune,
    }


def _technologies(rng: random.Random, role: Role, progress: float) -> list[str]:
    weights = []
    for name in role.technologies:
        start, end = TECHNOLOGY_TRENDS.get(name, (1.0, 1.0))
        weights.append(start + (end - start) * progress)
    chosen: list[str] = []
    for _ in range(rng.randint(3, 6)):
        name = _weighted(rng, list(role.technologies), weights)
        if name not in chosen:
            chosen.append(name)
    return chosen


def _years(rng: random.Random, base_title: str) -> int:
    lowered = base_title.lower()
    if "junior" in lowered:
        return 0
    if "senior" in lowered or "lead" in lowered or "head" in lowered or "chief" in lowered:
        return rng.choice([5, 6, 8])
    return rng.choice([0, 1, 2, 2, 3, 3, 4, 5])


def _experience(rng: random.Random, years: int) -> tuple[str, str]:
    if years == 0:
        return "D", "Débutant accepté"
    if rng.random() < 0.2:
        return "S", f"Expérience souhaitée de {years} An(s)"
    return "E", rng.choice([f"Expérience exigée de {years} An(s)", f"{years} An(s)"])


def _contract(rng: random.Random) -> dict[str, Any]:
    kind = _weighted(rng, ["CDI", "CDD", "MIS", "LIB", "SAI", "APP"], [68, 10, 10, 6, 1, 4])
    months = rng.choice([3, 6, 9, 12, 18])
    if kind == "CDI":
        label = rng.choice(["Contrat à durée indéterminée", "CDI"])
        return {
            "typeContrat": "CDI",
            "typeContratLibelle": label,
            "natureContrat": "Contrat travail",
            "alternance": False,
        }
    if kind in ("CDD", "APP"):
        months = 12 if kind == "APP" else months
        label = rng.choice([f"Contrat à durée déterminée - {months} Mois", f"CDD - {months} Mois"])
        nature = "Contrat apprentissage" if kind == "APP" else "Contrat travail"
        return {
            "typeContrat": "CDD",
            "typeContratLibelle": label,
            "natureContrat": nature,
            "alternance": kind == "APP",
        }
    if kind == "MIS":
        label = rng.choice([f"Mission intérimaire - {months} Mois", f"Intérim - {months} Mois"])
        return {
            "typeContrat": "MIS",
            "typeContratLibelle": label,
            "natureContrat": "Contrat travail",
            "alternance": False,
        }
    if kind == "LIB":
        return {
            "typeContrat": "LIB",
            "typeContratLibelle": "Profession libérale",
            "natureContrat": "Emploi non salarié",
            "alternance": False,
        }
    return {
        "typeContrat": "SAI",
        "typeContratLibelle": "Contrat travail saisonnier",
        "natureContrat": "Contrat travail",
        "alternance": False,
    }


def _amount(value: float, comma: bool) -> str:
    return f"{value:.2f}".replace(".", ",") if comma else f"{value:.1f}"


def _salary(
    rng: random.Random,
    salary_k: tuple[int, int],
    years: int,
    contract: dict[str, Any],
    region_factor: float,
) -> Record:
    if contract["typeContrat"] == "LIB":
        low = rng.choice([350, 400, 450, 500, 550])
        return {"commentaire": f"TJM de {low} à {low + rng.choice([50, 100, 150])} € par jour"}
    if contract["alternance"]:
        return {"libelle": f"Horaire de {rng.choice([9.88, 11.65, 12.31]):.2f} Euros sur 12 mois"}
    draw = rng.random()
    if draw < 0.45:
        return {}
    if draw < 0.55:
        return {"commentaire": rng.choice(SALARY_COMMENTS), "complement1": "Autre"}

    low_k, high_k = salary_k
    low = round((low_k + min(years, 8) * 1.8) * region_factor * rng.uniform(0.92, 1.05)) * 1000
    high = low + rng.choice([0, 3000, 5000, 8000, 10000])
    high = min(max(high, low), high_k * 1000 + 20000)
    salary = _salary_label(rng, low, high)
    for index, complement in enumerate(rng.sample(SALARY_COMPLEMENTS, k=rng.randint(0, 2)), 1):
        salary[f"complement{index}"] = complement
    return salary


def _salary_label(rng: random.Random, low: int, high: int) -> Record:
    comma = rng.random() < 0.4
    months = rng.choice([12, 12, 12, 13])
    period_suffix = "" if comma else f" sur {months:.1f} mois"
    if rng.random() < 0.7:
        upper = "" if low == high else f" à {_amount(high, comma)} Euros"
        return {"libelle": f"Annuel de {_amount(low, comma)} Euros{upper}{period_suffix}"}
    divisor = months if not comma else 12
    monthly_low = round(low / divisor / 50) * 50
    monthly_high = round(high / divisor / 50) * 50
    upper = "" if monthly_low == monthly_high else f" à {_amount(monthly_high, comma)} Euros"
    return {"libelle": f"Mensuel de {_amount(monthly_low, comma)} Euros{upper}{period_suffix}"}


def _description(
    rng: random.Random, company: str, missions: list[str], stack: list[str], years: int, remote: str
) -> str:
    experience = "Débutant accepté" if years == 0 else f"{years} an(s) d'expérience minimum"
    parts = [
        f"{company.title()} renforce ses équipes et recrute.",
        "Vos missions :\n" + "\n".join(f"- {mission}" for mission in missions),
    ]
    if stack:
        parts.append(f"Environnement technique : {', '.join(stack)}.")
    parts.append(f"Profil : formation Bac+3 à Bac+5. {experience}.")
    if remote:
        parts.append(remote)
    parts.append(f"Avantages : {', '.join(rng.sample(BENEFITS, k=3))}.")
    return "\n\n".join(parts)


def _region_factor(place: Record) -> float:
    code = place.get("commune") or ""
    if code[:2] in {"75", "92", "93", "94", "91", "78"}:
        return 1.1
    if code.startswith("97"):
        return 0.92
    return 0.97


def _data_offer(rng: random.Random, month: str, progress: float) -> Record:
    slug = _weighted(rng, list(ROLES), [role.weight for role in ROLES.values()])
    role = ROLES[slug]
    base_title = rng.choice(role.titles)
    contract = _contract(rng)
    if contract["alternance"]:
        base_title = f"Alternance - {base_title}"
    years = 0 if contract["alternance"] else _years(rng, base_title)
    place = _place(rng)
    missions = rng.sample(role.missions, k=min(3, len(role.missions)))
    stack = _technologies(rng, role, progress)
    record = _common(rng, month, _title(rng, base_title), contract, years, place)
    record["description"] = _description(
        rng,
        record["entreprise"].get("nom", "Notre client"),
        missions,
        stack,
        years,
        rng.choice(REMOTE_SENTENCES),
    )
    record["romeCode"], record["romeLibelle"], record["appellationlibelle"] = role.rome
    record["salaire"] = _salary(rng, role.salary_k, years, contract, _region_factor(place))
    if rng.random() < 0.3:
        record["competences"] = [
            {"code": code, "libelle": label, "exigence": rng.choice(["E", "S"])}
            for code, label in rng.sample(COMPETENCES, k=2)
        ]
    return record


def _non_data_offer(rng: random.Random, month: str) -> Record:
    base_title, rome_code, rome_label = rng.choice(NON_DATA_TITLES)
    contract = _contract(rng)
    years = 0 if contract["alternance"] else rng.choice([0, 1, 2, 3])
    place = _place(rng)
    record = _common(rng, month, _title(rng, base_title), contract, years, place)
    missions = [*rng.sample(NON_DATA_MISSIONS, k=2), rng.choice(NON_DATA_HOOKS)]
    record["description"] = _description(
        rng, record["entreprise"].get("nom", "Notre client"), missions, [], years, ""
    )
    record["romeCode"], record["romeLibelle"], record["appellationlibelle"] = (
        rome_code,
        rome_label,
        base_title,
    )
    record["salaire"] = _salary(rng, NON_DATA_SALARY_K, years, contract, 1.0)
    return record


def _common(
    rng: random.Random, month: str, title: str, contract: dict[str, Any], years: int, place: Record
) -> Record:
    created = _moment(rng, month)
    updated = min(
        created + dt.timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 9)),
        dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC),
    )
    if contract["typeContrat"] == "MIS":
        name = rng.choice(INTERIM_AGENCIES)
        sector = ("78", "Activités des agences de travail temporaire")
    else:
        name, *sector = rng.choice(COMPANIES)
    company: Record = {"nom": name, "entrepriseAdaptee": False}
    if rng.random() < 0.08:
        company = {"entrepriseAdaptee": False}
    code, label = _experience(rng, years)
    qualification = (
        QUALIFICATIONS[0] if years >= 2 or rng.random() < 0.6 else rng.choice(QUALIFICATIONS[1:])
    )
    record: Record = {
        "id": "",
        "intitule": title,
        "description": "",
        "dateCreation": _timestamp(created),
        "dateActualisation": _timestamp(updated),
        "lieuTravail": place,
        "romeCode": "",
        "romeLibelle": "",
        "appellationlibelle": "",
        "entreprise": company,
        **contract,
        "experienceExige": code,
        "experienceLibelle": label,
        "salaire": {},
        "dureeTravailLibelle": "35H Horaires normaux",
        "dureeTravailLibelleConverti": "Temps plein",
        "nombrePostes": 1,
        "accessibleTH": rng.random() < 0.1,
        "qualificationCode": qualification[0],
        "qualificationLibelle": qualification[1],
        "secteurActivite": sector[0],
        "secteurActiviteLibelle": sector[1],
        "origineOffre": {"origine": "1", "urlOrigine": ""},
        "offresManqueCandidats": rng.random() < 0.15,
    }
    return record


def _repost(rng: random.Random, original: Record, used: set[str], number: int) -> Record:
    """Copy an offer as a partner site publishes it again, under another id and URL."""
    copy = json.loads(json.dumps(original))
    copy["id"] = _offer_id(rng, used)
    copy["origineOffre"] = {"origine": "2", "urlOrigine": PARTNER_URL.format(number=number)}
    return copy


def generate_offers(seed: int = SEED) -> dict[str, list[Record]]:
    """Return the demo records grouped by creation month ("2026-05" ...), in creation order."""
    rng = random.Random(seed)
    used: set[str] = set()
    by_month: dict[str, list[Record]] = {}
    months = list(MONTH_COUNTS)
    for index, month in enumerate(months):
        progress = index / (len(months) - 1)
        records = []
        for _ in range(MONTH_COUNTS[month]):
            if rng.random() < NON_DATA_SHARE:
                record = _non_data_offer(rng, month)
            else:
                record = _data_offer(rng, month, progress)
            record["id"] = _offer_id(rng, used)
            record["origineOffre"]["urlOrigine"] = DETAIL_URL.format(id=record["id"])
            records.append(record)
        by_month[month] = records

    # Partner reposts of existing offers, so the dedup keys of the clean stage get work.
    for number in range(1, REPOSTS + 1):
        month = rng.choice(months)
        original = rng.choice(by_month[month])
        by_month[month].append(_repost(rng, original, used, number))

    for records in by_month.values():
        records.sort(key=lambda record: (record["dateCreation"], record["id"]))
    return by_month


def write_offers(output_dir: Path, seed: int = SEED) -> list[Path]:
    """Write one `offres_<month>.json` file per month and return their paths."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for month, records in generate_offers(seed).items():
        path = output_dir / f"offres_{month}.json"
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=OUTPUT_DIR,
        help="folder that receives the offres_<month>.json files (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default: %(default)s)")
    arguments = parser.parse_args(argv)
    paths = write_offers(arguments.output_dir, arguments.seed)
    total = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in paths)
    print(f"wrote {total} offers in {len(paths)} files under {arguments.output_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
