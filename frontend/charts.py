"""Chart keys: reading them from a manifest, checking them, and turning them into URLs."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from frontend.errors import InvalidChartKey

CHART_KINDS: tuple[str, ...] = ("offers_per_month", "top_technologies", "contract_types")
CHART_KEY_PREFIX = "charts/"
CHART_SUFFIX = ".png"
CHART_ROUTE = "/graphiques"


def region_charts(charts: dict[str, Any] | None, region: str) -> dict[str, str]:
    """Return the chart keys of one region from a manifest's `charts` JSON, by chart kind.

    Kinds the site does not know and values that are not strings are left out, so a
    manifest written by a newer chart service cannot break a page.
    """
    region_entry = (charts or {}).get(region)
    if not isinstance(region_entry, dict):
        return {}
    return {
        kind: region_entry[kind]
        for kind in CHART_KINDS
        if isinstance(region_entry.get(kind), str) and region_entry[kind]
    }


def check_chart_key(key: str) -> PurePosixPath:
    """Return `key` as a relative path under `charts/`; raises `InvalidChartKey`.

    Rejects absolute keys, backslashes, `.` or `..` segments and anything but PNG images.
    """
    path = PurePosixPath(key)
    if "\\" in key or "\x00" in key or path.is_absolute():
        raise InvalidChartKey(f"chart key {key!r} must be a relative path such as 'charts/...png'")
    if any(part in {"", ".", ".."} for part in key.split("/")):
        raise InvalidChartKey(f"chart key {key!r} must not contain empty, '.' or '..' segments")
    if not key.startswith(CHART_KEY_PREFIX) or path.suffix != CHART_SUFFIX:
        raise InvalidChartKey(f"chart key {key!r} must start with 'charts/' and end with '.png'")
    return path


def chart_file(root: Path, key: str) -> Path:
    """Return the file of a chart key under the blob folder `root`; raises `InvalidChartKey`.

    The resolved path is checked again, so a symbolic link cannot lead out of `root`.
    """
    relative = check_chart_key(key)
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base / CHART_KEY_PREFIX):
        raise InvalidChartKey(f"chart key {key!r} resolves outside {str(base / 'charts')!r}")
    return path


def chart_url(key: str, charts_base_url: str | None) -> str:
    """Return the public URL of a chart: on the chart CDN when configured, else on this site."""
    quoted_key = quote(key, safe="/")
    if charts_base_url:
        return f"{charts_base_url.rstrip('/')}/{quoted_key}"
    return f"{CHART_ROUTE}/{quoted_key}"
