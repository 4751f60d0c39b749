"""Domain errors of the payments app."""

from motcua.core.exceptions import ApplicationError


class NothingDue(ApplicationError):
    code = "nothing_due"
    status = 409
    title = "Nothing to pay"


class PaymentNotPossible(ApplicationError):
    code = "payment_not_possible"
    status = 409
    title = "Payment not possible now"
