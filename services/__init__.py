"""Datastats services."""
