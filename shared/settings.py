"""Validated configuration, built once per process and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting Datastats reads, from `DATASTATS_*` environment variables.

    In the cloud the environment holds only names (bucket, secret names) and the
    region; secrets are fetched from Secrets Manager by `shared.secrets`.
    """

    model_config = SettingsConfigDict(env_prefix="DATASTATS_", extra="ignore")

    home: Path = Field(default=Path("var"), description="Folder for all local state.")
    database_url: str | None = Field(
        default=None,
        repr=False,
        description="SQLAlchemy URL; defaults to SQLite under `home`. May hold a password.",
    )
    database_secret_name: str | None = Field(
        default=None, description="Secrets Manager secret with the database credentials."
    )

    aws_region: str = "eu-west-3"
    aws_endpoint_url: str | None = Field(
        default=None, description="AWS endpoint override: the local emulator's URL."
    )
    aws_account_id: str | None = None
    resource_prefix: str = Field(
        default="datastats-", description="Prefix of every topic and queue name."
    )

    blob_bucket: str | None = Field(
        default=None, description="S3 bucket for batches and charts; a local folder if unset."
    )
    charts_base_url: str | None = Field(
        default=None, description="Public URL prefix of chart images (CloudFront)."
    )

    france_travail_api_url: str = "https://api.francetravail.io/partenaire/offresdemploi"
    france_travail_token_url: str = (
        "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=/partenaire"
    )
    france_travail_client_id: str | None = None
    france_travail_client_secret: SecretStr | None = None
    france_travail_secret_name: str | None = Field(
        default=None, description="Secrets Manager secret with client_id and client_secret."
    )

    mail_sender: str = "rapport@datastats.fr"
    mail_recipients: list[str] = Field(default_factory=lambda: ["admin@datastats.fr"])
    use_ses: bool = False

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'datastats.sqlite3'}"

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"
