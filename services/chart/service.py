"""Draw the monthly chart set of one role, store the images and record the manifest."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from aws_lambda_powertools import Logger
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.chart import drawing
from services.chart.queries import ChartData, RegionStats, chart_version, load_chart_data
from shared.charts import localized_chart_key
from shared.contracts.messages import ChartRequest, Message
from shared.db.models import ChartManifest, utcnow
from shared.errors import PermanentError
from shared.i18n import DEFAULT_LANGUAGE, LANGUAGES
from shared.regions import region_name
from shared.roles import ALL_ROLES, ROLE_SLUGS, role_label
from shared.runtime import Dependencies

logger = Logger(service="chart")

CHART_KINDS = ("offers_per_month", "top_technologies", "contract_types")

# Region code -> chart kind -> blob key.
ChartKeys = dict[str, dict[str, str]]


class UnexpectedMessage(PermanentError):
    """The chart queue received a message that is not a chart request."""


class UnknownRole(PermanentError):
    """A chart request names a role that is neither a role family slug nor `all`."""


@dataclass(frozen=True, kw_only=True)
class ChartSetResult:
    """Result of one chart request; `drawn` is False when the same chart set already existed."""

    role: str
    month: str
    version: str
    charts: ChartKeys
    drawn: bool
    chart_count: int
    seconds_per_chart: float | None


def chart_prefix(role: str, month: str, version: str) -> str:
    return f"charts/{role}/{month}/{version}"


def chart_key(role: str, month: str, version: str, region_code: str, kind: str) -> str:
    return f"{chart_prefix(role, month, version)}/{region_code}/{kind}.png"


def _subtitle(role: str, region_code: str, month: str | None, language: str) -> str:
    parts = [role_label(role, language), region_name(region_code, language)]
    if month is not None:
        parts.append(drawing.month_label(month, language=language))
    return " · ".join(parts)


def draw_region(
    role: str, month: str, region: RegionStats, language: str = DEFAULT_LANGUAGE
) -> dict[str, bytes]:
    """Draw the three charts of one region in `language`; returns PNG bytes per chart kind."""
    code = region.region_code
    return {
        "offers_per_month": drawing.draw_offers_per_month(
            region.offers_per_month,
            subtitle=_subtitle(role, code, None, language),
            language=language,
        ),
        "top_technologies": drawing.draw_top_technologies(
            region.top_technologies,
            month_offers=region.month_offers,
            subtitle=_subtitle(role, code, month, language),
            language=language,
        ),
        "contract_types": drawing.draw_contract_types(
            region.contract_counts,
            subtitle=_subtitle(role, code, month, language),
            language=language,
        ),
    }


def manifest_document(data: ChartData, version: str, charts: ChartKeys) -> bytes:
    """Serialise the manifest blob; the same chart set always gives the same bytes."""
    document = {
        "month": data.month,
        "role": data.role,
        "role_label": role_label(data.role),
        "version": version,
        "regions": {region.region_code: region_name(region.region_code) for region in data.regions},
        "charts": charts,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _find_manifest(
    session: Session, *, role: str, month: str, version: str
) -> ChartManifest | None:
    return session.scalar(
        select(ChartManifest).where(
            ChartManifest.role == role,
            ChartManifest.month == month,
            ChartManifest.version == version,
        )
    )


def _newest_version(session: Session, *, role: str, month: str) -> str | None:
    return session.scalar(
        select(ChartManifest.version)
        .where(ChartManifest.role == role, ChartManifest.month == month)
        .order_by(ChartManifest.created_at.desc(), ChartManifest.id.desc())
        .limit(1)
    )


def upsert_manifest(
    session: Session, *, data: ChartData, version: str, manifest_blob: str, charts: ChartKeys
) -> ChartManifest:
    """Insert the manifest row, or make an existing row of this version the newest again.

    An existing row that is already the newest of its (month, role) stays untouched,
    so a redelivered request changes nothing. The caller owns the transaction.
    """
    row = _find_manifest(session, role=data.role, month=data.month, version=version)
    if row is None:
        row = ChartManifest(
            month=data.month,
            role=data.role,
            version=version,
            manifest_blob=manifest_blob,
            charts=charts,
            languages=",".join(LANGUAGES),
            created_at=utcnow(),
        )
        session.add(row)
    elif _newest_version(session, role=data.role, month=data.month) != version:
        # The statistics went back to an earlier state: the site must show this set again.
        row.created_at = utcnow()
        row.manifest_blob = manifest_blob
        row.charts = charts
    session.flush()
    return row


def _check_request(message: Message) -> ChartRequest:
    if not isinstance(message, ChartRequest):
        raise UnexpectedMessage(f"chart expected a 'chart_request' message, got {message.type!r}")
    if message.role != ALL_ROLES and message.role not in ROLE_SLUGS:
        raise UnknownRole(
            f"unknown role {message.role!r}; expected {ALL_ROLES!r} or one of {sorted(ROLE_SLUGS)}"
        )
    return message


def _draw_and_store(deps: Dependencies, data: ChartData, version: str) -> tuple[ChartKeys, float]:
    """Draw and store every chart of `data` in every language.

    Returns the French blob keys, which the manifest lists, and the seconds spent drawing.
    """
    charts: ChartKeys = {}
    drawing_seconds = 0.0
    for region in data.regions:
        charts[region.region_code] = {
            kind: chart_key(data.role, data.month, version, region.region_code, kind)
            for kind in CHART_KINDS
        }
        for language in LANGUAGES:
            started = time.perf_counter()
            images = draw_region(data.role, data.month, region, language)
            drawing_seconds += time.perf_counter() - started
            for kind in CHART_KINDS:
                key = localized_chart_key(charts[region.region_code][kind], language)
                deps.blobs.put(key, images[kind], content_type="image/png")
    return charts, drawing_seconds


def build_chart_set(deps: Dependencies, *, role: str, month: str) -> ChartSetResult:
    """Draw, store and record the chart set of `role` and `month`, unless this version exists.

    NOTE: the statistics are read in one transaction and the manifest is written in a
    second one, so no write transaction stays open while drawing. On SQLite a read
    transaction that later writes fails with "database is locked" when another
    thread committed in between.
    """
    with deps.sessions.begin() as session:
        data = load_chart_data(session, role=role, month=month)
        version = chart_version(data)
        existing = _find_manifest(session, role=role, month=month, version=version)
        newest = _newest_version(session, role=role, month=month)

    if existing is not None:
        if newest != version:
            with deps.sessions.begin() as session:
                upsert_manifest(
                    session,
                    data=data,
                    version=version,
                    manifest_blob=existing.manifest_blob,
                    charts=existing.charts,
                )
        logger.info("chart set already drawn", role=role, month=month, version=version)
        return ChartSetResult(
            role=role,
            month=month,
            version=version,
            charts=existing.charts,
            drawn=False,
            chart_count=0,
            seconds_per_chart=None,
        )

    charts, drawing_seconds = _draw_and_store(deps, data, version)
    manifest_key = f"{chart_prefix(role, month, version)}/manifest.json"
    deps.blobs.put(
        manifest_key, manifest_document(data, version, charts), content_type="application/json"
    )
    with deps.sessions.begin() as session:
        upsert_manifest(
            session, data=data, version=version, manifest_blob=manifest_key, charts=charts
        )

    chart_count = len(charts) * len(CHART_KINDS) * len(LANGUAGES)
    seconds_per_chart = drawing_seconds / chart_count
    logger.info(
        "chart set drawn",
        role=role,
        month=month,
        version=version,
        regions=len(charts),
        charts=chart_count,
        seconds_per_chart=round(seconds_per_chart, 4),
    )
    return ChartSetResult(
        role=role,
        month=month,
        version=version,
        charts=charts,
        drawn=True,
        chart_count=chart_count,
        seconds_per_chart=seconds_per_chart,
    )


def handle_message(message: Message, deps: Dependencies) -> None:
    """Handle one message of the chart-requests queue."""
    request = _check_request(message)
    build_chart_set(deps, role=request.role, month=request.month)
