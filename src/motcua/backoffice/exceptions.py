"""Errors of the back office's two-factor login, as the API reports them (problem+json)."""

from motcua.core.exceptions import ApplicationError


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
