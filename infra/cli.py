"""The `datastats` command line: run the pipeline, serve the site, export, migrate."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shared.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from infra.maintenance import MaintenanceOutcome
    from shared.technologies.catalogue import TechnologyEntry

app = typer.Typer(
    help="Datastats: the observatory of the French data-jobs market.", no_args_is_help=True
)
export_app = typer.Typer(help="Export stored data.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(db_app, name="db")
cities_app = typer.Typer(
    help="Review the place labels that matched no commune.", no_args_is_help=True
)
technologies_app = typer.Typer(help="Edit the technology catalogue.", no_args_is_help=True)
app.add_typer(cities_app, name="cities")
app.add_typer(technologies_app, name="technologies")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _settings() -> Settings:
    return Settings()


def _print_summary(summary: object) -> None:
    from infra.local.pipeline import RunSummary

    assert isinstance(summary, RunSummary)
    typer.echo(f"Run {summary.run_id}")
    typer.echo(f"{'stage':<10} {'in':>6} {'out':>6} {'rejected':>9}  reasons")
    for stage, figures in summary.stages.items():
        rejected = sum(figures.rejected.values())
        reasons = ", ".join(f"{reason}={count}" for reason, count in figures.rejected.most_common())
        typer.echo(
            f"{stage:<10} {figures.offers_in:>6} {figures.offers_out:>6} {rejected:>9}  {reasons}"
        )
    statuses = ", ".join(
        f"{status}={count}" for status, count in sorted(summary.scrape_statuses.items())
    )
    typer.echo(f"scrape requests: {statuses or 'none'}")
    typer.echo("(an offer found by several search queries counts once per query above)")
    figures = summary.reconciliation
    reasons = ", ".join(f"{reason}={count}" for reason, count in figures.rejected.most_common())
    typer.echo(
        f"distinct offers collected: {figures.collected}, stored: {figures.stored} "
        f"(as {figures.stored_distinct} offers once re-posts and shared URLs are merged), "
        f"rejected: {sum(figures.rejected.values())} ({reasons or 'none'}), "
        f"unaccounted: {len(figures.unaccounted)}"
    )
    for offer in figures.unaccounted:
        typer.echo(f"  unaccounted offer {offer}")
    typer.echo(f"chart requests: {summary.charts_requested}")
    typer.echo(
        f"offers in the database (every run, duplicates merged): {summary.offers_in_database}"
    )
    dead = ", ".join(f"{queue}={depth}" for queue, depth in summary.dead_letters.items())
    typer.echo(f"dead-letter queues: {dead}")


@app.command()
def run(
    offers_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder of France Travail JSON files to serve instead of the demo offers.",
            exists=True,
            file_okay=False,
            dir_okay=True,
        ),
    ] = None,
    serve_site: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the site afterwards.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address the site listens on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port the site listens on.")] = DEFAULT_PORT,
) -> None:
    """Run one full cycle on the embedded runtime, print a summary per stage, serve the site."""
    from infra.local.pipeline import run_cycle

    settings = _settings()
    from infra.local.france_travail_server import OffersFolderError

    if serve_site:
        _check_port_free(host, port)
    try:
        summary = run_cycle(
            settings, offers_dir=offers_dir, progress=typer.echo, workers=os.cpu_count() or 1
        )
    except OffersFolderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    _print_summary(summary)
    if summary.dead_lettered:
        typer.echo(
            f"error: {summary.dead_lettered} message(s) ended in a dead-letter queue", err=True
        )
        raise typer.Exit(code=1)
    if serve_site:
        _serve(settings, host, port)


def _check_port_free(host: str, port: int) -> None:
    """Exit before a long run when the site could not listen on `host:port` afterwards."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            typer.echo(
                f"error: cannot listen on {host}:{port} ({exc.strerror}); "
                "choose another port with --port, or use --no-serve",
                err=True,
            )
            raise typer.Exit(code=2) from exc


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from frontend.app import create_app

    typer.echo(f"Site: http://{host}:{port}/")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address the site listens on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port the site listens on.")] = DEFAULT_PORT,
) -> None:
    """Serve the website."""
    settings = _settings()
    from shared.db.migrate import upgrade

    upgrade(settings.effective_database_url)
    _serve(settings, host, port)


@export_app.command("offers")
def export_offers(
    output: Annotated[
        Path | None, typer.Option(help="CSV file to write; standard output when omitted.")
    ] = None,
) -> None:
    """Export every stored offer as CSV (UTF-8, header row, `;` between list items).

    A text cell starting with = + - or @ gets a leading apostrophe, so that
    spreadsheets do not run it as a formula.
    """
    from infra.export import write_offers_csv
    from shared.db.session import make_engine, make_session_factory

    settings = _settings()
    engine = make_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            if output is None:
                count = write_offers_csv(session, sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="") as handle:
                    count = write_offers_csv(session, handle)
    finally:
        engine.dispose()
    typer.echo(f"{count} offers exported", err=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the Alembic migrations to the configured database."""
    from shared.db.migrate import upgrade

    settings = _settings()
    upgrade(settings.effective_database_url, revision)
    typer.echo(f"database at revision {revision}")


def _sessions(settings: Settings):
    from shared.db.migrate import upgrade
    from shared.db.session import make_engine, make_session_factory

    upgrade(settings.effective_database_url)
    return make_session_factory(make_engine(settings.effective_database_url))


@cities_app.command("list")
def cities_list(
    status: Annotated[str, typer.Option(help="open, resolved, ignored, or all.")] = "open",
) -> None:
    """List unmatched and ambiguous place labels, most frequent first."""
    from services.geo_match.admin import list_unmatched

    if status not in {"open", "resolved", "ignored", "all"}:
        raise typer.BadParameter(
            f"{status!r} is not a status; expected open, resolved, ignored or all"
        )
    with _sessions(_settings())() as session:
        places = list_unmatched(session, status=None if status == "all" else status)
        typer.echo(f"{'occurrences':>11}  {'kind':<10} {'status':<9} {'last seen':<10}  label")
        for place in places:
            typer.echo(
                f"{place.occurrences:>11}  {place.kind:<10} {place.status:<9} "
                f"{place.last_seen_at:%Y-%m-%d}  {place.label}"
                + (f"  (candidates: {place.candidates})" if place.candidates else "")
            )
    typer.echo(f"{len(places)} label(s)", err=True)


@cities_app.command("resolve")
def cities_resolve(
    label: Annotated[str, typer.Argument(help="The place label as offers write it.")],
    commune: Annotated[str | None, typer.Option(help="INSEE commune code.")] = None,
    department: Annotated[str | None, typer.Option(help="Département code, e.g. 69 or 2A.")] = None,
    region: Annotated[str | None, typer.Option(help="INSEE region code, e.g. 84.")] = None,
    ignore: Annotated[bool, typer.Option("--ignore", help="Stop reporting this label.")] = False,
) -> None:
    """Store where LABEL is, then place every stored offer with that label again."""
    from infra.maintenance import offer_ids_with_label, replay_offers, run_maintenance
    from services.geo_match.admin import InvalidResolution, label_key, resolve_label
    from shared.db.models import Offer

    if sum(value is not None for value in (commune, department, region)) + ignore != 1:
        raise typer.BadParameter("give exactly one of --commune, --department, --region, --ignore")
    settings = _settings()
    try:
        with _sessions(settings).begin() as session:
            resolve_label(
                session, label, commune=commune, department=department, region=region, ignore=ignore
            )
    except InvalidResolution as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc

    key = label_key(label)

    def replace_offers(deps, run_id: str) -> int:
        from sqlalchemy import select

        with deps.sessions() as session:
            ids = offer_ids_with_label(session, key, label_key)
        if not ids:
            return 0
        return replay_offers(
            deps, run_id=run_id, stage="geo_match", query=select(Offer).where(Offer.id.in_(ids))
        )

    outcome = run_maintenance(settings, replace_offers, redraw_charts=True)
    _report_maintenance(outcome, f"alias stored for {label!r}")


def _report_maintenance(outcome: MaintenanceOutcome, done: str) -> None:
    """Print what a maintenance job did; exit with 1 when messages ended in a dead-letter queue."""
    typer.echo(f"{done}; {outcome.offers_sent} offer(s) sent through the pipeline again")
    if outcome.dead_lettered:
        typer.echo(
            f"error: {outcome.dead_lettered} message(s) ended in a dead-letter queue; "
            "the offers they carry were not updated",
            err=True,
        )
        raise typer.Exit(code=1)


def _report_rescan(settings: Settings, done: str) -> None:
    """Send every stored offer through the clean stage again; technologies follow the catalogue."""
    from infra.maintenance import replay_offers, run_maintenance

    outcome = run_maintenance(
        settings,
        lambda deps, run_id: replay_offers(deps, run_id=run_id, stage="clean"),
        redraw_charts=True,
    )
    _report_maintenance(outcome, done)


@technologies_app.command("list")
def technologies_list() -> None:
    """List the technologies of the catalogue with their category and aliases."""
    from shared.db.catalogue import load_catalogue_from_db

    with _sessions(_settings())() as session:
        entries = load_catalogue_from_db(session)
    for entry in entries:
        aliases = ", ".join(entry.aliases)
        typer.echo(f"{entry.name:<28} {entry.category:<16} {aliases}")
    typer.echo(f"{len(entries)} technologies", err=True)


def _entry(name: str, category: str, aliases: list[str] | None) -> TechnologyEntry:
    from pydantic import ValidationError

    from shared.technologies.catalogue import TechnologyEntry

    try:
        return TechnologyEntry(name=name, category=category, aliases=tuple(aliases or ()))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        typer.echo(f"error: invalid technology {name!r}: {problems}", err=True)
        raise typer.Exit(code=2) from exc


def _edit_catalogue(settings: Settings, edit: Callable[[Session], object]) -> None:
    """Apply one catalogue edit in its own transaction, or exit with the reason it was rejected."""
    from shared.db.catalogue import CatalogueEditRejected

    try:
        with _sessions(settings).begin() as session:
            edit(session)
    except CatalogueEditRejected as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc


@technologies_app.command("add")
def technologies_add(
    name: Annotated[str, typer.Argument(help="Canonical name, as charts show it.")],
    category: Annotated[str, typer.Option(help="An existing category, e.g. language, BI.")],
    alias: Annotated[
        list[str] | None, typer.Option(help="Another spelling; repeat the option for several.")
    ] = None,
) -> None:
    """Add a technology, then re-scan every stored offer."""
    from shared.db.catalogue import add_technology

    settings = _settings()
    entry = _entry(name, category, alias)
    _edit_catalogue(settings, lambda session: add_technology(session, entry))
    _report_rescan(settings, f"technology {name!r} added")


@technologies_app.command("update")
def technologies_update(
    name: Annotated[str, typer.Argument(help="Canonical name after the update.")],
    category: Annotated[str, typer.Option(help="An existing category, e.g. language, BI.")],
    alias: Annotated[
        list[str] | None,
        typer.Option(help="Every spelling to keep; repeat the option. Unlisted ones are dropped."),
    ] = None,
    rename_from: Annotated[
        str | None, typer.Option(help="Current name, when NAME is a new name for it.")
    ] = None,
) -> None:
    """Replace a technology's category and aliases (or rename it), then re-scan every offer."""
    from shared.db.catalogue import update_technology

    settings = _settings()
    entry = _entry(name, category, alias)
    _edit_catalogue(
        settings, lambda session: update_technology(session, entry, current_name=rename_from)
    )
    _report_rescan(settings, f"technology {name!r} updated")


@technologies_app.command("remove")
def technologies_remove(
    name: Annotated[str, typer.Argument(help="Name of the technology to remove.")],
) -> None:
    """Remove a technology (offers stay), then re-scan every stored offer."""
    from shared.db.catalogue import remove_technology

    settings = _settings()
    _edit_catalogue(settings, lambda session: remove_technology(session, name))
    _report_rescan(settings, f"technology {name!r} removed")


def main() -> None:
    level = os.environ.get("DATASTATS_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The services log through Powertools and the emulator through werkzeug; both
    # follow the command line's level so a run prints its summary, not every request.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", level)
    logging.getLogger("werkzeug").setLevel(max(logging.getLevelName(level), logging.WARNING))
    app()


if __name__ == "__main__":
    main()
