"""The leaders' daily digest (``send_leader_digests``): what it lists, what it leaves out, once
a day per leader, retried after a failure, in Vietnamese and in English."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from motcua.accounts.constants import Role
from motcua.backoffice.models import LeaderDigest
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierFactory, MembershipFactory

from .conftest import dossier_at_commune_a

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_emails")]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 25, 7, 0, tzinfo=HCM)  # a Wednesday, before the office opens
PUBLIC = "https://dichvucong.example.gov.vn"


@pytest.fixture
def _emails(world: World) -> None:
    for username in ("leader_a", "leader_xd", "specialist_a"):
        user = world.user(username)
        user.email = f"{username}@example.gov.vn"
        user.save(update_fields=["email"])


def _at_commune_a(world: World, *, due: dt.datetime) -> Dossier:
    """With an applicant's personal data, which the email must leave out."""
    return dossier_at_commune_a(
        world, due=due, full_name="Nguyễn Thị Mai", phone="0912345678", id_number="001190012345"
    )


@pytest.fixture
def due(world: World) -> dict[str, Dossier]:
    return {
        "overdue": _at_commune_a(world, due=NOW - dt.timedelta(days=2)),
        "due_soon": _at_commune_a(world, due=NOW + dt.timedelta(hours=6)),
        "later": _at_commune_a(world, due=NOW + dt.timedelta(days=5)),
        "other": DossierFactory(
            agency=world.desk_b,
            procedure=world.birth,
            current_agency=world.commune_b,
            status=Status.PROCESSING,
            at=NOW - dt.timedelta(days=6),
        ),
    }


def _run(*args: str, at: dt.datetime = NOW) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False), override_settings(MOTCUA_PUBLIC_URL=PUBLIC):
        call_command("send_leader_digests", *args, stdout=out)
    return out.getvalue()


def test_each_leader_with_due_dossiers_gets_one_digest(
    world: World, due: dict[str, Dossier]
) -> None:
    output = _run()

    assert "sent 1 digest(s)" in output
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leader_a@example.gov.vn"]
    assert message.subject == (
        "[Cổng dịch vụ công tỉnh Vĩnh Long] Hồ sơ cần chú ý ngày 25/11/2026: "
        "1 quá hạn, 1 sắp đến hạn"
    )
    body = message.body
    assert "Ủy ban nhân dân xã An Bình" in body
    for name in ("overdue", "due_soon"):
        dossier = due[name]
        assert dossier.code in body
        assert f"{PUBLIC}/can-bo/ho-so/{dossier.pk}/" in body
    assert "Đăng ký khai sinh" in body
    assert "Hạn xử lý: 07:00 23/11/2026 — QUÁ HẠN" in body
    assert "Hạn xử lý: 13:00 25/11/2026\n" in body
    assert due["later"].code not in body
    assert due["other"].code not in body
    assert body.index(due["overdue"].code) < body.index(due["due_soon"].code)
    assert f"{PUBLIC}/can-bo/lanh-dao/" in body
    html, kind = message.alternatives[0]  # type: ignore[misc]
    assert kind == "text/html"
    assert f'<a href="{PUBLIC}/can-bo/ho-so/{due["overdue"].pk}/">{due["overdue"].code}</a>' in html
    assert '<html lang="vi">' in html
    # No more personal data than needed: no applicant's name, phone or ID number.
    for text in (body, html, message.subject):
        assert "Nguyễn Thị Mai" not in text
        assert "0912345678" not in text
        assert "001190012345" not in text
    digest = LeaderDigest.objects.get()
    assert (digest.user, digest.day, digest.overdue, digest.due_soon) == (
        world.user("leader_a"),
        dt.date(2026, 11, 25),
        1,
        1,
    )


def test_a_second_run_the_same_day_sends_nothing_the_next_day_sends_again(
    world: World, due: dict[str, Dossier]
) -> None:
    _run()
    output = _run(at=NOW + dt.timedelta(hours=9))

    assert len(mail.outbox) == 1
    assert "sent 0 digest(s)" in output
    assert "already sent today: 1" in output

    _run(at=NOW + dt.timedelta(days=1))

    assert len(mail.outbox) == 2
    assert LeaderDigest.objects.count() == 2


def test_who_gets_nothing(world: World, due: dict[str, Dossier]) -> None:
    no_email = MembershipFactory(agency=world.commune_a, role=Role.LEADER).user
    no_email.email = ""
    no_email.save(update_fields=["email"])

    output = _run()

    # leader_xd (Sở Xây dựng) has nothing due; the specialist is not a leader; the second
    # leader of commune A has no address.
    assert [m.to for m in mail.outbox] == [["leader_a@example.gov.vn"]]
    assert "nothing overdue or due soon: 1" in output
    assert f"no email address: 1 ({no_email.username})" in output
    assert not LeaderDigest.objects.exclude(user=world.user("leader_a")).exists()


def test_a_failed_send_is_not_recorded_and_the_next_run_retries(
    world: World, due: dict[str, Dossier]
) -> None:
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
        ),
        pytest.raises(CommandError, match="1 digest"),
    ):
        _run()

    assert mail.outbox == []
    assert not LeaderDigest.objects.exists()

    _run(at=NOW + dt.timedelta(hours=1))

    assert len(mail.outbox) == 1
    assert LeaderDigest.objects.count() == 1


def test_dry_run_sends_and_records_nothing(world: World, due: dict[str, Dossier]) -> None:
    output = _run("--dry-run")

    assert "would send 1 digest(s)" in output
    assert mail.outbox == []
    assert not LeaderDigest.objects.exists()


def test_the_digest_in_english(world: World, due: dict[str, Dossier]) -> None:
    _run("--language", "en")

    message = mail.outbox[0]
    assert message.subject == (
        "[Cổng dịch vụ công tỉnh Vĩnh Long] Dossiers needing attention on 25/11/2026: "
        "1 overdue, 1 due soon"
    )
    assert "Due: 07:00 23/11/2026 — OVERDUE" in message.body
    html, _ = message.alternatives[0]  # type: ignore[misc]
    assert '<html lang="en">' in html


def test_a_run_racing_another_sends_nothing_twice(world: World, due: dict[str, Dossier]) -> None:
    """Another run records the leader's digest after this one has looked (it then waits on the
    unique row and finds it taken): this run sends nothing."""
    from motcua.backoffice import digest

    real = digest.digest_message

    def other_run_wins(**kwargs: object) -> object:
        LeaderDigest.objects.create(
            user=world.user("leader_a"), day=dt.date(2026, 11, 25), sent_at=NOW
        )
        return real(**kwargs)  # type: ignore[arg-type]

    with mock.patch.object(digest, "digest_message", side_effect=other_run_wins):
        output = _run()

    assert mail.outbox == []
    assert "sent 0 digest(s)" in output
    assert "already sent today: 1" in output
    assert LeaderDigest.objects.count() == 1


# --- only on the agency's working days ------------------------------------------------------

HOLIDAY = dt.datetime(2026, 11, 24, 7, 0, tzinfo=HCM)  # a Tuesday off by the national calendar
SATURDAY = dt.datetime(2026, 11, 28, 7, 0, tzinfo=HCM)


def test_no_digest_on_a_public_holiday_and_the_next_working_day_sends_it(
    world: World, due: dict[str, Dossier]
) -> None:
    from motcua.worktime.calendar import is_working_day
    from motcua.worktime.selectors import calendar_for_agency

    # given a holiday of the commune's calendar, with an overdue dossier waiting
    assert not is_working_day(calendar_for_agency(world.commune_a), HOLIDAY.date())

    # when the command runs that morning
    output = _run(at=HOLIDAY)

    # then nobody is written to and nothing is recorded
    assert mail.outbox == []
    assert not LeaderDigest.objects.exists()
    assert "sent 0 digest(s)" in output
    assert "not a working day at their agencies: 2" in output  # leader_a and leader_xd

    # and the next morning, a working day, the digest goes out
    _run(at=NOW)
    assert [m.to for m in mail.outbox] == [["leader_a@example.gov.vn"]]
    assert LeaderDigest.objects.get().day == dt.date(2026, 11, 25)


def test_a_weekend_day_the_agency_works_sends_only_for_that_agency(
    world: World, due: dict[str, Dossier]
) -> None:
    from motcua.backoffice.digest import digest_sections
    from motcua.worktime.tests.factories import WorkCalendarFactory

    # given a commune whose calendar opens on Saturday mornings, and an overdue dossier at
    # Sở Xây dựng, which keeps the default Monday-Friday calendar
    WorkCalendarFactory(agency=world.commune_a, name="Xã An Bình", saturday_morning=True)
    late_at_department = DossierFactory(
        agency=world.desk_a,
        procedure=world.permit,
        current_agency=world.construction,
        status=Status.PROCESSING,
        at=SATURDAY - dt.timedelta(days=40),
    )
    leader_of_both = world.user("leader_a")
    at_department = leader_of_both.memberships.create(agency=world.construction, role=Role.LEADER)
    # (a section the department's digest would have had on a working day)
    assert digest_sections(user=leader_of_both, memberships=[at_department], now=SATURDAY)

    # when the command runs on Saturday
    output = _run(at=SATURDAY)

    # then leader_a's digest speaks only for the commune (at work), leader_xd gets none
    assert "sent 1 digest(s)" in output
    assert "not a working day at their agencies: 1" in output
    assert [m.to for m in mail.outbox] == [["leader_a@example.gov.vn"]]
    body = mail.outbox[0].body
    assert "Ủy ban nhân dân xã An Bình" in body
    assert "Sở Xây dựng" not in body
    assert late_at_department.code not in body
    assert list(LeaderDigest.objects.values_list("user__username", "day")) == [
        ("leader_a", dt.date(2026, 11, 28))
    ]
