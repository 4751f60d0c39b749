"""Embedded / development settings: what `make demo` uses."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)

# Serve static files straight from the apps (no collectstatic needed in the embedded mode).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Emails (password reset links) are printed in the console of `make demo`.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
