"""Read models across the record: a case's dated items, a claim's headline, a judge's record."""

from django.apps import AppConfig


class ProceedingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proceedings"
