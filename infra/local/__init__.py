"""Datastats infra/local."""
