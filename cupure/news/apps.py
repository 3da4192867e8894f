from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from cupure.search.schema import install


class NewsConfig(AppConfig):
    name = "cupure.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from . import signals  # noqa: F401

        post_migrate.connect(_search_index, sender=self)


def _search_index(sender, using, **kwargs):
    # Django rebuilds a SQLite table to alter it, which drops its triggers: put back what is missing.
    install(connections[using])
