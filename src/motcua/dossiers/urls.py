from django.urls import path

from . import api, api_assignment

urlpatterns = [
    path("dossiers/", api.DossierListApi.as_view(), name="dossier-list"),
    path("dossiers/<str:code>/", api.DossierDetailApi.as_view(), name="dossier-detail"),
    path("dossiers/<str:code>/actions/", api.DossierActionApi.as_view(), name="dossier-actions"),
    path("dossiers/<str:code>/events/", api.DossierEventsApi.as_view(), name="dossier-events"),
    path(
        "dossiers/<str:code>/reassign/",
        api_assignment.DossierReassignApi.as_view(),
        name="dossier-reassign",
    ),
    path(
        "dossiers/<str:code>/documents/", api.DocumentUploadApi.as_view(), name="dossier-documents"
    ),
    path(
        "dossiers/<str:code>/documents/<str:doc_id>/content",
        api.DocumentContentApi.as_view(),
        name="dossier-document-content",
    ),
    path(
        "dossiers/<str:code>/forms/<str:form>.pdf",
        api.DossierFormApi.as_view(),
        name="dossier-form",
    ),
    path("dossiers/<str:code>/rating/", api.RatingApi.as_view(), name="dossier-rating"),
    path("tracking/<str:code>/", api.TrackingApi.as_view(), name="tracking"),
]
