"""The committed OpenAPI schema (docs/openapi.yaml) matches the code; `make schema` refreshes it."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"


def test_committed_openapi_schema_has_not_drifted() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert SCHEMA_FILE.exists(), "docs/openapi.yaml is missing: run `make schema`"
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert out.getvalue() == committed, (
        "OpenAPI schema drifted from the code: run `make schema` and commit"
    )


@pytest.mark.django_db
def test_schema_endpoint_serves_json_and_yaml(client) -> None:
    as_json = client.get("/api/v1/schema/?format=json")
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert as_json.json()["openapi"].startswith("3.")

    as_yaml = client.get("/api/v1/schema/", HTTP_ACCEPT="application/yaml")
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "motcua API"


@pytest.mark.django_db
def test_interactive_docs_are_served_without_a_cdn(client) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html
    assert "unpkg.com" not in html
