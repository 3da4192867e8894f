from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "cupure.ops"
    label = "ops"
    verbose_name = "Operations"
