"""Pages of the public site, rendered by FastAPI's TestClient against committed data."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import Engine

from tests.frontend.site_factories import (
    commit_rows,
    manifest,
    monthly_stat,
    offer,
    technology_stat,
)


def _text(html: str, selector: str) -> str:
    node = HTMLParser(html).css_first(selector)
    assert node is not None, f"no element matches {selector!r}"
    return node.text(strip=True)


def _image_sources(html: str) -> list[str]:
    return [node.attributes["src"] or "" for node in HTMLParser(html).css("figure.chart img")]


def _seed_two_months(engine: Engine) -> None:
    """Commit 3 offers (2 in May 2024, 1 in April) with their monthly statistics."""
    commit_rows(
        engine,
        offer(month="2024-04", role="data_analyst", region_code="84", city="Lyon"),
        offer(month="2024-05", role="data_engineer", title="Data engineer confirmé"),
        offer(month="2024-05", role="data_scientist", region_code="53", city="Rennes"),
        monthly_stat(month="2024-04", offers=1, with_salary=0),
        monthly_stat(month="2024-04", role="data_analyst", region_code="84", offers=1),
        monthly_stat(
            month="2024-05",
            offers=2,
            with_salary=1,
            salary_yearly_median=52000.0,
            day_rate_median=550.0,
            contract_counts={"cdi": 1, "freelance": 1},
            remote_counts={"partial": 2},
        ),
        monthly_stat(month="2024-05", role="data_engineer", region_code="11", offers=1),
        monthly_stat(month="2024-05", role="data_scientist", region_code="53", offers=1),
        monthly_stat(month="2024-05", role="data_engineer", region_code="FR", offers=1),
        technology_stat("Python", 2),
        technology_stat("Spark", 1),
        technology_stat("Airflow", 1),
        technology_stat("Excel", 1, month="2024-04"),
    )


# Home


def test_home_empty_database_returns_200(any_database_client: TestClient) -> None:
    response = any_database_client.get("/")

    assert response.status_code == 200


def test_home_empty_state_in_french(client: TestClient) -> None:
    response = client.get("/")

    assert _text(response.text, "#titre-etat-vide") == "Pas encore de chiffres"
    assert HTMLParser(response.text).css_first("#chiffres-cles") is None


def test_home_html_lang_defaults_to_french(client: TestClient) -> None:
    response = client.get("/")

    assert HTMLParser(response.text).css_first("html").attributes["lang"] == "fr"


def test_home_figures_match_data(site_engine: Engine, any_database_client: TestClient) -> None:
    _seed_two_months(site_engine)

    html = any_database_client.get("/").text

    assert _text(html, "#chiffre-offres-total dd") == "3"
    assert _text(html, "#chiffre-offres-mois dd") == "2"
    assert _text(html, "#chiffre-metiers dd") == "3"
    assert _text(html, "#chiffre-regions dd") == "3"
    assert _text(html, "#chiffre-part-salaire dd") == "50\xa0%"
    assert _text(html, "#chiffre-salaire-median dd") == "52\u202f000\xa0€"
    assert _text(html, "#chiffre-technologie dd") == "Python"


def test_home_names_latest_month(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    html = client.get("/").text

    assert "Dernier mois publié : mai 2024." in html


def test_home_shows_all_roles_france_charts(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)
    commit_rows(sqlite_site_engine, manifest(month="2024-05", role="all", version="v7"))

    html = client.get("/").text

    assert _image_sources(html) == [
        "/graphiques/charts/2024-05/all/v7/FR/offers_per_month.png",
        "/graphiques/charts/2024-05/all/v7/FR/top_technologies.png",
    ]


def test_home_charts_in_english_when_drawn(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)
    translated = manifest(month="2024-05", role="all", version="v8")
    translated.languages = "fr,en"
    commit_rows(sqlite_site_engine, translated)

    html = client.get("/?lang=en").text

    assert _image_sources(html) == [
        "/graphiques/charts/2024-05/all/v8/FR/offers_per_month.en.png",
        "/graphiques/charts/2024-05/all/v8/FR/top_technologies.en.png",
    ]


def test_home_charts_fall_back_to_french(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)
    commit_rows(sqlite_site_engine, manifest(month="2024-05", role="all", version="v7"))

    html = client.get("/?lang=en").text

    assert _image_sources(html)[0] == "/graphiques/charts/2024-05/all/v7/FR/offers_per_month.png"


def test_home_chart_alt_text_is_french(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)
    commit_rows(sqlite_site_engine, manifest())

    image = HTMLParser(client.get("/").text).css_first("#graphique-offers-per-month img")

    assert image.attributes["alt"] == (
        "Graphique : nombre d'offres par mois, Tous les métiers, France entière, jusqu'à mai 2024."
    )


def test_home_without_charts_says_so(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    html = client.get("/").text

    assert _text(html, "#graphiques-absents").startswith("Les graphiques de ce mois")


def test_home_links_dashboard_and_methodology(client: TestClient) -> None:
    tree = HTMLParser(client.get("/").text)

    assert tree.css_first("#lien-tableau-de-bord").attributes["href"] == "/tableau-de-bord"
    assert tree.css_first("#lien-methodologie").attributes["href"] == "/methodologie"


# Dashboard


def test_dashboard_filter_shows_region_chart_keys(
    site_engine: Engine, any_database_client: TestClient
) -> None:
    _seed_two_months(site_engine)
    older = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    newer = dt.datetime(2024, 6, 2, tzinfo=dt.UTC)
    commit_rows(
        site_engine,
        manifest(role="data_engineer", version="v1", created_at=older),
        manifest(role="data_engineer", version="v2", created_at=newer),
        manifest(role="all", version="v3", created_at=newer),
    )

    response = any_database_client.get(
        "/tableau-de-bord", params={"role": "data_engineer", "region": "11", "mois": "2024-05"}
    )

    assert response.status_code == 200
    assert _image_sources(response.text) == [
        "/graphiques/charts/2024-05/data_engineer/v2/11/offers_per_month.png",
        "/graphiques/charts/2024-05/data_engineer/v2/11/top_technologies.png",
        "/graphiques/charts/2024-05/data_engineer/v2/11/contract_types.png",
    ]


def test_dashboard_charts_link_cdn(
    sqlite_site_engine: Engine, settings_with_cdn_client: TestClient
) -> None:
    _seed_two_months(sqlite_site_engine)
    commit_rows(sqlite_site_engine, manifest())

    html = settings_with_cdn_client.get("/tableau-de-bord").text

    assert _image_sources(html)[0] == (
        "https://cdn.datastats.example/charts/2024-05/all/v1/FR/offers_per_month.png"
    )


def test_dashboard_missing_charts_message(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)
    commit_rows(sqlite_site_engine, manifest(regions=["FR"]))

    html = client.get("/tableau-de-bord", params={"region": "53"}).text

    assert _image_sources(html) == []
    assert _text(html, "#graphiques-absents").startswith(
        "Aucun graphique n'a encore été dessiné pour Tous les métiers, Bretagne, mai 2024."
    )


def test_dashboard_defaults_to_latest_month(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    tree = HTMLParser(client.get("/tableau-de-bord").text)

    assert tree.css_first("#mois option[selected]").attributes["value"] == "2024-05"
    assert tree.css_first("#role option[selected]").attributes["value"] == "all"
    assert tree.css_first("#region option[selected]").attributes["value"] == "FR"


def test_dashboard_selects_list_every_choice(client: TestClient) -> None:
    tree = HTMLParser(client.get("/tableau-de-bord").text)

    assert len(tree.css("#role option")) == 13
    assert len(tree.css("#region option")) == 19


def test_dashboard_selects_have_labels(client: TestClient) -> None:
    tree = HTMLParser(client.get("/tableau-de-bord").text)

    labelled = {node.attributes["for"] for node in tree.css("#filtres label")}

    assert labelled == {"role", "region", "mois"}


def test_dashboard_months_newest_first(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    tree = HTMLParser(client.get("/tableau-de-bord").text)

    assert [node.attributes["value"] for node in tree.css("#mois option")] == [
        "2024-05",
        "2024-04",
    ]


def test_dashboard_figures_table(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    html = client.get("/tableau-de-bord", params={"mois": "2024-05"}).text

    assert _text(html, "#ligne-offres td") == "2"
    assert _text(html, "#ligne-part-salaire td") == "1 (50\xa0%)"
    assert _text(html, "#ligne-salaire-median td") == "52\u202f000\xa0€"
    assert _text(html, "#ligne-tjm-median td") == "550\xa0€"


def test_dashboard_contract_mix(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    tree = HTMLParser(client.get("/tableau-de-bord", params={"mois": "2024-05"}).text)
    rows = [
        [cell.text(strip=True) for cell in row.css("th, td")]
        for row in tree.css("#table-contrats tbody tr")
    ]

    assert rows == [["CDI", "1", "50\xa0%"], ["Freelance", "1", "50\xa0%"]]


def test_dashboard_top_technologies_by_offers(
    sqlite_site_engine: Engine, client: TestClient
) -> None:
    _seed_two_months(sqlite_site_engine)

    tree = HTMLParser(client.get("/tableau-de-bord", params={"mois": "2024-05"}).text)
    names = [node.text(strip=True) for node in tree.css("#table-technologies tbody th")]

    assert names == ["Python", "Airflow", "Spark"]


def test_dashboard_recent_offers_filtered(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    html = client.get("/tableau-de-bord", params={"role": "data_engineer", "mois": "2024-05"}).text
    titles = [
        node.text(strip=True) for node in HTMLParser(html).css("#offres-recentes .offer-title")
    ]

    assert titles == ["Data engineer confirmé"]


def test_dashboard_month_without_data_says_so(
    sqlite_site_engine: Engine, client: TestClient
) -> None:
    _seed_two_months(sqlite_site_engine)

    response = client.get("/tableau-de-bord", params={"mois": "2023-01"})

    assert response.status_code == 200
    assert _text(response.text, "#mois-sans-donnees").startswith("Aucune donnée pour janvier 2023.")


def test_dashboard_empty_database_returns_200(client: TestClient) -> None:
    response = client.get("/tableau-de-bord")

    assert response.status_code == 200
    assert _text(response.text, "#etat-vide h2") == "Pas encore de chiffres"


# Invalid filters


def test_dashboard_unknown_role_returns_400(client: TestClient) -> None:
    response = client.get("/tableau-de-bord", params={"role": "plombier"})

    assert response.status_code == 400
    assert _text(response.text, "#message-erreur") == "Le métier « plombier » est inconnu."
    assert "data_engineer" in _text(response.text, "#valeurs-attendues")


def test_dashboard_unknown_region_returns_400(client: TestClient) -> None:
    response = client.get("/tableau-de-bord", params={"region": "99"})

    assert response.status_code == 400
    assert _text(response.text, "#message-erreur") == "La région « 99 » est inconnue."
    assert "Île-de-France" in _text(response.text, "#valeurs-attendues")


def test_dashboard_malformed_month_returns_400(client: TestClient) -> None:
    response = client.get("/tableau-de-bord", params={"mois": "2024-13"})

    assert response.status_code == 400
    assert _text(response.text, "#message-erreur") == "Le mois « 2024-13 » n'est pas valide."


def test_dashboard_invalid_value_is_escaped(client: TestClient) -> None:
    response = client.get("/tableau-de-bord", params={"role": "<script>alert(1)</script>"})

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# Escaping of data from outside


def test_dashboard_escapes_offer_title(sqlite_site_engine: Engine, client: TestClient) -> None:
    commit_rows(
        sqlite_site_engine,
        offer(title="<script>alert('titre')</script>", company="<b>ACME</b>"),
        monthly_stat(offers=1),
    )

    html = client.get("/tableau-de-bord").text

    assert "<script>alert('titre')</script>" not in html
    assert "&lt;script&gt;" in _offer_list_html(html)
    assert "<b>ACME</b>" not in html


def _offer_list_html(html: str) -> str:
    node = HTMLParser(html).css_first("#offres-recentes")
    return node.html or ""


def test_dashboard_escapes_technology_name(sqlite_site_engine: Engine, client: TestClient) -> None:
    commit_rows(
        sqlite_site_engine,
        monthly_stat(offers=1),
        technology_stat("<script>alert('tech')</script>", 1),
    )

    html = client.get("/tableau-de-bord").text

    assert "<script>alert('tech')</script>" not in html
    assert _text(html, "#table-technologies tbody th") == "<script>alert('tech')</script>"


def test_dashboard_drops_javascript_offer_link(
    sqlite_site_engine: Engine, client: TestClient
) -> None:
    commit_rows(sqlite_site_engine, offer(url="javascript:alert(1)"), monthly_stat(offers=1))

    html = client.get("/tableau-de-bord").text

    assert "javascript:" not in html
    assert HTMLParser(html).css_first("#offres-recentes a.offer-title") is None


# Language


def test_lang_parameter_switches_to_english(client: TestClient) -> None:
    response = client.get("/", params={"lang": "en"})

    assert HTMLParser(response.text).css_first("html").attributes["lang"] == "en"
    assert _text(response.text, "#titre-etat-vide") == "No figures yet"


def test_lang_parameter_sets_cookie(client: TestClient) -> None:
    response = client.get("/", params={"lang": "en"})

    assert response.cookies.get("lang") == "en"


def test_lang_cookie_keeps_english_on_next_page(client: TestClient) -> None:
    client.get("/", params={"lang": "en"})

    response = client.get("/methodologie")

    assert _text(response.text, "#methodologie h1") == "Methodology"


def test_language_switch_keeps_filters(sqlite_site_engine: Engine, client: TestClient) -> None:
    _seed_two_months(sqlite_site_engine)

    html = client.get("/tableau-de-bord", params={"role": "data_engineer", "mois": "2024-05"}).text
    switch = HTMLParser(html).css_first("#language-switch")

    assert switch.attributes["href"] == "/tableau-de-bord?role=data_engineer&mois=2024-05&lang=en"
    assert switch.text(strip=True) == "English"


def test_unknown_lang_falls_back_french(client: TestClient) -> None:
    response = client.get("/", params={"lang": "de"})

    assert HTMLParser(response.text).css_first("html").attributes["lang"] == "fr"
    assert "lang" not in response.cookies


def test_english_error_page_names_value(client: TestClient) -> None:
    response = client.get("/tableau-de-bord", params={"region": "99", "lang": "en"})

    assert _text(response.text, "#message-erreur") == "Unknown region “99”."


# Methodology


def test_methodology_hourly_rule_french(client: TestClient) -> None:
    html = client.get("/methodologie").text

    assert "1 607 heures" in _text(html, "#nettoyage")


def test_methodology_names_sources(client: TestClient) -> None:
    html = client.get("/methodologie").text

    assert "France Travail" in _text(html, "#collecte")
    assert "Licence Ouverte" in _text(html, "#geographie")


def test_methodology_english_translation(client: TestClient) -> None:
    html = client.get("/methodologie", params={"lang": "en"}).text

    assert "1,607 hours" in _text(html, "#nettoyage")


# Errors, headers and health


def test_unknown_page_returns_french_404(client: TestClient) -> None:
    response = client.get("/emplois")

    assert response.status_code == 404
    assert _text(response.text, "#titre-erreur") == "Page introuvable"


def test_security_headers_on_pages(client: TestClient) -> None:
    response = client.get("/")

    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_security_headers_on_error_pages(client: TestClient) -> None:
    response = client.get("/tableau-de-bord", params={"role": "x"})

    assert response.headers["x-content-type-options"] == "nosniff"


def test_stylesheet_is_served_locally(client: TestClient) -> None:
    response = client.get("/static/site.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_healthz_returns_ok(any_database_client: TestClient) -> None:
    response = any_database_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
