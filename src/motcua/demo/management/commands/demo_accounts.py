"""``manage.py demo_accounts``: print the demo accounts (``make demo`` shows them before serving)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.accounts.constants import Role, UserKind
from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.demo.accounts import DEMO_PASSWORD, demo_accounts

HEADER = ("tên đăng nhập / username", "vai trò / role", "cơ quan / agency", "mật khẩu / password")


class Command(BaseCommand):
    help = "In danh sách tài khoản mẫu. Print the demo accounts: username, role, agency, password."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts()
        existing = set(
            User.objects.filter(username__in=[a.username for a in accounts]).values_list(
                "username", flat=True
            )
        )
        if not existing:
            self.stdout.write(
                "Chưa có tài khoản mẫu; hãy chạy seed_demo. "
                "No demo accounts yet: run manage.py seed_demo."
            )
            return
        names = dict(
            Agency.objects.filter(code__in=[a.agency for a in accounts if a.agency]).values_list(
                "code", "short_name"
            )
        )
        rows = [HEADER]
        for account in accounts:
            if account.username not in existing:
                continue
            if account.role:
                role = str(Role(account.role).label)
                agency = f"{account.agency} {names.get(account.agency or '', '')}".strip()
            else:
                role = str(UserKind(account.kind).label)
                agency = "—"
            rows.append((account.username, role, agency, DEMO_PASSWORD))
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
