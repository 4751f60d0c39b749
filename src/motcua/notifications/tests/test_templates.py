"""The seeded templates (data migration) and their editing in the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.conftest import admin_login
from motcua.notifications.constants import Event
from motcua.notifications.models import NotificationTemplate
from motcua.notifications.rendering import SAMPLE_CONTEXT, render_text

pytestmark = pytest.mark.django_db


def test_every_event_has_a_vietnamese_template_with_the_tracking_link():
    templates = {t.event: t for t in NotificationTemplate.objects.all()}
    assert sorted(templates) == sorted(Event.values)
    for template in templates.values():
        assert template.is_active
        for text in (template.body, template.short_body):
            assert SAMPLE_CONTEXT["tracking_url"] in render_text(text, SAMPLE_CONTEXT)
    assert render_text(templates["submitted"].subject, SAMPLE_CONTEXT) == (
        "Hồ sơ H56.101.1-261123-0001 đã được nộp"
    )


def test_admin_refuses_a_broken_template(client: Client):
    admin_login(client, User.objects.create_superuser(username="quantri", password="x-2026-y"))
    template = NotificationTemplate.objects.get(event="returned")
    before = (template.subject, template.body, template.short_body)
    response = client.post(
        f"/admin/notifications/notificationtemplate/{template.pk}/change/",
        {
            "event": "returned",
            "subject": "Hồ sơ {{ code }}",
            "body": "{% if code %}không đóng",
            "short_body": "{{ code }}",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Mẫu không hợp lệ" in response.content.decode()
    template.refresh_from_db()
    assert (template.subject, template.body, template.short_body) == before


def test_admin_saves_an_edited_template(client: Client):
    admin_login(client, User.objects.create_superuser(username="quantri", password="x-2026-y"))
    template = NotificationTemplate.objects.get(event="returned")
    response = client.post(
        f"/admin/notifications/notificationtemplate/{template.pk}/change/",
        {
            "event": "returned",
            "subject": "Trả kết quả {{ code }}",
            "body": "Kết quả: {{ tracking_url }}",
            "short_body": "{{ code }} xong",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Trả kết quả {{ code }}"
