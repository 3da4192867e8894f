"""First-start setup: the starter list of feeds, offered once."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import SiteFlag
from .subscribe import import_opml

STARTER_OPML = Path(__file__).with_name("starter.opml")


def ensure_starter_sources() -> int:
    """Subscribe to the starter feeds on a site's first start; return how many were added.

    Done once per site: an operator who later removes them does not get them back.
    """
    if not settings.STARTER_SOURCES:
        return 0
    with transaction.atomic():
        _, created = SiteFlag.objects.get_or_create(name="starter-sources")
        if not created:
            return 0
        return import_opml(STARTER_OPML.read_bytes()).added
