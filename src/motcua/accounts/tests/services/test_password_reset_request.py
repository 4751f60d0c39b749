"""password_reset_request: a one-time link by email, sent after the transaction commits."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from motcua.accounts.models import User
from motcua.accounts.services import password_reset_request
from motcua.dossiers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_link_is_emailed_in_vietnamese_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory(full_name="Phạm Thị Hoa", email="hoa@example.vn")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert password_reset_request(email="HOA@example.vn", base_url="https://dvc.example.vn/")
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["hoa@example.vn"]
    assert message.subject.startswith("Đặt lại mật khẩu")
    assert "Chào Phạm Thị Hoa" in message.body
    link = re.search(
        r"https://dvc\.example\.vn/tai-khoan/dat-lai-mat-khau/(\S+)/(\S+)/", message.body
    )
    assert link is not None
    uid, token = link.groups()
    assert force_str(urlsafe_base64_decode(uid)) == str(user.pk)
    assert default_token_generator.check_token(user, token)


@pytest.mark.parametrize("email", ["nobody@example.vn", "locked@example.vn", "elsewhere@x.vn"])
def test_no_mail_for_unknown_locked_or_password_less_accounts(
    email: str, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    UserFactory(email="locked@example.vn", is_active=False)
    external = UserFactory(email="elsewhere@x.vn")
    external.set_unusable_password()
    external.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert password_reset_request(email=email, base_url="https://dvc.example.vn") is False

    assert mailoutbox == []
    assert User.objects.count() == 2
