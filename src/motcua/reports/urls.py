"""API routes of the reports app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("stats/summary/", api.StatsSummaryApi.as_view(), name="stats-summary"),
]
