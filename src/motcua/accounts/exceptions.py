from motcua.core.exceptions import ApplicationError


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 401
    title = "Invalid credentials"
