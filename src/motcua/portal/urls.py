from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure-search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure-detail"),
    path("linh-vuc/<str:code>/", views.sector_detail, name="sector-detail"),
]
