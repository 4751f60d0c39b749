"""The demo accounts (password ``motcua-demo``), created only by the demo loader.

``DEMO_ACCOUNTS`` is the table of ``API.md`` ("Demo data"); ``seed_accounts`` writes it and
``manage.py demo_accounts`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password

from motcua.accounts.constants import Role, UserKind
from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency

from . import structure

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - published demo password, never used in production


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    kind: str
    email: str
    phone: str
    role: str | None = None
    agency: str | None = None  # agency code of the membership
    superuser: bool = False


def demo_accounts() -> tuple[DemoAccount, ...]:
    """The demo accounts, in the order ``demo_accounts`` prints them."""
    commune = structure.first_commune()
    staff = UserKind.STAFF.value
    citizen = UserKind.CITIZEN.value
    construction = structure.department_code(structure.CONSTRUCTION_DEPARTMENT)
    return (
        DemoAccount(
            username="admin",
            full_name="Quản trị hệ thống",
            kind=staff,
            email="admin@motcua.example",
            phone="0900000000",
            role=Role.ADMINISTRATOR,
            agency=structure.PROVINCE_CODE,
            superuser=True,
        ),
        DemoAccount(
            username="tiepnhan",
            full_name="Nguyễn Thị Thu Hà",
            kind=staff,
            email="tiepnhan@motcua.example",
            phone="0900000001",
            role=Role.COUNTER_OFFICER,
            agency=structure.SERVICE_CENTER_CODE,
        ),
        DemoAccount(
            username="chuyenvien",
            full_name="Trần Minh Tuấn",
            kind=staff,
            email="chuyenvien@motcua.example",
            phone="0900000002",
            role=Role.SPECIALIST,
            agency=construction,
        ),
        DemoAccount(
            username="lanhdao",
            full_name="Lê Văn Phúc",
            kind=staff,
            email="lanhdao@motcua.example",
            phone="0900000003",
            role=Role.LEADER,
            agency=construction,
        ),
        DemoAccount(
            username="tiepnhan.xa",
            full_name="Phạm Thị Ngọc Hân",
            kind=staff,
            email="tiepnhan.xa@motcua.example",
            phone="0900000004",
            role=Role.COUNTER_OFFICER,
            agency=commune.service_center_code,
        ),
        DemoAccount(
            username="chuyenvien.xa",
            full_name="Võ Thanh Tùng",
            kind=staff,
            email="chuyenvien.xa@motcua.example",
            phone="0900000005",
            role=Role.SPECIALIST,
            agency=commune.agency_code,
        ),
        DemoAccount(
            username="lanhdao.xa",
            full_name="Huỳnh Văn Lợi",
            kind=staff,
            email="lanhdao.xa@motcua.example",
            phone="0900000006",
            role=Role.LEADER,
            agency=commune.agency_code,
        ),
        DemoAccount(
            # A youth volunteer (thanh niên tình nguyện) at the commune's one-stop desk: files
            # online on a citizen's behalf, recorded as assisted (ADR 0008).
            username="tinhnguyen.xa",
            full_name="Trương Minh Khang",
            kind=staff,
            email="tinhnguyen.xa@motcua.example",
            phone="0900000008",
            role=Role.ASSISTANT,
            agency=commune.service_center_code,
        ),
        DemoAccount(
            username="giamsat",
            full_name="Đặng Thị Mai",
            kind=staff,
            email="giamsat@motcua.example",
            phone="0900000007",
            role=Role.SUPERVISOR,
            agency=structure.PROVINCE_CODE,
        ),
        DemoAccount(
            username="congdan",
            full_name="Nguyễn Văn An",
            kind=citizen,
            email="congdan@example.com",
            phone="0912000001",
        ),
        DemoAccount(
            username="congdan2",
            full_name="Trần Thị Bích Ngọc",
            kind=citizen,
            email="congdan2@example.com",
            phone="0912000002",
        ),
    )


def seed_accounts() -> list[str]:
    """Create or bring up to date every demo account and its role; outcomes per account.

    Passwords are reset to ``DEMO_PASSWORD`` only when they no longer match it, so a second run
    changes nothing. All demo accounts share one hash (same published password): one slow hash
    per run instead of one per account."""
    agencies = {
        a.code: a
        for a in Agency.objects.filter(
            code__in=[account.agency for account in demo_accounts() if account.agency]
        )
    }
    verified: dict[str, bool] = {}
    hashed: list[str] = []

    def demo_hash() -> str:
        if not hashed:
            hashed.append(make_password(DEMO_PASSWORD))
        return hashed[0]

    outcomes = []
    for account in demo_accounts():
        user = User.objects.filter(username=account.username).first()
        wanted = {
            "kind": account.kind,
            "full_name": account.full_name,
            "email": account.email,
            "phone": account.phone,
            "is_active": True,
            "is_staff": account.superuser,
            "is_superuser": account.superuser,
        }
        if user is None:
            user = User(username=account.username, password=demo_hash(), **wanted)
            user.save()
            outcome = "created"
        else:
            changed = [key for key, value in wanted.items() if getattr(user, key) != value]
            if user.password not in verified:
                verified[user.password] = check_password(DEMO_PASSWORD, user.password)
            if not verified[user.password]:
                user.password = demo_hash()
                changed.append("password")
            for key in changed:
                if key != "password":
                    setattr(user, key, wanted[key])
            if changed:
                user.save(update_fields=changed)
            outcome = "updated" if changed else "unchanged"
        if account.role and account.agency:
            membership, created = Membership.objects.get_or_create(
                user=user, agency=agencies[account.agency], role=account.role
            )
            reactivated = not created and not membership.is_active
            if reactivated:
                membership.is_active = True
                membership.save(update_fields=["is_active"])
            if (created or reactivated) and outcome == "unchanged":
                outcome = "updated"
        outcomes.append(outcome)
    return outcomes
