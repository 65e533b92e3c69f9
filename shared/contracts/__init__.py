"""Pydantic contracts shared by producers and consumers: messages and batch records."""
