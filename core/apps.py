"""The base every app builds on: abstract models, the document-number parser, the admin and API toolkits."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
