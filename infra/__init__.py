"""Datastats infra."""
