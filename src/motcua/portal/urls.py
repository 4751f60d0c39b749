from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure-search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure-detail"),
    path("linh-vuc/<str:code>/", views.sector_detail, name="sector-detail"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:code>/", views.track_dossier, name="track-dossier"),
]
