"""Fixtures of the site tests: a fresh database per test (SQLite and PostgreSQL) and a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from frontend.app import create_app
from shared.blobs import LocalBlobStore
from shared.db.models import Base
from shared.db.session import make_engine
from shared.settings import Settings


@pytest.fixture()
def sqlite_site_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture()
def postgres_site_engine(postgres_url: str) -> Iterator[Engine]:
    """An engine on a schema of its own, so committed rows never reach other tests."""
    schema = f"site_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    engine = make_engine(postgres_url, connect_args={"options": f"-csearch_path={schema}"})
    Base.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def site_engine(request: pytest.FixtureRequest) -> Engine:
    """Each database in turn, empty, with the schema created."""
    name = "sqlite_site_engine" if request.param == "sqlite" else "postgres_site_engine"
    return request.getfixturevalue(name)


@pytest.fixture()
def blob_store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def _client(settings: Settings, engine: Engine, blobs: LocalBlobStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=engine, blobs=blobs)) as client:
        yield client


@pytest.fixture()
def client(
    settings: Settings, sqlite_site_engine: Engine, blob_store: LocalBlobStore
) -> Iterator[TestClient]:
    """A client of the site on an empty SQLite database."""
    yield from _client(settings, sqlite_site_engine, blob_store)


@pytest.fixture()
def any_database_client(
    settings: Settings, site_engine: Engine, blob_store: LocalBlobStore
) -> Iterator[TestClient]:
    """A client of the site on each database in turn."""
    yield from _client(settings, site_engine, blob_store)


@pytest.fixture()
def settings_with_cdn_client(
    tmp_path: Path, sqlite_site_engine: Engine, blob_store: LocalBlobStore
) -> Iterator[TestClient]:
    """A client of the site whose chart images live on a CDN."""
    settings = Settings(home=tmp_path / "home", charts_base_url="https://cdn.datastats.example/")
    yield from _client(settings, sqlite_site_engine, blob_store)
