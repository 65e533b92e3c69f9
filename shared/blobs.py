"""Blob storage behind one small interface: S3 in the cloud, a local folder here."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ValidationError

from shared.errors import BatchUnreadable, TransientError

ModelT = TypeVar("ModelT", bound=BaseModel)


class BlobNotFound(BatchUnreadable):
    """No blob exists at the given URI."""


class BlobStore(Protocol):
    def put(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> str:
        """Store `data` under `key` and return the blob's URI."""
        ...

    def get(self, uri: str) -> bytes:
        """Return the bytes at `uri`; raises `BlobNotFound`."""
        ...

    def key_of(self, uri: str) -> str:
        """Return the key part of a URI this store produced."""
        ...


class LocalBlobStore:
    """Blobs as files under one folder; URIs look like `file:///abs/path/key`."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"blob key {key!r} escapes the blob folder {str(self.root)!r}")
        return path

    def put(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)
        return f"file://{path}"

    def key_of(self, uri: str) -> str:
        prefix = f"file://{self.root}/"
        if not uri.startswith(prefix):
            raise BlobNotFound(f"blob URI {uri!r} is not under {prefix!r}")
        return uri[len(prefix) :]

    def get(self, uri: str) -> bytes:
        path = self._path(self.key_of(uri))
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(f"no blob at {uri!r}") from exc


class S3BlobStore:
    """Blobs as S3 objects; URIs look like `s3://bucket/key`."""

    def __init__(self, client: object, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def put(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> str:
        try:
            self.client.put_object(  # type: ignore[attr-defined]
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as exc:
            raise TransientError(f"failed to write s3://{self.bucket}/{key}") from exc
        return f"s3://{self.bucket}/{key}"

    def key_of(self, uri: str) -> str:
        prefix = f"s3://{self.bucket}/"
        if not uri.startswith(prefix):
            raise BlobNotFound(f"blob URI {uri!r} is not in bucket {self.bucket!r}")
        return uri[len(prefix) :]

    def get(self, uri: str) -> bytes:
        key = self.key_of(uri)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)  # type: ignore[attr-defined]
            return response["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise BlobNotFound(f"no blob at {uri!r}") from exc
            raise TransientError(f"failed to read {uri!r}") from exc
        except BotoCoreError as exc:
            raise TransientError(f"failed to read {uri!r}") from exc


def encode_batch(records: Iterable[BaseModel]) -> bytes:
    """Serialise records as gzip JSON Lines; `mtime=0` makes equal batches byte-identical."""
    lines = b"".join(record.model_dump_json().encode() + b"\n" for record in records)
    return gzip.compress(lines, mtime=0)


def decode_batch(data: bytes, model: type[ModelT], *, uri: str = "<memory>") -> list[ModelT]:
    """Parse a gzip JSON Lines batch into `model` records; raises `BatchUnreadable`."""
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BatchUnreadable(f"batch {uri!r} is not valid gzip UTF-8 text") from exc

    records: list[ModelT] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(model.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise BatchUnreadable(
                f"batch {uri!r} line {line_number} is not a valid {model.__name__}: {exc}"
            ) from exc
    return records
