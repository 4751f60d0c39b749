from django.urls import path

from . import api

urlpatterns = [
    path("agencies/", api.AgencyListApi.as_view(), name="agency-list"),
    path("agencies/<str:code>/", api.AgencyDetailApi.as_view(), name="agency-detail"),
    path("sectors/", api.SectorListApi.as_view(), name="sector-list"),
    path("procedures/", api.ProcedureListApi.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", api.ProcedureDetailApi.as_view(), name="procedure-detail"),
]
