"""Dossier codes ``{agency code}-{YYMMDD}-{NNNN}`` (API.md): per agency, per day, unique forever."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .models import DossierCodeCounter

SEQUENCE_WIDTH = 4


def format_code(agency_code: str, day: dt.date, sequence: int) -> str:
    """``format_code("H56.12", 2026-11-26, 7) == "H56.12-261126-0007"``; more digits past 9999."""
    return f"{agency_code}-{day:%y%m%d}-{sequence:0{SEQUENCE_WIDTH}d}"


def next_sequence(*, agency_code: str, day: dt.date) -> int:
    """Take the next number of the agency's daily sequence.

    One atomic upsert statement: concurrent receipts at the same agency in the same second each
    get their own number on PostgreSQL (row lock on conflict) and on SQLite (one writer at a
    time). Call it inside the transaction that saves the dossier, so a rolled-back receipt does
    not leave a number used (a gap would be harmless, but there is none).
    """
    table = DossierCodeCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            "ON CONFLICT (agency_code, day) DO UPDATE SET last = "
            f"{table}.last + 1 RETURNING last",
            [agency_code, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def dossier_code_issue(*, agency_code: str, day: dt.date) -> str:
    return format_code(agency_code, day, next_sequence(agency_code=agency_code, day=day))
