"""Technology catalogue (canonical names, categories, aliases) and the text matcher."""

from shared.technologies.catalogue import TechnologyEntry, load_catalogue
from shared.technologies.matcher import TechnologyMatcher

__all__ = ["TechnologyEntry", "TechnologyMatcher", "load_catalogue"]
