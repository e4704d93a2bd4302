"""The base every app builds on: abstract models, the document-number parser, the admin and API toolkits."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from core.dataversion import connect_signals  # noqa: PLC0415 (models are ready only now)

        connect_signals()
