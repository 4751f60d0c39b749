"""Pages mounted from the interface app's urls.py; filled by the feature that owns them."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
