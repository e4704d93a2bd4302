"""Settings for benchmarks only: the project's settings, with the comparison endpoints mounted.

Used by benchmarks/run.py (gunicorn and the in-process query counts); never by the app itself.
"""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
WSGI_APPLICATION = "benchmarks.wsgi.application"
