"""Draw the three chart kinds as small PNG images with seaborn, in French or English."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib

# NOTE: the Agg backend is chosen before seaborn imports pyplot, so drawing never
# needs a display (Lambda and CI have none).
matplotlib.use("Agg")

import seaborn as sns
from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from shared.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue_path, compile_catalogue

FIGURE_SIZE_INCHES = (8.0, 4.5)
DPI = 100
BAR_COLOR = "#2a6f97"
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "chart"

# NOTE: without these, matplotlib writes its version in the PNG, so images drawn by
# two matplotlib versions would differ for the same statistics.
PNG_METADATA: dict[str, str | None] = {"Software": None}

# French source strings; the `chart` catalogue translates them.
CONTRACT_LABELS = {
    "cdi": "CDI",
    "cdd": "CDD",
    "interim": "Intérim",
    "internship": "Stage",
    "apprenticeship": "Alternance",
    "freelance": "Freelance",
    "other": "Autre",
    "unknown": "Non précisé",
}

NO_OFFERS_TEXT = "Aucune offre ce mois-ci"
NO_TECHNOLOGIES_TEXT = "Aucune technologie relevée ce mois-ci"


class UnsupportedLanguage(ValueError):
    """A chart was requested in a language without a catalogue."""


@lru_cache(maxsize=len(LANGUAGES))
def _translations(language: str):
    if language not in LANGUAGES:
        raise UnsupportedLanguage(
            f"unsupported chart language {language!r}; expected one of {LANGUAGES}"
        )
    return compile_catalogue(catalogue_path(LOCALES_DIR, language, DOMAIN), domain=DOMAIN)


def translate(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return `text`, a French source string, in `language`."""
    return _translations(language).gettext(text)


def month_label(month: str, pattern: str = "LLLL yyyy", language: str = DEFAULT_LANGUAGE) -> str:
    """Format `YYYY-MM` in the language, `mars 2025` or `March 2025` by default."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(dt.date(year, number, 1), pattern, locale=BABEL_LOCALES[language])


def contract_label(contract_type: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return the label of a contract type; unknown types keep their own name."""
    label = CONTRACT_LABELS.get(contract_type)
    return translate(label, language) if label else contract_type


def _new_axes(*, left: float = 0.09, bottom: float = 0.2) -> tuple[Figure, Axes]:
    """Create a figure with fixed margins, as fractions of its width and height.

    NOTE: fixed margins instead of a layout engine, because the constrained layout
    took about a quarter of the drawing time (cProfile, matplotlib 3.11).
    """
    figure = Figure(figsize=FIGURE_SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=left, right=0.97, top=0.86, bottom=bottom)
    return figure, figure.add_subplot()


def _label_margin(labels: Sequence[str]) -> float:
    """Estimate the left margin that fits the longest y tick label at font size 9."""
    longest = max((len(label) for label in labels), default=0)
    return min(0.4, 0.04 + 0.0085 * longest)


def _to_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def _show_empty(axes: Axes, text: str) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=13, transform=axes.transAxes)


def _title(axes: Axes, headline: str, subtitle: str) -> None:
    axes.set_title(f"{headline}\n{subtitle}", fontsize=12, loc="left")


def draw_offers_per_month(
    series: Sequence[tuple[str, int]], *, subtitle: str, language: str = DEFAULT_LANGUAGE
) -> bytes:
    """Draw offers per month as bars, one per `(YYYY-MM, offers)` pair in the given order."""
    with sns.axes_style("whitegrid"):
        figure, axes = _new_axes()
        labels = [month_label(month, "MMM yy", language) for month, _ in series]
        counts = [count for _, count in series]
        sns.barplot(x=labels, y=counts, color=BAR_COLOR, errorbar=None, ax=axes)
        axes.set_xlabel(translate("Mois", language))
        axes.set_ylabel(translate("Nombre d'offres", language))
        axes.tick_params(axis="x", labelrotation=45, labelsize=9)
        axes.set_ylim(bottom=0, top=max(max(counts, default=0), 1) * 1.1)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        _title(axes, translate("Offres par mois, sur 12 mois", language), subtitle)
        return _to_png(figure)


def draw_top_technologies(
    technologies: Sequence[tuple[str, int]],
    *,
    month_offers: int,
    subtitle: str,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """Draw the share (%) of the month's offers naming each technology, largest first."""
    names = [name for name, _ in technologies]
    with sns.axes_style("whitegrid"):
        figure, axes = _new_axes(left=_label_margin(names), bottom=0.12)
        _title(axes, translate("Technologies les plus demandées", language), subtitle)
        if month_offers <= 0 or not technologies:
            empty = NO_OFFERS_TEXT if month_offers <= 0 else NO_TECHNOLOGIES_TEXT
            _show_empty(axes, translate(empty, language))
            return _to_png(figure)

        shares = [100.0 * count / month_offers for _, count in technologies]
        sns.barplot(x=shares, y=names, color=BAR_COLOR, orient="h", errorbar=None, ax=axes)
        axes.set_xlabel(translate("Part des offres du mois (%)", language))
        axes.set_ylabel("")
        axes.set_xlim(0, min(100.0, max(shares) * 1.15))
        axes.tick_params(axis="y", labelsize=9)
        return _to_png(figure)


def draw_contract_types(
    contracts: Sequence[tuple[str, int]], *, subtitle: str, language: str = DEFAULT_LANGUAGE
) -> bytes:
    """Draw the number of offers per contract type, most frequent first."""
    with sns.axes_style("whitegrid"):
        figure, axes = _new_axes(bottom=0.14)
        _title(axes, translate("Types de contrat", language), subtitle)
        if not contracts:
            _show_empty(axes, translate(NO_OFFERS_TEXT, language))
            return _to_png(figure)

        labels = [contract_label(contract, language) for contract, _ in contracts]
        counts = [count for _, count in contracts]
        sns.barplot(x=labels, y=counts, color=BAR_COLOR, errorbar=None, ax=axes)
        axes.set_xlabel(translate("Type de contrat", language))
        axes.set_ylabel(translate("Nombre d'offres", language))
        axes.set_ylim(bottom=0, top=max(counts) * 1.1)
        return _to_png(figure)
