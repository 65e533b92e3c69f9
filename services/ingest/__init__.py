"""Ingest service: upserts located offers into the database and keeps the statistics."""
