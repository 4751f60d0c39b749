"""Work queues: counts per queue for each role, filters and search, no N+1, and visibility."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Membership, User
from motcua.backoffice.selectors import (
    ROLE_QUEUES,
    QueueFilters,
    due_soon_horizon,
    queue_conditions,
    queue_counts,
    queue_dossiers,
)
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Dossier, PersonalDataAccess
from motcua.dossiers.selectors import dossier_visible
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierFactory

from .conftest import office_login

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday morning: one working day later is Thursday morning (default calendar).
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=HCM)
THREE_DAYS = dt.timedelta(days=3)  # the factory's due time after receipt


@dataclass
class Desk:
    reception: Dossier
    mine: Dossier
    at_commune: Dossier
    overdue: Dossier
    due_soon: Dossier
    supplement: Dossier
    payment: Dossier
    ready: Dossier
    returned: Dossier
    other_desk: Dossier


def membership(user: User) -> Membership:
    return Membership.objects.select_related("agency").get(user=user)


@pytest.fixture
def desk(world: World) -> Desk:
    a = {"agency": world.desk_a, "procedure": world.birth}
    at_commune = {**a, "current_agency": world.commune_a, "status": Status.PROCESSING}
    return Desk(
        reception=DossierFactory(submitted=True, at=NOW - dt.timedelta(hours=1), **a),
        mine=DossierFactory(at=NOW, assignee=world.user("counter_a"), **a),
        at_commune=DossierFactory(at=NOW - dt.timedelta(days=1), **at_commune),
        overdue=DossierFactory(
            at=NOW - dt.timedelta(days=5), assignee=world.user("specialist_a"), **at_commune
        ),
        due_soon=DossierFactory(at=NOW - THREE_DAYS + dt.timedelta(hours=3), **at_commune),
        supplement=DossierFactory(status=Status.SUPPLEMENT_REQUESTED, at=NOW, **a),
        payment=DossierFactory(status=Status.PAYMENT_REQUESTED, at=NOW, **a),
        ready=DossierFactory(status=Status.RESOLVED, at=NOW, **a),
        returned=DossierFactory(status=Status.RETURNED, at=NOW, **a),
        other_desk=DossierFactory(
            agency=world.desk_b, procedure=world.birth, at=NOW, status=Status.PROCESSING
        ),
    )


def test_due_soon_horizon_is_one_working_day_on_the_agency_calendar(world: World) -> None:
    friday_afternoon = dt.datetime(2026, 11, 27, 16, 0, tzinfo=HCM)
    # 1 working day = 7.5 h: from Friday 16:00, one hour that day, the rest on Monday.
    assert due_soon_horizon(agency=world.desk_a, now=friday_afternoon) == dt.datetime(
        2026, 11, 30, 16, 0, tzinfo=HCM
    )


EXPECTED = {
    "counter_a": {
        "reception": 1,
        "mine": 1,
        "unit": 8,
        "due_soon": 1,
        "overdue": 1,
        "supplement": 1,
        "payment": 1,
        "ready": 1,
    },
    "specialist_a": {
        "mine": 1,
        "unit": 3,
        "due_soon": 1,
        "overdue": 1,
        "supplement": 0,
        "payment": 0,
    },
    "leader_a": {"mine": 0, "unit": 3, "due_soon": 1, "overdue": 1, "supplement": 0, "payment": 0},
    "counter_b": {
        "reception": 0,
        "mine": 0,
        "unit": 1,
        "due_soon": 0,
        "overdue": 0,
        "supplement": 0,
        "payment": 0,
        "ready": 0,
    },
    "leader_xd": {"mine": 0, "unit": 0, "due_soon": 0, "overdue": 0, "supplement": 0, "payment": 0},
    "supervisor": {"unit": 9, "due_soon": 1, "overdue": 1, "supplement": 1, "payment": 1},
    "assistant_a": {},
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_counts_per_queue_for_each_role(world: World, desk: Desk, username: str) -> None:
    user = world.user(username)

    conditions = queue_conditions(viewer=user, membership=membership(user), now=NOW)
    counts = queue_counts(viewer=user, conditions=conditions)

    assert counts == EXPECTED[username]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_queue_lists_as_many_dossiers_as_it_counts(
    world: World, desk: Desk, username: str
) -> None:
    user = world.user(username)
    m = membership(user)
    conditions = queue_conditions(viewer=user, membership=m, now=NOW)
    for key in ROLE_QUEUES[m.role]:
        rows = queue_dossiers(viewer=user, conditions=conditions, queue=key, filters=QueueFilters())
        assert rows.count() == EXPECTED[username][key], key


def test_counter_queues_hold_the_expected_dossiers(world: World, desk: Desk) -> None:
    user = world.user("counter_a")
    m = membership(user)

    def keys(queue: str) -> set[object]:
        rows = queue_dossiers(
            viewer=user,
            conditions=queue_conditions(viewer=user, membership=m, now=NOW),
            queue=queue,
            filters=QueueFilters(),
        )
        return {d.pk for d in rows}

    assert keys("reception") == {desk.reception.pk}
    assert keys("mine") == {desk.mine.pk}
    assert keys("due_soon") == {desk.due_soon.pk}
    assert keys("overdue") == {desk.overdue.pk}
    assert keys("ready") == {desk.ready.pk}
    assert desk.returned.pk not in keys("unit")
    assert desk.other_desk.pk not in keys("unit")


def test_queue_is_sorted_by_due_time_without_due_last(world: World, desk: Desk) -> None:
    user = world.user("counter_a")
    rows = list(
        queue_dossiers(
            viewer=user,
            conditions=queue_conditions(viewer=user, membership=membership(user), now=NOW),
            queue="unit",
            filters=QueueFilters(),
        )
    )
    dues = [d.due_at for d in rows if d.due_at is not None]
    assert dues == sorted(dues)
    assert rows[0] == desk.overdue
    assert rows[-1] == desk.reception  # submitted online: no due time yet


def _search(world: World, **filters: object) -> set[object]:
    user = world.user("counter_a")
    rows = queue_dossiers(
        viewer=user,
        conditions=queue_conditions(viewer=user, membership=membership(user), now=NOW),
        queue="unit",
        filters=QueueFilters(**filters),  # type: ignore[arg-type]
    )
    return {d.pk for d in rows}


def test_search_by_name_typed_without_diacritics(world: World, desk: Desk) -> None:
    DossierFactory(agency=world.desk_a, procedure=world.birth, full_name="Đặng Thị Hường", at=NOW)
    found = _search(world, q="dang thi huong")
    assert len(found) == 1
    assert Dossier.objects.get(pk=found.pop()).applicant_name == "Đặng Thị Hường"
    assert len(_search(world, q="Nguyễn Văn")) == 8  # the factory's default name, with accents


def test_search_by_code_phone_and_id_number(world: World, desk: Desk) -> None:
    assert _search(world, q=desk.mine.code) == {desk.mine.pk}
    phone = desk.payment.applicant_phone
    assert _search(world, q=f"{phone[:4]} {phone[4:7]} {phone[7:]}") == {desk.payment.pk}
    assert _search(world, q=desk.ready.applicant_id_number) == {desk.ready.pk}
    assert _search(world, q=desk.other_desk.code) == set()  # not ours, not even by its code


def test_filters_by_channel_procedure_sector_and_dates(world: World, desk: Desk) -> None:
    assert _search(world, channel=Channel.ONLINE) == {desk.reception.pk}
    assert len(_search(world, channel=Channel.COUNTER)) == 7
    assert len(_search(world, procedure=world.birth.code)) == 8
    assert _search(world, procedure=world.permit.code) == set()
    assert len(_search(world, sector="HT")) == 8
    assert _search(world, sector="XD") == set()
    day = NOW.date()
    assert _search(
        world, date_from=day - dt.timedelta(days=5), date_to=day - dt.timedelta(days=5)
    ) == {desk.overdue.pk}
    assert desk.overdue.pk not in _search(world, date_from=day - dt.timedelta(days=1))


# --- Pages ----------------------------------------------------------------------------------


def test_queue_page_shows_counts_and_links_rows_to_the_dossier_screen(
    client: Client, world: World, desk: Desk
) -> None:
    office_login(client, world.user("counter_a"))

    body = client.get("/can-bo/?queue=unit").content.decode()

    assert 'id="count-unit">8<' in body
    # Each row shows an applicant: the reads are recorded, one per dossier shown.
    assert set(
        PersonalDataAccess.objects.filter(
            user=world.user("counter_a"), channel="office"
        ).values_list("dossier_id", flat=True)
    ) == set(
        Dossier.objects.filter(agency=world.desk_a)
        .exclude(status=Status.RETURNED)
        .values_list("pk", flat=True)
    )
    assert 'id="count-reception">1<' in body
    assert f'href="/can-bo/ho-so/{desk.mine.pk}/"' in body
    assert desk.other_desk.code not in body


def test_htmx_request_gets_only_the_results(client: Client, world: World, desk: Desk) -> None:
    office_login(client, world.user("counter_a"))

    response = client.post(
        "/can-bo/", {"queue": "unit", "channel": "online"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in body
    assert desk.reception.code is None
    assert f"/can-bo/ho-so/{desk.reception.pk}/" in body
    assert f"/can-bo/ho-so/{desk.mine.pk}/" not in body


def test_bad_filter_values_are_shown_as_errors_not_crashes(
    client: Client, world: World, desk: Desk
) -> None:
    office_login(client, world.user("counter_a"))

    response = client.post(
        "/can-bo/", {"queue": "unit", "date_from": "2026-11-20", "date_to": "2026-11-01"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "error-summary" in body
    assert "Ngày kết thúc phải sau ngày bắt đầu." in body


def _queries(client: Client, url: str, data: dict[str, str] | None = None) -> int:
    # Warm the per-process caches first (the built working calendars, reloaded when another
    # test changed them): the count compared is that of a request in steady state.
    client.post(url, data) if data is not None else client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_search_is_posted_so_no_personal_data_reaches_the_address(
    client: Client, world: World, desk: Desk
) -> None:
    office_login(client, world.user("counter_a"))

    page = client.get("/can-bo/?queue=unit").content.decode()
    response = client.post("/can-bo/", {"queue": "unit", "q": "nguyen van an"})

    assert 'method="post"' in page
    assert "{#" not in page  # no template comment leaks into the page
    assert 'hx-post="/can-bo/"' in page
    assert response.status_code == 200
    assert f"/can-bo/ho-so/{desk.mine.pk}/" in response.content.decode()
    assert "?q=" not in page
    assert "&amp;q=" not in response.content.decode()


def test_pages_of_a_long_queue_keep_the_filters(client: Client, world: World) -> None:
    for i in range(30):
        DossierFactory(agency=world.desk_a, procedure=world.birth, at=NOW + dt.timedelta(minutes=i))
    DossierFactory(agency=world.desk_a, procedure=world.birth, full_name="Võ Văn Tám", at=NOW)
    office_login(client, world.user("counter_a"))

    first = client.post("/can-bo/", {"queue": "unit", "q": "nguyen"}).content.decode()
    second = client.post("/can-bo/", {"queue": "unit", "q": "nguyen", "page": "2"})

    assert first.count("/can-bo/ho-so/") == 25
    assert 'form="queue-filters" name="page" value="2"' in first
    assert second.content.decode().count("/can-bo/ho-so/") == 5
    assert "Võ Văn Tám" not in second.content.decode()


def test_queue_page_query_count_does_not_grow_with_rows(
    client: Client, world: World, desk: Desk, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    office_login(client, world.user("counter_a"))
    url = "/can-bo/"
    search = {"queue": "unit", "q": "nguyen", "channel": "counter", "sector": "HT"}
    few = _queries(client, url, search)
    for _ in range(20):
        DossierFactory(
            agency=world.desk_a,
            procedure=world.birth,
            status=Status.PROCESSING,
            assignee=world.user("counter_a"),
        )
    many = _queries(client, url, search)

    assert few == many
    # session, user, memberships, visibility scope, calendar revision, procedure and sector
    # choices, the counts, the page's count and rows, the audit INSERT.
    with django_assert_max_num_queries(11):
        client.post(url, search)


def test_dossier_screen_query_count_does_not_grow_with_history(
    client: Client, world: World, desk: Desk
) -> None:
    from motcua.dossiers.tests.factories import DocumentFactory, DossierEventFactory

    office_login(client, world.user("counter_a"))
    url = f"/can-bo/ho-so/{desk.mine.pk}/"
    few = _queries(client, url)
    for _ in range(5):
        DossierEventFactory(dossier=desk.mine, note="Ghi chú")
        DocumentFactory(dossier=desk.mine)

    # No more (a receipt with scans attached lists them in one read with their documents,
    # instead of reading the procedure's list: one query fewer).
    assert _queries(client, url) <= few


def test_membership_switcher_changes_the_queues_and_the_shell(
    client: Client, world: World, desk: Desk
) -> None:
    user = world.user("counter_a")
    second = Membership.objects.create(user=user, agency=world.commune_a, role="specialist")
    office_login(client, user)
    assert 'id="count-reception"' in client.get("/can-bo/").content.decode()

    client.post("/can-bo/vai-tro/", {"membership": second.pk})

    body = client.get("/can-bo/").content.decode()
    assert 'id="count-reception"' not in body
    assert "Chuyên viên" in body
    assert "Ủy ban nhân dân xã An Bình" in body
    assert 'id="count-unit">3<' in body

    other = Membership.objects.get(user=world.user("counter_b"))
    client.post("/can-bo/vai-tro/", {"membership": other.pk})  # not theirs: ignored
    assert client.session["backoffice_membership"] == second.pk


# --- Visibility -----------------------------------------------------------------------------


STAFF = sorted(EXPECTED)


@pytest.mark.parametrize("username", STAFF)
def test_an_officer_never_reaches_a_dossier_outside_their_visibility(
    client: Client, world: World, desk: Desk, username: str
) -> None:
    user = world.user(username)
    visible = set(dossier_visible(viewer=user).values_list("pk", flat=True))
    conditions = queue_conditions(viewer=user, membership=membership(user), now=NOW)
    for key in conditions:
        listed = queue_dossiers(
            viewer=user, conditions=conditions, queue=key, filters=QueueFilters()
        )
        assert {d.pk for d in listed} <= visible, key

    office_login(client, user)
    for dossier in Dossier.objects.all():
        response = client.get(f"/can-bo/ho-so/{dossier.pk}/")
        assert response.status_code == (200 if dossier.pk in visible else 404), (
            username,
            dossier.code,
        )


def test_counter_officer_cannot_open_another_desks_dossier(
    client: Client, world: World, desk: Desk
) -> None:
    office_login(client, world.user("counter_a"))

    assert client.get(f"/can-bo/ho-so/{desk.other_desk.pk}/").status_code == 404
    response = client.post("/can-bo/", {"queue": "unit", "q": desk.other_desk.code})
    body = response.content.decode()
    assert f"/can-bo/ho-so/{desk.other_desk.pk}/" not in body
    assert "Không có hồ sơ nào." in body


def test_dossier_screen_shows_details_history_and_available_actions(
    client: Client, world: World, desk: Desk
) -> None:
    from motcua.dossiers.tests.factories import DossierEventFactory

    DossierEventFactory(dossier=desk.reception, action="submit", note="")
    office_login(client, world.user("counter_a"))

    body = client.get(f"/can-bo/ho-so/{desk.reception.pk}/").content.decode()

    assert "Đăng ký khai sinh" in body
    assert desk.reception.applicant_name in body
    assert "Nộp hồ sơ" in body  # the history
    assert "Tiếp nhận" in body
    assert "Từ chối tiếp nhận" in body
    assert PersonalDataAccess.objects.filter(
        user=world.user("counter_a"), dossier=desk.reception, channel="office"
    ).exists()
