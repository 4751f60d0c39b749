"""Embedded / development settings: what `make demo` uses."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)

# Serve static files straight from the apps (no collectstatic needed in the embedded mode).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The demo's API takes the password alone for every account, as API.md's token login says, so that
# scripts and black-box tests written against API.md work; the back office and the admin still ask
# leaders and administrators for their code. Production keeps the code mandatory for the API too.
MOTCUA_API_TOKEN_REQUIRES_OTP = env_bool("MOTCUA_API_TOKEN_REQUIRES_OTP", False)

# Emails (password reset links, notifications) are printed in the console of `make demo`, or
# sent to the fake mail server (`manage.py notifications_fake_server email`, port 8025) with
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "8025"))
