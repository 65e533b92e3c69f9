"""Datastats frontend."""
