"""Record the languages each chart set was drawn in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chart_manifests") as batch:
        batch.add_column(
            sa.Column("languages", sa.String(length=20), server_default="fr", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("chart_manifests") as batch:
        batch.drop_column("languages")
