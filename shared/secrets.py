"""Secrets from AWS Secrets Manager; the environment holds only secret names."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from botocore.exceptions import BotoCoreError, ClientError

from shared.errors import ConfigurationError, TransientError
from shared.settings import Settings


def read_secret(boto_session: Any, settings: Settings, name: str) -> dict[str, Any]:
    """Return the JSON object stored in secret `name`."""
    secrets = boto_session.client("secretsmanager", endpoint_url=settings.aws_endpoint_url)
    try:
        response = secrets.get_secret_value(SecretId=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            raise ConfigurationError(f"secret {name!r} not found in Secrets Manager") from exc
        raise TransientError(f"failed to read secret {name!r}") from exc
    except BotoCoreError as exc:
        raise TransientError(f"failed to read secret {name!r}") from exc
    try:
        value = json.loads(response["SecretString"])
    except (KeyError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"secret {name!r} is not a JSON object") from exc
    if not isinstance(value, dict):
        raise ConfigurationError(f"secret {name!r} is not a JSON object")
    return value


def resolve_database_url(settings: Settings, boto_session: Any) -> str:
    """Return the database URL: from the RDS secret in the cloud, from settings here."""
    if not settings.database_secret_name:
        return settings.effective_database_url
    secret = read_secret(boto_session, settings, settings.database_secret_name)
    try:
        user = quote(secret["username"], safe="")
        password = quote(secret["password"], safe="")
        host, port, database = (
            secret["host"],
            secret.get("port", 5432),
            secret.get("dbname", "datastats"),
        )
    except KeyError as exc:
        raise ConfigurationError(
            f"secret {settings.database_secret_name!r} lacks key {exc.args[0]!r}; "
            "expected username, password, host"
        ) from exc
    return f"postgresql+psycopg://{user}:{password}@{host}:{port}/{database}"
