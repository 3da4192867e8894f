"""Section hints that need no model: the article URL's path.

News sites file articles under path segments (/world/, /sport/, /business/);
the first segment that names a section is taken. Classification of articles
from general feeds by a trained model is issue #4's work.
"""
from __future__ import annotations

from urllib.parse import urlsplit

SECTION_SLUGS = ("world", "politics", "business", "technology", "science", "health", "sports", "entertainment")

PATH_HINTS = {
    "world": "world", "international": "world", "worldnews": "world", "world-news": "world", "global": "world",
    "politics": "politics", "election": "politics", "elections": "politics", "government": "politics",
    "business": "business", "money": "business", "markets": "business", "economy": "business", "finance": "business",
    "technology": "technology", "tech": "technology", "science-technology": "technology", "gadgets": "technology",
    "science": "science", "science_and_environment": "science", "environment": "science", "space": "science",
    "health": "health", "wellness": "health", "medicine": "health",
    "sport": "sports", "sports": "sports", "football": "sports", "soccer": "sports", "nba": "sports",
    "entertainment": "entertainment", "entertainment_and_arts": "entertainment", "culture": "entertainment",
    "arts": "entertainment", "film": "entertainment", "movies": "entertainment", "music": "entertainment",
    "tv": "entertainment", "celebrity": "entertainment",
}


def section_from_url(url: str) -> str:
    """The section slug hinted by the URL's path, or "" when no segment names one."""
    path = urlsplit(url or "").path.lower()
    for segment in path.strip("/").split("/")[:3]:
        hint = PATH_HINTS.get(segment)
        if hint:
            return hint
    return ""
