from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "cupure.sources"
    label = "sources"
    verbose_name = "Sources and feeds"
