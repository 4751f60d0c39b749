"""API routes of the payments app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("payments/ipn/<str:gateway_name>/", views.ipn, name="payment-ipn"),
    path(
        "dossiers/<str:code>/payments/", api.DossierPaymentsApi.as_view(), name="dossier-payments"
    ),
    path(
        "dossiers/<str:code>/payments/online/",
        api.DossierOnlinePaymentApi.as_view(),
        name="dossier-payment-online",
    ),
]
