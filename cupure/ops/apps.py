from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "cupure.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from .pagecache import connect_signals

        connect_signals()
