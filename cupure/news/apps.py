from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cupure.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401

        post_migrate.connect(_search_index, sender=self)


def _search_index(sender, using, **kwargs):
    # Django rebuilds a SQLite table to alter it, which drops its triggers: put back what is missing.
    from django.db import connections

    from cupure.search.schema import install

    install(connections[using])
