"""Every API error is RFC 9457 problem details with a stable code."""

import pytest


@pytest.mark.django_db
def test_unknown_procedure_is_a_404_problem(client) -> None:
    response = client.get("/api/v1/procedures/9.999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == "not_found"
    assert set(body) >= {"type", "title", "status", "detail", "code"}


@pytest.mark.django_db
def test_invalid_filter_is_a_400_problem_naming_the_field(client) -> None:
    response = client.get("/api/v1/procedures/?online=level4")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["online"]


@pytest.mark.django_db
def test_wrong_method_is_a_405_problem(client) -> None:
    response = client.post("/api/v1/procedures/", data={}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_vietnamese_text_is_not_escaped(client) -> None:
    response = client.get("/api/v1/procedures/?online=bogus")
    assert response["Content-Type"] == "application/problem+json"
    assert b"\\u" not in response.content
