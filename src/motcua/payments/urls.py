"""API routes of the payments app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("payments/ipn/<str:gateway_name>/", views.ipn, name="payment-ipn"),
]
