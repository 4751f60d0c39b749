"""The applicant's online payment pages (portal/payment.py), mounted under /thanh-toan/."""

from django.urls import URLPattern, URLResolver, path

from . import payment

urlpatterns: list[URLPattern | URLResolver] = [
    path("ho-so/<uuid:pk>/", payment.pay, name="payment-pay"),
    path("ket-qua/", payment.gateway_return, name="payment-return"),
    path("bien-lai/<uuid:payment_id>.pdf", payment.receipt, name="payment-receipt"),
]
