"""The leaders' page in a browser: a leader opens it from the shell, sees the overdue and
soon-due dossiers soonest first, and reassigns one to another specialist by choosing a name and
pressing the button; a specialist finds the page closed. On a desktop and on a tablet."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.accounts.constants import Role
from motcua.backoffice.selectors import due_soon_horizon
from motcua.conftest import assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierStepFactory, MembershipFactory

from .conftest import current_code, dossier_at_commune_a, enrol, fill_office_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _held_by_commune(world: World, *, due: dt.datetime, **extra: Any) -> Dossier:
    dossier = dossier_at_commune_a(world, due=due, **extra)
    DossierStepFactory(
        dossier=dossier, agency=world.commune_a, name="Thẩm định", assignee=dossier.assignee
    )
    return dossier


def test_a_leader_reassigns_an_overdue_dossier(
    live_server: Any, office_page: Any, world: World
) -> None:
    page = office_page
    now = timezone.now()
    soon = now + (due_soon_horizon(agency=world.commune_a, now=now) - now) / 2
    specialist = world.user("specialist_a")
    colleague = MembershipFactory(
        agency=world.commune_a, role=Role.SPECIALIST, user__full_name="Võ Thị Hạnh"
    ).user
    late = _held_by_commune(world, due=now - dt.timedelta(days=2), assignee=specialist)
    due_soon = _held_by_commune(world, due=soon)
    later = _held_by_commune(world, due=now + dt.timedelta(days=10))
    device = enrol(world.user("leader_a"))

    fill_office_login(page, live_server.url, "leader_a", current_code(device))
    page.get_by_role("link", name="Quá hạn, sắp đến hạn").click()

    page.wait_for_url("**/can-bo/lanh-dao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ quá hạn, sắp đến hạn")
    assert page.locator("#count-overdue").inner_text() == "1"
    assert page.locator("#count-due-soon").inner_text() == "1"
    codes = page.locator("tbody tr td:first-child a").all_inner_texts()
    assert codes == [late.code, due_soon.code]  # soonest due first; the later one not shown
    assert later.code not in page.content()
    late_row = page.locator(f"#row-{late.pk}")
    assert late_row.get_by_text("Quá hạn", exact=True).is_visible()
    assert late_row.get_by_text("Specialist_A").is_visible()
    assert page.locator(f"#row-{due_soon.pk}").get_by_text("Sắp đến hạn").is_visible()
    save_screenshot(page, "backoffice-leaders")
    assert_accessible(page)
    assert_page_weight(page)

    late_row.get_by_label(f"Giao hồ sơ {late.code} cho").select_option(label="Võ Thị Hạnh")
    late_row.get_by_label("Ghi chú (không bắt buộc)").fill("Chị Hạnh xử lý gấp")
    late_row.get_by_role("button", name="Giao lại").click()

    page.wait_for_url("**/can-bo/lanh-dao/")
    expect(page.locator(".notice")).to_contain_text(f"Đã giao hồ sơ {late.code} cho Võ Thị Hạnh.")
    expect(page.locator(f"#row-{late.pk}")).to_contain_text("Võ Thị Hạnh")
    save_screenshot(page, "backoffice-leaders-reassigned")
    assert_accessible(page)
    late.refresh_from_db()
    assert late.assignee_id == colleague.pk
    event = DossierEvent.objects.filter(dossier=late).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.note) == ("reassign", "Chị Hạnh xử lý gấp")

    # Each code links to the dossier screen.
    link = page.locator(f"#row-{late.pk}").get_by_role("link", name=late.code)
    assert link.get_attribute("href") == f"/can-bo/ho-so/{late.pk}/"


def test_a_specialist_finds_the_leaders_page_closed(
    live_server: Any, office_page: Any, world: World
) -> None:
    page = office_page
    _held_by_commune(world, due=timezone.now() - dt.timedelta(days=1))

    fill_office_login(page, live_server.url, "specialist_a")
    assert page.get_by_role("link", name="Quá hạn, sắp đến hạn").count() == 0
    response = page.goto(live_server.url + "/can-bo/lanh-dao/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Chỉ dành cho lãnh đạo")
    assert page.locator("form.reassign").count() == 0
    save_screenshot(page, "backoffice-leaders-forbidden")
    assert_accessible(page)
