"""The site in real Chromium, on data produced by a full pipeline run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from frontend.app import create_app
from infra.local.emulator import EMULATOR_CREDENTIALS, free_port
from infra.local.pipeline import LocalRuntime
from shared.settings import Settings

OFFERS_DIR = Path(__file__).resolve().parents[1] / "integration" / "offers"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the pipeline on the test offers, then serve the site on a free port."""
    settings = Settings(home=tmp_path_factory.mktemp("e2e-home"))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in EMULATOR_CREDENTIALS.items():
            patch.setenv(name, value)
        with LocalRuntime(settings, offers_dir=OFFERS_DIR, drain_deadline_s=120) as runtime:
            runtime.collect("run-20261204T060000Z-e2e001")
            runtime.chart_and_report("run-20261204T060000Z-e2e001", dt.date(2026, 12, 4))

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(200):
        if server.started:
            started.set()
            break
        thread.join(timeout=0.05)
    assert started.is_set(), "the site did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM!r}; install the Debian package chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM!r}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _loaded_images(page: Page, selector: str) -> list[int]:
    return page.eval_on_selector_all(
        f"{selector} img", "images => images.map(image => image.naturalWidth)"
    )


def test_home_shows_figures_and_charts(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/")

    total = page.inner_text("#chiffre-offres-total dd")
    widths = _loaded_images(page, "#graphiques")
    assert page.inner_text("#titre-accueil") == "Le marché de l'emploi data en France"
    assert total.strip() == "7"
    assert len(widths) >= 2
    assert all(width > 0 for width in widths)


def test_dashboard_filters_show_selected_charts(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/tableau-de-bord")
    page.select_option("#role", "data_scientist")
    page.select_option("#region", "11")
    page.select_option("#mois", "2026-11")
    page.click("#appliquer-filtres")
    page.wait_for_load_state()

    heading = page.inner_text("#selection")
    offers = page.inner_text("#ligne-offres td")
    widths = _loaded_images(page, "#graphiques")
    assert "role=data_scientist" in page.url
    assert heading.startswith("Data scientist · Île-de-France")
    assert offers.strip() == "1"
    assert widths and all(width > 0 for width in widths)


def test_language_switch_to_english(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/")
    page.click("#language-switch")
    page.wait_for_load_state()

    sources = page.eval_on_selector_all("#graphiques img", "images => images.map(i => i.src)")
    widths = _loaded_images(page, "#graphiques")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#language-switch") == "Français"
    assert sources and all(source.endswith(".en.png") for source in sources)
    assert all(width > 0 for width in widths)
