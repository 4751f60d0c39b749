"""Whole paths through the dossier API: online and counter, liên thông, supplements, results."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import World

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def applicant() -> dict[str, str]:
    return {
        "type": "citizen",
        "full_name": "Nguyễn Thị Ánh Tuyết",
        "id_number": "083190000123",
        "phone": "0912345678",
        "email": "tuyet@example.vn",
        "address": "Ấp 3, xã An Bình",
    }


def create(client: APIClient, world: World, **extra):
    body = {"procedure": "1.001193", "agency": "H56.101.1", "applicant": applicant(), **extra}
    return client.post("/api/v1/dossiers/", body, format="json")


def act(client: APIClient, code: str, action: str, **fields):
    return client.post(
        f"/api/v1/dossiers/{code}/actions/", {"action": action, **fields}, format="json"
    )


def upload(client: APIClient, ref: str, required_document: int):
    file = io.BytesIO(PDF)
    file.name = "to-khai.pdf"
    return client.post(
        f"/api/v1/dossiers/{ref}/documents/",
        {"file": file, "required_document": str(required_document)},
        format="multipart",
    )


@pytest.mark.django_db
def test_online_application_from_draft_to_returned(world: World) -> None:
    citizen = api(world.user("citizen"))
    with time_machine.travel(MONDAY_9, tick=False):
        created = create(citizen, world, result_delivery="counter")
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert draft["status"] == "draft"
    assert draft["code"] is None
    assert draft["available_actions"] == ["submit", "withdraw"]

    refused = act(citizen, draft["id"], "submit")
    assert refused.status_code == 422
    assert refused.json()["code"] == "missing_documents"

    for required in world.birth.required_documents.all():
        assert upload(citizen, draft["id"], required.pk).status_code == 201
    with time_machine.travel(MONDAY_9, tick=False):
        submitted = act(citizen, draft["id"], "submit")
    assert submitted.status_code == 200, submitted.json()
    code = submitted.json()["code"]
    assert code == "H56.101.1-261123-0001"
    assert submitted.json()["status_code"] == 1

    counter = api(world.user("counter_a"))
    assert act(counter, code, "receive").json()["status"] == "received"
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1), tick=False):
        forwarded = act(counter, code, "forward", assignee="specialist_a")
    assert forwarded.status_code == 200, forwarded.json()
    assert forwarded.json()["current_step"]["name"] == "Thẩm định"
    assert forwarded.json()["assignee"] == "specialist_a"

    specialist = api(world.user("specialist_a"))
    assert act(specialist, code, "forward").json()["current_step"]["name"] == "Phê duyệt"
    leader = api(world.user("leader_a"))
    approved = act(leader, code, "approve")
    assert approved.json()["status"] == "resolved"
    assert approved.json()["timeliness"] in {"early", "on_time"}

    returned = act(counter, code, "return_result", delivery="counter")
    assert returned.json()["status"] == "returned"
    rating = citizen.post(
        f"/api/v1/dossiers/{code}/rating/", {"score": 5, "comment": "Nhanh"}, format="json"
    )
    assert rating.status_code == 201

    events = api(world.user("supervisor")).get(f"/api/v1/dossiers/{code}/events/").json()["results"]
    assert [e["action"] for e in events] == [
        "create",
        "attach_document",
        "attach_document",
        "submit",
        "receive",
        "forward",
        "forward",
        "approve",
        "return_result",
        "rate",
    ]
    assert events[4]["from_status"] == "submitted"
    assert events[4]["to_status"] == "received"
    assert len({e["hash"] for e in events}) == len(events)


@pytest.mark.django_db
def test_counter_dossier_is_received_at_once_with_due_time(world: World) -> None:
    counter = api(world.user("counter_a"))
    with time_machine.travel(MONDAY_9, tick=False):
        response = create(counter, world, channel="counter")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received"
    assert body["code"] == "H56.101.1-261123-0001"
    assert body["received_at"] == "2026-11-23T09:00:00+07:00"
    # 1 working day; Tuesday 24/11 is Vietnamese Culture Day, a day off.
    assert body["due_at"] == "2026-11-25T09:00:00+07:00"
    assert body["original_due_at"] == body["due_at"]
    assert response["ETag"] == '"1"'
    assert "forward" in body["available_actions"]


@pytest.mark.django_db
def test_lien_thong_from_commune_desk_to_department_and_back(world: World) -> None:
    counter = api(world.user("counter_a"))
    code = create(counter, world, channel="counter", procedure="1.009994").json()["code"]
    forwarded = act(counter, code, "forward")
    assert forwarded.json()["current_step"]["agency"]["code"] == "H56.6"

    # Sở Xây dựng now sees it; the other commune never does.
    assert api(world.user("specialist_xd")).get(f"/api/v1/dossiers/{code}/").status_code == 200
    assert api(world.user("counter_b")).get(f"/api/v1/dossiers/{code}/").status_code == 404

    act(api(world.user("specialist_xd")), code, "forward")
    assert act(api(world.user("leader_xd")), code, "approve").json()["status"] == "resolved"
    # The commune desk that received it returns the result, and still sees it.
    assert act(counter, code, "return_result").json()["status"] == "returned"
    dossier = Dossier.objects.get(code=code)
    assert [s.agency.code for s in dossier.steps.order_by("started_at", "id")] == [
        "H56.101.1",
        "H56.6",
        "H56.6",
    ]


@pytest.mark.django_db
def test_supplement_stops_the_clock_and_moves_the_due_time(world: World) -> None:
    counter = api(world.user("counter_a"))
    with time_machine.travel(MONDAY_9, tick=False):
        code = create(counter, world, channel="counter", procedure="1.009994").json()["code"]
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1), tick=False):
        asked = act(
            counter, code, "request_supplement", items=["Bản vẽ thiết kế"], note="Thiếu bản vẽ"
        )
    assert asked.json()["status"] == "supplement_requested"
    due_before = asked.json()["due_at"]
    # Two days later the applicant brings the papers to the counter.
    with time_machine.travel(MONDAY_9 + dt.timedelta(days=2), tick=False):
        back = act(counter, code, "supplement")
    assert back.json()["status"] == "received"
    # restart_on_supplement: 15 working days from Wednesday 09:00.
    assert back.json()["due_at"] == "2026-12-16T09:00:00+07:00"
    assert back.json()["due_at"] > due_before


@pytest.mark.django_db
def test_action_errors_are_403_409_412(world: World) -> None:
    counter = api(world.user("counter_a"))
    created = create(counter, world, channel="counter").json()
    code = created["code"]

    never = act(counter, code, "approve")  # a counter officer can never approve
    assert never.status_code == 403
    assert never.json()["code"] == "action_forbidden"
    watcher = act(api(world.user("supervisor")), code, "forward")  # sees it, may not act
    assert watcher.status_code == 403
    not_now = act(counter, code, "return_result")
    assert not_now.status_code == 409
    assert not_now.json()["code"] == "action_not_allowed"

    stale = counter.post(
        f"/api/v1/dossiers/{code}/actions/",
        {"action": "forward"},
        format="json",
        HTTP_IF_MATCH='"7"',
    )
    assert stale.status_code == 412
    assert Dossier.objects.get(code=code).version == 1
    in_body = act(counter, code, "forward", version=7)
    assert in_body.status_code == 409
    assert in_body.json()["code"] == "stale_version"
    ok = counter.post(
        f"/api/v1/dossiers/{code}/actions/",
        {"action": "forward"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert ok.status_code == 200
    assert ok["ETag"] == '"2"'
    assert DossierEvent.objects.filter(dossier__code=code).count() == 2


@pytest.mark.django_db
def test_idempotency_key_replays_the_creation(world: World) -> None:
    counter = api(world.user("counter_a"))
    body = {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "channel": "counter",
        "applicant": applicant(),
    }
    first = counter.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = counter.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["code"] == first.json()["code"]
    # the original response, headers included
    assert again["Location"] == first["Location"]
    assert again["ETag"] == first["ETag"] == '"1"'
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    other = counter.post(
        "/api/v1/dossiers/", {**body, "sets_received": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_public_tracking_masks_the_name(world: World) -> None:
    code = create(api(world.user("counter_a")), world, channel="counter").json()["code"]
    body = APIClient().get(f"/api/v1/tracking/{code}/").json()
    assert body["applicant_name_masked"] == "N***** T** Á** T****"
    assert body["status"] == "received"
    assert "applicant" not in body
    assert "0912345678" not in str(body)
    assert APIClient().get("/api/v1/tracking/H56.101.1-261123-9999/").status_code == 404


@pytest.mark.django_db
def test_receipt_and_control_slip_pdfs_for_those_who_see_the_dossier(world: World) -> None:
    from pypdf import PdfReader

    counter = api(world.user("counter_a"))
    code = create(counter, world, channel="counter").json()["code"]
    act(counter, code, "forward")

    receipt = counter.get(f"/api/v1/dossiers/{code}/forms/receipt.pdf")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert code in text

    slip = counter.get(f"/api/v1/dossiers/{code}/forms/control-slip.pdf")
    assert slip.status_code == 200
    assert counter.get(f"/api/v1/dossiers/{code}/forms/unknown.pdf").status_code == 404
    assert (
        api(world.user("counter_b")).get(f"/api/v1/dossiers/{code}/forms/receipt.pdf").status_code
        == 404
    )


@pytest.mark.django_db
def test_staff_reads_of_personal_data_are_recorded_and_the_applicants_own_are_not(
    world: World,
) -> None:
    from motcua.dossiers.models import PersonalDataAccess

    counter = api(world.user("counter_a"))
    code = create(counter, world, channel="counter").json()["code"]
    supervisor = api(world.user("supervisor"))
    supervisor.get(f"/api/v1/dossiers/{code}/")
    supervisor.get("/api/v1/dossiers/")
    supervisor.get(f"/api/v1/dossiers/{code}/forms/receipt.pdf")
    reads = list(
        PersonalDataAccess.objects.filter(dossier__code=code).values_list(
            "user__username", "channel"
        )
    )
    assert reads == [("supervisor", "api"), ("supervisor", "api"), ("supervisor", "pdf")]

    citizen = api(world.user("citizen"))
    own = create(citizen, world).json()["id"]
    citizen.get(f"/api/v1/dossiers/{own}/")
    assert not PersonalDataAccess.objects.filter(dossier_id=own).exists()


@pytest.mark.django_db
def test_assisted_filing_records_the_assistant_and_needs_consent(world: World) -> None:
    assistant = api(world.user("assistant_a"))
    refused = create(assistant, world)
    assert refused.status_code == 422
    assert refused.json()["code"] == "consent_required"
    assert Dossier.objects.count() == 0

    created = create(assistant, world, consent=True)
    assert created.status_code == 201, created.json()
    dossier = Dossier.objects.get(pk=created.json()["id"])
    assert dossier.assisted_by == world.user("assistant_a")
    assert dossier.consent_recorded is True
    assert dossier.owner is None
    assert created.json()["available_actions"] == ["submit", "withdraw"]


@pytest.mark.django_db
def test_public_tracking_is_throttled_per_client(world: World, settings) -> None:
    from django.core.cache import cache

    code = create(api(world.user("counter_a")), world, channel="counter").json()["code"]
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "tracking": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    anonymous = APIClient()
    statuses = [anonymous.get(f"/api/v1/tracking/{code}/").status_code for _ in range(3)]
    statuses += [
        anonymous.get(f"/api/v1/tracking/H56.101.1-261123-{n:04d}/").status_code for n in range(2)
    ]
    assert statuses == [200, 200, 200, 429, 429]  # unknown codes count too: no enumeration
    # A forged X-Forwarded-For does not buy a new budget (no proxy is trusted by default).
    forged = anonymous.get(f"/api/v1/tracking/{code}/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert forged.status_code == 429
    assert int(forged["Retry-After"]) >= 1
    cache.clear()
