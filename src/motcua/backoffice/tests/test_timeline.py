"""The history timeline in words: each entry a Vietnamese label (never the event's machine name);
a reassignment says from whom to whom on the back office's screen and stays out of what the
applicant reads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from motcua.accounts.models import User
from motcua.backoffice.dossier import _timeline
from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_act, dossier_reassign
from motcua.dossiers.tests.conftest import World

from .conftest import office_login
from .test_dossier_screen import online_submitted

pytestmark = pytest.mark.django_db


def _second_specialist(world: World) -> User:
    other = User.objects.create_user(
        username="specialist_a2", password="x", kind="staff", full_name="Hồ Thị Mai"
    )
    other.memberships.create(agency=world.commune_a, role="specialist")
    return other


def _reassigned(world: World) -> Dossier:
    """An online dossier of the citizen, received, forwarded to specialist_a, then given to
    specialist_a2 by the commune's leader."""
    dossier = online_submitted(world)
    dossier_act(dossier_id=dossier.pk, action=Action.RECEIVE, actor=world.user("counter_a"))
    dossier_act(
        dossier_id=dossier.pk,
        action=Action.FORWARD,
        actor=world.user("counter_a"),
        fields={"assignee": "specialist_a"},
    )
    _second_specialist(world)
    return dossier_reassign(
        dossier_id=dossier.pk,
        assignee="specialist_a2",
        actor=world.user("leader_a"),
        note="Chị Mai xử lý thay",
    )


def test_the_back_office_timeline_names_a_reassignment_and_who_it_went_between(
    client: Client, world: World
) -> None:
    # given a dossier reassigned from Specialist_A to Hồ Thị Mai
    dossier = _reassigned(world)
    office_login(client, world.user("leader_a"))

    # when the leader opens the dossier screen
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()

    # then the timeline says it in words, with both names and the note
    timeline = page[page.index('id="timeline"') :]
    assert "<strong>Giao lại người xử lý</strong>: Từ Specialist_A sang Hồ Thị Mai" in timeline
    assert "Chị Mai xử lý thay" in timeline
    assert ">reassign<" not in timeline
    assert "<strong>reassign</strong>" not in timeline


def test_the_timeline_in_english(client: Client, world: World) -> None:
    dossier = _reassigned(world)
    office_login(client, world.user("leader_a"))
    client.cookies["django_language"] = "en"

    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()

    assert "<strong>Handler reassigned</strong>: From Specialist_A to Hồ Thị Mai" in page


def test_every_entry_has_a_word_and_an_unknown_one_a_plain_one(world: World) -> None:
    # given events of a draft's life and one from a part of the system the screen does not know
    events = [
        DossierEvent(action="create", to_status="draft", from_status=""),
        DossierEvent(action="update_draft", to_status="draft", from_status="draft"),
        DossierEvent(action="attach_document", to_status="draft", from_status="draft"),
        DossierEvent(action="reassign", data={"from": None, "to": "specialist_a"}),
        DossierEvent(action="something_new_later", to_status="draft", from_status="draft"),
    ]

    # when the timeline is built
    with translation.override("vi"):
        rows = [(str(row["label"]), row["detail"]) for row in _timeline(events)]

    # then no machine name shows
    assert rows == [
        ("Tạo hồ sơ", ""),
        ("Cập nhật hồ sơ nháp", ""),
        ("Thêm tệp", ""),
        ("Giao lại người xử lý", "Giao cho Specialist_A"),
        ("Cập nhật hồ sơ", ""),
    ]


def test_the_applicant_never_reads_about_a_reassignment(client: Client, world: World) -> None:
    # given a reassigned dossier of the citizen
    dossier = _reassigned(world)
    assert DossierEvent.objects.filter(dossier=dossier, action="reassign").count() == 1

    # when the citizen opens their dossier page, and anyone tracks it by code
    client.force_login(world.user("citizen"))
    mine = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    client.logout()
    tracking = client.get(f"/tra-cuu/{dossier.code}/").content.decode()

    # then the story ends at the forward to the specialist: no reassignment, no officer's name
    assert "Hồ sơ được chuyển đến" in mine
    for page in (mine, tracking):
        assert "Giao lại" not in page
        assert "reassign" not in page
        assert "Hồ Thị Mai" not in page
        assert "Chị Mai xử lý thay" not in page
