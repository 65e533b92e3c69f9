"""The search queries of one collection run, and the per-département split of a broad search."""

from __future__ import annotations

from collections.abc import Iterable

from shared.contracts.messages import ScrapeRequest

SOURCE = "france_travail"

# Each query is one France Travail `motsCles` keyword, so every word of it must
# appear in the offer's title, description or competences. Together they find
# every offer whose title names a data role. The clean stage decides the role
# and rejects the non-data offers that these queries also bring.
DEFAULT_QUERIES: tuple[str, ...] = (
    "data engineer",
    "ingénieur data",
    "ingénieur données",
    "big data",
    "data analyst",
    "analyste data",
    "analyste données",
    "analyste décisionnel",
    "business intelligence",
    "data scientist",
    "data science",
    "datascience",
    "machine learning",
    "deep learning",
    "intelligence artificielle",
    "ml engineer",
    "mlops",
    "analytics engineer",
    "architecte data",
    "architecte données",
    "data architect",
    "data manager",
    "data steward",
    "gouvernance données",
    "head of data",
    "chief data officer",
    "responsable data",
    "directeur data",
    "lead data",
    "développeur bi",
    "consultant bi",
    "power bi",
    "dataviz",
    "consultant data",
    "product manager data",
    "product owner data",
    "data product",
)

# Every département code the API accepts in `departement`: metropolitan France
# (Corsica as 2A and 2B, no 20) and the five overseas départements.
DEPARTMENTS: tuple[str, ...] = (
    *(f"{number:02d}" for number in range(1, 20)),
    "2A",
    "2B",
    *(f"{number:02d}" for number in range(21, 96)),
    "971",
    "972",
    "973",
    "974",
    "976",
)


def plan_requests(run_id: str, queries: Iterable[str] = DEFAULT_QUERIES) -> list[ScrapeRequest]:
    """Return one France Travail scrape request per distinct query, in the given order."""
    distinct = dict.fromkeys(query.strip() for query in queries if query.strip())
    return [ScrapeRequest(run_id=run_id, source=SOURCE, query=query) for query in distinct]


def split_by_department(request: ScrapeRequest) -> list[ScrapeRequest]:
    """Return the request narrowed to each département, for a search too broad to page through."""
    if request.department is not None:
        raise ValueError(
            f"request for {request.query!r} is already narrowed to département "
            f"{request.department!r}; expected a nationwide request"
        )
    return [
        ScrapeRequest(
            run_id=request.run_id, source=request.source, query=request.query, department=code
        )
        for code in DEPARTMENTS
    ]
