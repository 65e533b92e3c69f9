"""Request dependencies: the lazily built engine, one session per request, the page context."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from frontend.rendering import PageContext, PageRenderer, page_context
from shared.blobs import BlobStore
from shared.db.session import make_engine, make_session_factory
from shared.settings import Settings


class Database:
    """The engine of the site, created on first use unless one was given."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self._url = url
        self._engine = engine
        self._owns_engine = engine is None
        self._factory: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    def open_session(self) -> Session:
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self._url)
            if self._factory is None:
                self._factory = make_session_factory(self._engine)
        return self._factory()

    def dispose(self) -> None:
        """Close the pooled connections of an engine created here; a given engine stays open."""
        if self._owns_engine and self._engine is not None:
            self._engine.dispose()


def get_session(request: Request) -> Iterator[Session]:
    """Yield one session per request; the site only reads, so it always rolls back."""
    database: Database = request.app.state.database
    session = database.open_session()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_renderer(request: Request) -> PageRenderer:
    return request.app.state.renderer


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_blobs(request: Request) -> BlobStore | None:
    return request.app.state.blobs


SessionDep = Annotated[Session, Depends(get_session)]
PageDep = Annotated[PageContext, Depends(page_context)]
RendererDep = Annotated[PageRenderer, Depends(get_renderer)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BlobsDep = Annotated[BlobStore | None, Depends(get_blobs)]
