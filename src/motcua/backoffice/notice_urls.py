"""Staff in-app notices, mounted under /can-bo/thong-bao/ (backoffice/notices.py)."""

from django.urls import URLPattern, URLResolver, path

from . import notices

urlpatterns: list[URLPattern | URLResolver] = [
    path("", notices.notices_page, name="notices"),
    path("da-xem/", notices.notices_read, name="notices-read"),
]
