from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "cupure.readers"
    label = "readers"
    verbose_name = "Follows, saves and mutes"
