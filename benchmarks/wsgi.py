"""WSGI entry point for benchmarks: ``/bench/floor/`` to the bare floor, everything else to Django.

gunicorn -c gunicorn.conf.py benchmarks.wsgi:application
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402 (after Django is set up)

from benchmarks import floor  # noqa: E402

FLOOR_PREFIX = "/bench/floor/"

_database = settings.DATABASES["default"]
floor.configure(
    connect={
        key: value
        for key, value in {
            "dbname": _database["NAME"],
            "user": _database.get("USER"),
            "password": _database.get("PASSWORD"),
            "host": _database.get("HOST"),
            "port": _database.get("PORT"),
            # The statement timeout the app's connections have (tracker/settings.py), so both give up alike.
            "options": _database.get("OPTIONS", {}).get("options"),
        }.items()
        if value
    },
    time_zone=settings.TIME_ZONE if settings.USE_TZ else "UTC",
    page_size=settings.API_PAGE_SIZE,
    max_page_size=settings.API_MAX_PAGE_SIZE,
    media_url=settings.MEDIA_URL,
)


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(FLOOR_PREFIX):
        return floor.application(environ, start_response)
    return django_application(environ, start_response)
