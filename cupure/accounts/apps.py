from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cupure.accounts"
    label = "accounts"
    verbose_name = "Readers"

    def ready(self):
        from .models import connect_signals

        connect_signals()
