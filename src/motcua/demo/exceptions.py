from __future__ import annotations

from motcua.core.exceptions import ApplicationError


class DemoDataError(ApplicationError):
    """The demo data files contradict each other or the formats they follow."""

    code = "demo_data_invalid"
    status = 500
    title = "Invalid demo data"
