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


# Two-factor login (back office, admin, API token), as the API reports them.


class OtpRequired(ApplicationError):
    """The password was right, but this account logs in only with a TOTP code."""

    code = "otp_required"
    status = 401
    title = "One-time code required"


class OtpInvalid(ApplicationError):
    """The code is wrong, too old, or was used already."""

    code = "otp_invalid"
    status = 401
    title = "Invalid one-time code"


class OtpNotEnrolled(ApplicationError):
    """The account must use a TOTP code but has no authenticator yet."""

    code = "otp_not_enrolled"
    status = 403
    title = "Two-factor login not set up"
