from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "cupure.readers"
    label = "readers"
    verbose_name = "Follows, saves and mutes"

    def ready(self):
        from .models import connect_signals

        connect_signals()
