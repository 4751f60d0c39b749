"""The logged-in citizen's notification channels, mounted under /thong-bao/."""

from django.urls import URLPattern, URLResolver, path

from . import notifications_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", notifications_views.notifications_preferences, name="notifications-preferences"),
]
