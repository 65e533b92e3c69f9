"""Seed the technology catalogue.

The catalogue lives in the database so that admins can edit it; this seeds it
from a frozen copy of the catalogue shipped at this revision
(`migrations/data/technologies_0002.json`), so the migration gives the same
result whatever the package's catalogue becomes later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED_FILE = Path(__file__).resolve().parents[1] / "data" / "technologies_0002.json"

technologies = sa.table(
    "technologies",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("category", sa.String),
)
technology_aliases = sa.table(
    "technology_aliases",
    sa.column("technology_id", sa.Integer),
    sa.column("alias", sa.String),
)


def upgrade() -> None:
    entries = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    connection = op.get_bind()
    existing = set(connection.scalars(sa.select(technologies.c.name)))
    taken_aliases = set(connection.scalars(sa.select(technology_aliases.c.alias)))

    for entry in entries:
        if entry["name"] in existing:
            continue
        connection.execute(
            technologies.insert().values(name=entry["name"], category=entry["category"])
        )
        technology_id = connection.scalar(
            sa.select(technologies.c.id).where(technologies.c.name == entry["name"])
        )
        aliases = [
            alias
            for alias in dict.fromkeys(entry.get("aliases", []))
            if alias != entry["name"] and alias not in taken_aliases
        ]
        if aliases:
            connection.execute(
                technology_aliases.insert(),
                [{"technology_id": technology_id, "alias": alias} for alias in aliases],
            )
            taken_aliases.update(aliases)


def downgrade() -> None:
    names = [entry["name"] for entry in json.loads(SEED_FILE.read_text(encoding="utf-8"))]
    op.execute(technologies.delete().where(technologies.c.name.in_(names)))
