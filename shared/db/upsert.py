"""Dialect-aware `INSERT ... ON CONFLICT DO NOTHING` for PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(
    session: Session, model: type[Any], rows: list[dict[str, Any]], *, conflict_columns: list[str]
) -> None:
    """Insert `rows`, skipping any row whose `conflict_columns` already exist."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(model).values(rows)
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(rows)
    else:
        raise NotImplementedError(
            f"dialect {dialect!r} is not supported; expected postgresql or sqlite"
        )
    session.execute(statement.on_conflict_do_nothing(index_elements=conflict_columns))
