"""Routes of the public site: home, dashboard, methodology, chart images and health check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from frontend import queries
from frontend.charts import CHART_KINDS, chart_file, chart_url, check_chart_key, region_charts
from frontend.dependencies import BlobsDep, PageDep, RendererDep, SessionDep, SettingsDep
from frontend.errors import ChartNotFound
from frontend.filters import DashboardFilters, parse_dashboard_filters
from shared.blobs import LocalBlobStore
from shared.charts import localized_chart_key
from shared.db.models import MonthlyStat
from shared.regions import ALL_FRANCE, REGIONS
from shared.roles import ALL_ROLES, ROLE_FAMILIES
from shared.settings import Settings

# Chart keys contain the chart version, so an image under a key never changes.
CHART_CACHE_CONTROL = "public, max-age=31536000, immutable"
HOME_CHART_KINDS: tuple[str, ...] = ("offers_per_month", "top_technologies")
WEB_LINK_PREFIXES = ("https://", "http://")

router = APIRouter()


@dataclass(frozen=True)
class ChartView:
    """One chart image of a page: its kind (see `CHART_KINDS`) and its public URL."""

    kind: str
    url: str


@dataclass(frozen=True)
class ShareRow:
    """One category of a breakdown (contract type, remote policy) with its count and share."""

    code: str
    offers: int
    share: float


def _chart_views(
    session: Session,
    settings: Settings,
    *,
    month: str | None,
    role: str,
    region: str,
    language: str,
    kinds: tuple[str, ...] = CHART_KINDS,
) -> list[ChartView]:
    if month is None:
        return []
    manifest = queries.newest_manifest(session, month=month, role=role)
    keys = region_charts(manifest.charts if manifest else None, region)
    # Chart sets drawn before charts were translated exist in French only.
    drawn_in = (manifest.languages or "fr").split(",") if manifest else []
    image_language = language if language in drawn_in else "fr"
    return [
        ChartView(
            kind=kind,
            url=chart_url(
                localized_chart_key(keys[kind], image_language), settings.charts_base_url
            ),
        )
        for kind in kinds
        if kind in keys
    ]


def _share_rows(counts: dict[str, object], total: int) -> list[ShareRow]:
    """Turn a `{code: count}` JSON breakdown into rows sorted by count, largest first."""
    rows = [
        ShareRow(code=code, offers=count, share=count / total if total else 0.0)
        for code, count in counts.items()
        if isinstance(count, int) and count > 0
    ]
    return sorted(rows, key=lambda row: (-row.offers, row.code))


def _web_link(url: str | None) -> str | None:
    """Keep only http(s) links, so a `javascript:` URL from a source never reaches a page."""
    if url and url.lower().startswith(WEB_LINK_PREFIXES):
        return url
    return None


def current_month() -> str:
    """Return the calendar month now running, `YYYY-MM`, in UTC."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m")


@router.get("/", response_class=HTMLResponse)
def home(
    session: SessionDep, page: PageDep, renderer: RendererDep, settings: SettingsDep
) -> HTMLResponse:
    figures = queries.home_figures(session, current_month=current_month())
    chart_month = figures.latest_month
    if chart_month is None or not queries.newest_manifest(
        session, month=chart_month, role=ALL_ROLES
    ):
        chart_month = queries.latest_manifest_month(session, role=ALL_ROLES)
    charts = _chart_views(
        session,
        settings,
        month=chart_month,
        role=ALL_ROLES,
        region=ALL_FRANCE,
        language=page.language,
        kinds=HOME_CHART_KINDS,
    )
    context = {"figures": figures, "chart_month": chart_month, "charts": charts}
    return renderer.render("home.html", page, context)


def _dashboard_data(
    session: Session, settings: Settings, filters: DashboardFilters, month: str, language: str
) -> dict[str, object]:
    stat: MonthlyStat | None = queries.monthly_stat(
        session, month=month, role=filters.role, region=filters.region
    )
    offers = stat.offers if stat else 0
    technologies = queries.top_technologies(
        session, month=month, role=filters.role, region=filters.region
    )
    recent = queries.recent_offers(session, month=month, role=filters.role, region=filters.region)
    return {
        "stat": stat,
        "salary_share": stat.with_salary / offers if stat and offers else None,
        "contracts": _share_rows(stat.contract_counts or {}, offers) if stat else [],
        "remote": _share_rows(stat.remote_counts or {}, offers) if stat else [],
        "technologies": technologies,
        "charts": _chart_views(
            session,
            settings,
            month=month,
            role=filters.role,
            region=filters.region,
            language=language,
        ),
        "recent_offers": [(offer, _web_link(offer.url)) for offer in recent],
    }


@router.get("/tableau-de-bord", response_class=HTMLResponse)
def dashboard(
    session: SessionDep,
    page: PageDep,
    renderer: RendererDep,
    settings: SettingsDep,
    role: str | None = None,
    region: str | None = None,
    mois: str | None = None,
) -> HTMLResponse:
    months = queries.available_months(session)
    filters = parse_dashboard_filters(
        role=role,
        region=region,
        month=mois or queries.complete_month(months, current_month()),
        months=months,
    )

    month_options = list(months)
    if filters.month is not None and filters.month not in month_options:
        month_options = sorted([*month_options, filters.month], reverse=True)
    context: dict[str, object] = {
        "filters": filters,
        "role_options": [ALL_ROLES, *(family.slug for family in ROLE_FAMILIES)],
        "region_options": [ALL_FRANCE, *REGIONS],
        "month_options": month_options,
        "has_data": filters.month in months,
    }
    if filters.month is not None:
        context.update(_dashboard_data(session, settings, filters, filters.month, page.language))
    return renderer.render("dashboard.html", page, context)


@router.get("/methodologie", response_class=HTMLResponse)
def methodology(page: PageDep, renderer: RendererDep) -> HTMLResponse:
    return renderer.render("methodology.html", page, {})


@router.get("/graphiques/{key:path}")
def chart_image(key: str, blobs: BlobsDep) -> FileResponse:
    """Serve a chart image from the local blob folder.

    Raises `InvalidChartKey` for a key outside `charts/`, and `ChartNotFound` when the
    image is missing or charts are not stored locally.
    """
    check_chart_key(key)
    if not isinstance(blobs, LocalBlobStore):
        # NOTE: charts in S3 are served by CloudFront under `charts_base_url`. The site does
        # not proxy them, because `BlobStore` offers no way to turn a key into a URI.
        raise ChartNotFound(
            f"chart {key!r} is not in a local blob folder; link charts through charts_base_url"
        )

    path = chart_file(blobs.root, key)
    if not path.is_file():
        raise ChartNotFound(f"no chart image at key {key!r}")
    return FileResponse(
        path, media_type="image/png", headers={"Cache-Control": CHART_CACHE_CONTROL}
    )


@router.get("/healthz")
def healthz(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
