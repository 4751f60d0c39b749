"""Settings for the test suite (SQLite in memory unless DATABASE_URL is set)."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

if not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": "100000/minute",
    "user": "100000/minute",
    "login": "100000/minute",
    "tracking": "100000/minute",
}

STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Tasks run at once in the test process (no worker): an outbox row's delivery task runs when
# its transaction's on-commit callbacks do (django_capture_on_commit_callbacks(execute=True)).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
