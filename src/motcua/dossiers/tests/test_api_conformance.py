"""API.md conformance found by the black-box audit: each test names the promise it holds."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Document

from .conftest import World
from .test_api_flow import MONDAY_9, PDF, api, applicant

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# "Times are ISO 8601 with offset, in Asia/Ho_Chi_Minh".
VIETNAM_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")

pytestmark = pytest.mark.django_db


def multipart(boundary: str, required_document: int) -> bytes:
    """The body a client library builds, with the random boundary it picks per request."""
    return (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="required_document"\r\n\r\n'
            f"{required_document}\r\n"
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="to-khai.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )


def test_a_repeated_upload_with_the_same_key_is_replayed_despite_a_new_boundary(
    world: World,
) -> None:
    # Given a draft of the citizen
    citizen = api(world.user("citizen"))
    body = {"procedure": "1.001193", "agency": "H56.101.1", "applicant": applicant()}
    draft = citizen.post("/api/v1/dossiers/", body, format="json").json()
    required = world.birth.required_documents.order_by("position").first()
    assert required is not None
    url = f"/api/v1/dossiers/{draft['id']}/documents/"

    def send(boundary: str, key: str):
        return citizen.post(
            url,
            data=multipart(boundary, required.pk),
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    # When the same file is sent twice with one Idempotency-Key, each time with its own boundary
    first = send("a1b2c3", "upload-1")
    again = send("zz9988", "upload-1")
    # Then the second answer is the first one replayed, and one document exists
    assert first.status_code == 201, first.json()
    assert again.status_code == 201, again.json()
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Document.objects.filter(dossier_id=draft["id"]).count() == 1
    # And another file under the same key is refused, nothing added
    other = citizen.post(
        url,
        data=multipart("qq", required.pk).replace(b"%%EOF", b"%%EOF\n%extra"),
        content_type="multipart/form-data; boundary=qq",
        HTTP_IDEMPOTENCY_KEY="upload-1",
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Document.objects.filter(dossier_id=draft["id"]).count() == 1
    assert IdempotencyRecord.objects.filter(key="upload-1").count() == 1


def test_the_current_steps_due_time_is_in_vietnam_time(world: World) -> None:
    # Given a dossier received at the counter on Monday 09:00
    counter = api(world.user("counter_a"))
    body = {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "channel": "counter",
        "applicant": applicant(),
    }
    with time_machine.travel(MONDAY_9, tick=False):
        created = counter.post("/api/v1/dossiers/", body, format="json")
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    # When the detail and the list are read
    detail = counter.get(f"/api/v1/dossiers/{code}/").json()
    listed = counter.get("/api/v1/dossiers/").json()["results"][0]
    # Then the step's due time has the +07:00 offset, like every other time
    for payload in (created.json(), detail, listed):
        step_due = payload["current_step"]["due_at"]
        assert VIETNAM_TIME.match(step_due), step_due
        assert VIETNAM_TIME.match(payload["due_at"]), payload["due_at"]
    assert detail["current_step"]["due_at"] == listed["current_step"]["due_at"]


def test_if_match_star_passes_and_an_unparsable_one_is_412(world: World) -> None:
    # Given a dossier received at the counter (version 1)
    counter = api(world.user("counter_a"))
    body = {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "channel": "counter",
        "applicant": applicant(),
    }
    code = counter.post("/api/v1/dossiers/", body, format="json").json()["code"]
    url = f"/api/v1/dossiers/{code}/actions/"
    # When an action is sent with an If-Match that is no ETag of ours
    garbage = counter.post(url, {"action": "forward"}, format="json", HTTP_IF_MATCH="banana")
    # Then the precondition failed: 412, nothing changed
    assert garbage.status_code == 412
    assert garbage.json()["code"] == "precondition_failed"
    assert counter.get(f"/api/v1/dossiers/{code}/").json()["version"] == 1
    # When it is sent with If-Match: * (any current version)
    star = counter.post(url, {"action": "forward"}, format="json", HTTP_IF_MATCH="*")
    # Then it is taken
    assert star.status_code == 200, star.json()
    assert star.json()["status"] == "processing"
    assert star["ETag"] == '"2"'


def test_a_volunteers_upload_is_recorded_on_behalf_of_the_applicant(world: World) -> None:
    # Given a draft filed by the desk's volunteer for a citizen, with consent
    assistant = api(world.user("assistant_a"))
    body = {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "applicant": applicant(),
        "consent": True,
    }
    draft = assistant.post("/api/v1/dossiers/", body, format="json").json()
    required = world.birth.required_documents.order_by("position").first()
    assert required is not None
    # When the volunteer attaches a document
    uploaded = assistant.post(
        f"/api/v1/dossiers/{draft['id']}/documents/",
        data=multipart("b0", required.pk),
        content_type="multipart/form-data; boundary=b0",
    )
    assert uploaded.status_code == 201, uploaded.json()
    # Then the history says for whom, like the creation
    events = assistant.get(f"/api/v1/dossiers/{draft['id']}/events/").json()["results"]
    assert [(e["action"], e["on_behalf_of"]) for e in events] == [
        ("create", "Nguyễn Thị Ánh Tuyết"),
        ("attach_document", "Nguyễn Thị Ánh Tuyết"),
    ]
