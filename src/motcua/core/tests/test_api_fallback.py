"""API.md "Errors use RFC 9457 problem details" also for paths and methods the API does not have."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_problem_json_404() -> None:
    # When a client asks for a path the API does not have
    response = APIClient().get("/api/v1/no-such-thing/")
    # Then the answer is problem details, not Django's HTML page
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert body["type"] == "https://motcua.dev/problems/not_found"


def test_a_post_without_the_trailing_slash_is_redirected_with_its_method_kept() -> None:
    # Given a citizen (a POST of theirs to /api/v1/dossiers without the slash used to be a 500)
    user = User.objects.create_user(username="congdan", password="x", kind="citizen")
    client = APIClient()
    client.force_authenticate(user)
    # When they post to the collection without its trailing slash
    response = client.post("/api/v1/dossiers?x=1", {}, format="json")
    # Then a 308 (the method and the body kept) points at the right path, query included
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/dossiers/?x=1"


def test_a_get_without_the_trailing_slash_is_redirected_too() -> None:
    response = APIClient().get("/api/v1/sectors")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/sectors/"


def test_a_path_unknown_with_or_without_slash_is_404_for_any_method() -> None:
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(APIClient(), method)("/api/v1/dossiers/x/documents/y/nothing")
        assert response.status_code == 404, method
        assert response.json()["code"] == "not_found"


def test_a_method_not_allowed_has_a_filled_in_title() -> None:
    # When a method the endpoint does not take is used
    response = APIClient().put("/api/v1/sectors/", {}, format="json")
    # Then 405 with a title that names the method (no "{method}" template left)
    assert response.status_code == 405
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert "{" not in body["title"]
    assert "PUT" in body["title"]
    assert response["Allow"]
