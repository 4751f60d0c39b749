"""What a delivery handler raises to say how its call failed."""


class DeliveryFailed(Exception):
    """A failure worth retrying later (provider down, timeout, 5xx). Any other exception a
    handler raises is treated the same way."""


class PermanentFailure(Exception):
    """A failure that no retry can fix (the provider refused the request itself, e.g. a 4xx
    other than 408/429): the row becomes ``dead`` at once."""


class UnknownKind(LookupError):
    """No handler is registered for an outbox kind."""
