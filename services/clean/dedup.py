"""Duplicate detection: a stable offer key and URLs without tracking parameters."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from services.clean.roles import normalise_title
from services.clean.text import fold
from shared.contracts.records import PlaceEvidence

# Query parameters that only record how a visitor arrived at the page. Generic names
# such as `ref` or `source` are kept: some boards put the offer id in them.
TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "trk",
        "trackingid",
        "xtor",
        "_hsenc",
        "_hsmi",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "at_", "pk_", "mtm_")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEGAL_FORMS = re.compile(r"\b(?:sas|sasu|sarl|sa|eurl|sca|scop|inc|ltd|gmbh|group|groupe)\b")
_DESCRIPTION_PREFIX = 500


def normalise_url(url: str | None) -> str | None:
    """Return the URL without tracking parameters and fragment, with a lower-case host.

    Returns the input unchanged when it is not an absolute http(s) URL.
    """
    if not url or not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return url.strip()
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def dedup_key(
    *, company: str | None, title: str, place: PlaceEvidence, description: str = ""
) -> str:
    """Return a stable key shared by re-posts of one offer (company, title, place).

    Without a company name, the start of the description replaces it, so that two
    anonymous offers with the same title in the same town do not share a key.
    """
    company_part = _normalise_company(company)
    if not company_part:
        digest = hashlib.sha256(_simplify(description[:_DESCRIPTION_PREFIX]).encode()).hexdigest()
        company_part = f"anonymous:{digest[:16]}"
    parts = (company_part, _simplify(normalise_title(title)), _place_part(place))
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def _simplify(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


def _normalise_company(company: str | None) -> str:
    if not company:
        return ""
    return " ".join(_LEGAL_FORMS.sub(" ", _simplify(company)).split())


def _place_part(place: PlaceEvidence) -> str:
    if place.commune_code:
        return f"commune:{place.commune_code}"
    if place.postal_code:
        return f"postal:{place.postal_code}"
    return f"label:{_simplify(place.label or '')}"
