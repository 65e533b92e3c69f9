"""Role families Datastats counts, with their labels for the site and charts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleFamily:
    slug: str
    label_fr: str
    label_en: str


ROLE_FAMILIES: tuple[RoleFamily, ...] = (
    RoleFamily("data_engineer", "Data engineer", "Data engineer"),
    RoleFamily("data_analyst", "Data analyst", "Data analyst"),
    RoleFamily("data_scientist", "Data scientist", "Data scientist"),
    RoleFamily("ml_engineer", "ML engineer / MLOps", "ML engineer / MLOps"),
    RoleFamily("analytics_engineer", "Analytics engineer", "Analytics engineer"),
    RoleFamily("data_architect", "Architecte data", "Data architect"),
    RoleFamily("data_manager", "Data manager", "Data manager"),
    RoleFamily("data_steward", "Data steward / gouvernance", "Data steward / governance"),
    RoleFamily("head_of_data", "Lead / head of data", "Lead / head of data"),
    RoleFamily("bi_developer", "Développeur BI", "BI developer"),
    RoleFamily("data_consultant", "Consultant data", "Data consultant"),
    RoleFamily("data_product_manager", "Product manager data", "Data product manager"),
)

ROLE_SLUGS: frozenset[str] = frozenset(role.slug for role in ROLE_FAMILIES)
ALL_ROLES = "all"


def role_label(slug: str, language: str = "fr") -> str:
    """Return the display label of a role slug (`all` included)."""
    if slug == ALL_ROLES:
        return "Tous les métiers" if language == "fr" else "All roles"
    for role in ROLE_FAMILIES:
        if role.slug == slug:
            return role.label_fr if language == "fr" else role.label_en
    raise KeyError(f"unknown role {slug!r}; expected one of {sorted(ROLE_SLUGS)}")
