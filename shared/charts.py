"""Blob keys of chart images in each language, shared by the chart service and the site."""

from __future__ import annotations

from shared.i18n import DEFAULT_LANGUAGE

PNG_SUFFIX = ".png"


def localized_chart_key(key: str, language: str) -> str:
    """Return the key of the image drawn in `language` from the key of its French image.

    Manifests list the French keys; the image of another language sits beside it
    as `<kind>.<language>.png`.
    """
    if language == DEFAULT_LANGUAGE:
        return key
    if not key.endswith(PNG_SUFFIX):
        raise ValueError(f"chart key {key!r} does not end with {PNG_SUFFIX!r}")
    return f"{key.removesuffix(PNG_SUFFIX)}.{language}{PNG_SUFFIX}"
