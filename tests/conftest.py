"""Shared fixtures: databases (SQLite and PostgreSQL), settings and blob storage."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from shared.blobs import LocalBlobStore
from shared.db.models import Base
from shared.db.session import make_engine
from shared.messaging import Bus
from shared.runtime import Dependencies
from shared.settings import Settings

POSTGRES_URL_VARIABLE = "DATASTATS_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_admin_url() -> str:
    return os.environ.get(POSTGRES_URL_VARIABLE, DEFAULT_POSTGRES_URL)


@contextlib.contextmanager
def _throwaway_postgres_database() -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    admin_url = make_url(_postgres_admin_url())
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"datastats_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {admin_url.render_as_string()}: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database shared by this test session's rolled-back tests."""
    with _throwaway_postgres_database() as url:
        yield url


@pytest.fixture()
def empty_postgres_url() -> Iterator[str]:
    """A PostgreSQL database of its own, for tests that commit or migrate."""
    with _throwaway_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of each test database in turn; the schema is created once per database."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    return url


_schemas_created: set[str] = set()


@pytest.fixture(scope="session")
def engine_cache() -> Iterator[dict[str, Engine]]:
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture()
def engine(database_url: str, engine_cache: dict[str, Engine]) -> Engine:
    if database_url not in engine_cache:
        engine = make_engine(database_url)
        Base.metadata.create_all(engine)
        engine_cache[database_url] = engine
    return engine_cache[database_url]


@pytest.fixture()
def db_session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back at the end of the test."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture(scope="module")
def module_postgres_url() -> Iterator[str]:
    """A PostgreSQL database of its own for one test module that commits."""
    with _throwaway_postgres_database() as url:
        yield url


@pytest.fixture()
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory for services under test; everything they commit is rolled back.

    Every session joins one outer transaction as a savepoint, on SQLite as on PostgreSQL.
    """
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture()
def deps(
    settings: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Dependencies]:
    """Service dependencies on moto (SNS, SQS), a blob folder and the test database."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        boto_session = boto3.session.Session(region_name=settings.aws_region)
        yield Dependencies(
            settings=settings,
            bus=Bus(
                settings=settings,
                sns=boto_session.client("sns"),
                sqs=boto_session.client("sqs"),
            ),
            blobs=LocalBlobStore(tmp_path / "blobs"),
            engine=engine,
            sessions=sessions,
            boto_session=boto_session,
        )
