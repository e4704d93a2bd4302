"""Request rates per anonymous client and per user, counted in a cache every app server shares.

Rates come from settings (API_THROTTLE_ANON, API_THROTTLE_USER in the environment) and are read on
each request, so a changed setting applies without a restart of the class. Counts live in the
"api" cache: Redis when REDIS_URL is set, otherwise a database table created by a migration, so that
several gunicorn workers count together (per-process memory would let each worker allow the rate).
"""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _SharedRateThrottle(SimpleRateThrottle):
    def __init__(self):
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_SharedRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(_SharedRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
