from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cupure.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from . import signals  # noqa: F401
