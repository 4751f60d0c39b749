"""The ceiling of the dossier benchmark: a bare Django view reading one row from PostgreSQL.

Served by the same gunicorn setup as motcua (``gunicorn load_ceiling_app:application`` with
``--pythonpath bench``), against the same database (``DATABASE_URL``) with the same connection
settings as ``motcua.settings.base`` (persistent connections, health checks). No middleware, no
installed apps, no authentication, no serializer: only Django's request/response cycle, URL
resolution, one indexed ``SELECT`` by dossier code through ``django.db.connection`` and a small
``JsonResponse``. Whatever motcua's tracking endpoint does on top of this is its own cost.

``GET /ceiling/<code>/`` → ``{"code", "status", "received_at"}`` or 404.
"""

from __future__ import annotations

import os
from typing import Any

import dj_database_url
import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path


def dossier_row(request: HttpRequest, code: str) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, status, received_at FROM dossiers_dossier WHERE code = %s", [code]
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return JsonResponse({"code": row[0], "status": row[1], "received_at": row[2]})


urlpatterns: list[Any] = [path("ceiling/<str:code>/", dossier_row)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "load-ceiling-app-not-secret"),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        USE_TZ=True,
        TIME_ZONE="Asia/Ho_Chi_Minh",
        DATABASES={
            "default": dj_database_url.parse(
                os.environ["DATABASE_URL"],
                conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
                conn_health_checks=True,
            )
        },
        LOGGING_CONFIG=None,
    )
    django.setup()

application = get_wsgi_application()
