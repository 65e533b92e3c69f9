"""Jinja environments, one per language, and the page context every template receives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.support import Translations
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request

from frontend.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_PARAMETER,
    LANGUAGES,
    choose_language,
    format_count,
    format_euros,
    format_month,
    format_share,
)
from shared.regions import ALL_FRANCE, REGIONS, region_name
from shared.roles import ROLE_FAMILIES, role_label

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _build_environment(
    templates_dir: Path, language: str, translations: Translations
) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    # Trimmed `{% trans %}` blocks match the msgids that `pybabel extract` writes with
    # `trimmed = true` in frontend/babel.cfg.
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    environment.filters["count"] = lambda value: format_count(value, language)
    environment.filters["euros"] = lambda value: format_euros(value, language)
    environment.filters["share"] = lambda value: format_share(value, language)
    environment.filters["month_label"] = lambda month: format_month(month, language)
    environment.globals["role_label"] = lambda slug: role_label(slug, language)
    environment.globals["region_label"] = lambda code: _region_label(code, translations)
    environment.globals["role_slugs"] = lambda: [family.slug for family in ROLE_FAMILIES]
    environment.globals["region_codes"] = lambda: list(REGIONS)
    return environment


def _region_label(code: str, translations: Translations) -> str:
    if code == ALL_FRANCE:
        return translations.gettext("France entière")
    return region_name(code)


@dataclass(frozen=True)
class PageContext:
    """Request details every page uses: its language, its path and the language switch link."""

    language: str
    path: str
    switch_language: str
    switch_url: str


def page_context(request: Request) -> PageContext:
    """Build the page context; the switch link keeps the current filters."""
    language = choose_language(
        request.query_params.get(LANGUAGE_PARAMETER), request.cookies.get(LANGUAGE_COOKIE)
    )
    other = next(candidate for candidate in LANGUAGES if candidate != language)

    parameters = [
        (name, value)
        for name, value in request.query_params.multi_items()
        if name != LANGUAGE_PARAMETER
    ]
    parameters.append((LANGUAGE_PARAMETER, other))
    return PageContext(
        language=language,
        path=request.url.path,
        switch_language=other,
        switch_url=f"{request.url.path}?{urlencode(parameters)}",
    )


class PageRenderer:
    """Render templates in the page language, with autoescaping always on."""

    def __init__(
        self, translations: dict[str, Translations], templates_dir: Path = TEMPLATES_DIR
    ) -> None:
        self._translations = translations
        self._environments = {
            language: _build_environment(templates_dir, language, catalogue)
            for language, catalogue in translations.items()
        }

    def gettext(self, language: str, message: str) -> str:
        return self._translations[language].gettext(message)

    def render(
        self, name: str, page: PageContext, context: dict[str, Any], *, status_code: int = 200
    ) -> HTMLResponse:
        template = self._environments[page.language].get_template(name)
        html = template.render(page=page, **context)
        return HTMLResponse(html, status_code=status_code)
