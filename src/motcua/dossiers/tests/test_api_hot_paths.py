"""The counter's hot path (create + upload) with real bearer tokens: what its shortcuts keep.

The token query brings the caller's memberships, an upload asks for visibility only when it
fails, and an append under the row lock takes the chain's head read with the row. Each test here
checks that the answers are the same as without those shortcuts.
"""

from __future__ import annotations

import io

import pytest
from rest_framework.test import APIClient

from motcua.accounts.models import Membership
from motcua.accounts.services import api_token_issue
from motcua.dossiers.history import verify_chain
from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import PASSWORD, World
from .test_api_flow import PDF, applicant


def bearer(username: str) -> APIClient:
    token, _ = api_token_issue(username=username, password=PASSWORD)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def counter_create(client: APIClient):
    body = {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "channel": "counter",
        "applicant": applicant(),
    }
    return client.post("/api/v1/dossiers/", body, format="json")


def upload(client: APIClient, code: str, **fields):
    file = io.BytesIO(PDF)
    file.name = "to-khai.pdf"
    return client.post(
        f"/api/v1/dossiers/{code}/documents/", {"file": file, **fields}, format="multipart"
    )


@pytest.mark.django_db
def test_the_counter_creates_and_uploads_with_a_bearer_token(world: World) -> None:
    counter = bearer("counter_a")
    created = counter_create(counter)
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    required = world.birth.required_documents.first()
    assert required is not None

    first = upload(counter, code, required_document=str(required.pk))
    second = upload(counter, code)

    assert (first.status_code, second.status_code) == (201, 201), (first.json(), second.json())
    dossier = Dossier.objects.get(code=code)
    assert dossier.version == 3
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [(e.seq, e.action) for e in events] == [
        (1, "receive"),
        (2, "attach_document"),
        (3, "attach_document"),
    ]
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert verify_chain(events) == []


@pytest.mark.django_db
def test_a_token_brings_only_active_memberships(world: World) -> None:
    # given the desk's counter officer whose membership was ended
    Membership.objects.filter(user=world.user("counter_a")).update(is_active=False)

    # when they try to receive at the desk with their token
    response = counter_create(bearer("counter_a"))

    # then they are refused as a person with no role there, and nothing was created
    assert response.status_code == 403, response.json()
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_a_failed_upload_is_404_for_those_who_do_not_see_the_dossier(world: World) -> None:
    code = counter_create(bearer("counter_a")).json()["code"]

    # an invalid body (no file) and an unknown required document, from another commune's desk
    other = bearer("counter_b")
    assert (
        other.post(f"/api/v1/dossiers/{code}/documents/", {}, format="multipart").status_code == 404
    )
    assert upload(other, code, required_document="999999").status_code == 404
    # a valid upload from them is 404 too, as it was
    assert upload(other, code).status_code == 404
    # the same mistakes from the desk that holds it are 400
    own = bearer("counter_a")
    assert (
        own.post(f"/api/v1/dossiers/{code}/documents/", {}, format="multipart").status_code == 400
    )
    assert upload(own, code, required_document="999999").status_code == 400
    # and nothing was attached
    assert Dossier.objects.get(code=code).version == 1


@pytest.mark.django_db
def test_an_upload_refused_in_a_visible_dossier_keeps_its_answer(world: World) -> None:
    # a citizen sees their own draft but cannot upload a result to it: 409, not 404
    citizen = bearer("citizen")
    draft = citizen.post(
        "/api/v1/dossiers/",
        {"procedure": "1.001193", "agency": "H56.101.1", "applicant": applicant()},
        format="json",
    )
    assert draft.status_code == 201, draft.json()
    ref = draft.json()["id"]

    response = upload(citizen, ref, kind="result")

    assert response.status_code == 409, response.json()
    assert response.json()["reason"] == "upload_not_allowed"
