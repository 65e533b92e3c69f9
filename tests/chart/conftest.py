"""Fixtures of the chart tests: a database the service may commit to, and its dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.blobs import LocalBlobStore
from shared.db.models import Base
from shared.db.session import make_engine
from shared.messaging import Bus
from shared.runtime import Dependencies
from shared.settings import Settings


@pytest.fixture()
def service_engine(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """The engine the service under test uses: a fresh SQLite file, or the PostgreSQL test engine.

    NOTE: pysqlite does not emit BEGIN for `Connection.begin()`, so releasing the
    session's savepoint commits for good. SQLite tests therefore get their own file
    instead of the rollback that `sessions` relies on.
    """
    if engine.dialect.name != "sqlite":
        yield engine
        return
    own_engine = make_engine(f"sqlite:///{tmp_path / 'service.sqlite3'}")
    Base.metadata.create_all(own_engine)
    try:
        yield own_engine
    finally:
        own_engine.dispose()


@pytest.fixture()
def sessions(service_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory whose commits the test throws away at the end.

    On PostgreSQL every session joins one outer transaction as a savepoint, and that
    transaction is rolled back after the test.
    """
    if service_engine.dialect.name == "sqlite":
        yield sessionmaker(bind=service_engine, expire_on_commit=False)
        return
    connection = service_engine.connect()
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
    service_engine: Engine,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Dependencies]:
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
            engine=service_engine,
            sessions=sessions,
            boto_session=boto_session,
        )
