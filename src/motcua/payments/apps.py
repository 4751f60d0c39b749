from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Thanh toán")

    def ready(self) -> None:
        from . import checks, tasks  # noqa: F401  (register the deploy check, the outbox handlers)
