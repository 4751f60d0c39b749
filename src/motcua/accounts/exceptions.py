from motcua.core.exceptions import ApplicationError


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 401
    title = "Invalid credentials"


class ContactTaken(ApplicationError):
    """The phone number or email address already identifies another account."""

    code = "contact_taken"
    status = 409
    title = "Phone number or email already in use"
