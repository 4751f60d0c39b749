"""The public transparency page, under /minh-bach/ (views in portal/transparency.py)."""

from django.urls import URLPattern, URLResolver, path

from . import transparency

urlpatterns: list[URLPattern | URLResolver] = [
    path("", transparency.transparency_view, name="transparency"),
]
