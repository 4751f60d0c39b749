"""Fixtures of the portal tests: a small catalogue a citizen can search; logged-in pages."""

from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings

from motcua.catalog.models import Agency, Fee, Procedure, RequiredDocument, Sector
from motcua.catalog.services import agency_save, procedure_refresh_search_text


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The home page caches its popular procedures' ids for ten minutes: a list cached by
    another test would name that test's procedures."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def birth() -> Procedure:
    commune = agency_save(
        agency=Agency(code="H56.101", name="Ủy ban nhân dân xã An Bình", level_id="commune")
    )
    sector = Sector.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=sector,
        online="full",
        processing_time_value=1,
        description="Đăng ký việc sinh của trẻ em để được cấp Giấy khai sinh.",
        conditions="Cha, mẹ hoặc người thân thích của trẻ.",
        result="Giấy khai sinh (bản chính)",
        legal_basis="Luật Hộ tịch 2014",
        applicant_types=["citizen"],
        popularity=100,
    )
    procedure.agencies.set([commune])
    RequiredDocument.objects.create(
        procedure=procedure,
        position=0,
        name="Tờ khai đăng ký khai sinh",
        originals=1,
        copies=0,
        form_name="Mẫu tờ khai",
    )
    Fee.objects.create(
        procedure=procedure, position=0, name="Lệ phí đăng ký khai sinh", amount=8000
    )
    procedure_refresh_search_text(procedure=procedure)
    return procedure


from motcua.dossiers.tests.conftest import world  # noqa: E402, F401  (a fixture, used by name)


def session_cookie(user: Any, base_url: str) -> dict[str, Any]:
    """A session cookie of ``user``, as if they had just logged in (until the login page is
    used by the browser tests themselves)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": base_url,
        "httpOnly": True,
    }


@pytest.fixture
def logged_in_page(page: Any, live_server: Any) -> Callable[..., Any]:
    """``logged_in_page(user)``: the test's browser page with ``user`` logged in;
    ``logged_in_page(user, other_page)`` logs ``user`` in on another page's browser context
    (another device)."""

    def login(user: Any, target: Any = None) -> Any:
        target = target if target is not None else page
        target.context.add_cookies([session_cookie(user, live_server.url)])
        return target

    return login
