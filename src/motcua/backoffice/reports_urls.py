"""Back-office reports, mounted under /can-bo/bao-cao/ (views in backoffice/reports.py)."""

from django.urls import URLPattern, URLResolver, path

from . import reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("", reports.dashboard_view, name="reports"),
    path("thu-tuc/", reports.procedures_view, name="reports-procedures"),
    path("qua-han/", reports.late_view, name="reports-late"),
    path("chi-so-766/", reports.index_view, name="reports-index"),
    path("cai-tien/", reports.reengineering_view, name="reports-reengineering"),
]
