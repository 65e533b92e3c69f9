"""Exceptions the site raises on purpose; `frontend.app` maps each one to an HTTP response."""

from __future__ import annotations


class FrontendError(Exception):
    """Base class of the errors the site turns into an error page."""


class InvalidFilter(FrontendError):
    """A dashboard query parameter contains a value the site does not know (HTTP 400).

    `parameter` is the query parameter name and `value` the rejected value. `expected`
    describes the accepted values in English for logs; the error page explains them
    to the visitor in the page language.
    """

    def __init__(self, parameter: str, value: str, expected: str) -> None:
        super().__init__(f"invalid {parameter} {value!r}; expected {expected}")
        self.parameter = parameter
        self.value = value
        self.expected = expected


class InvalidChartKey(FrontendError):
    """A chart key is not a relative `charts/...png` key inside the blob folder (HTTP 400)."""


class ChartNotFound(FrontendError):
    """No chart image exists under a valid key, or charts are not stored locally (HTTP 404)."""
