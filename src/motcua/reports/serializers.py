"""The statistics' JSON (documentation for the schema; the payload is built by hand)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from .selectors import Summary


class FiguresSerializer(serializers.Serializer[dict[str, Any]]):
    received = serializers.IntegerField(help_text="Received in the period.")
    carried_over = serializers.IntegerField(help_text="Received before, unfinished at its start.")
    online_received = serializers.IntegerField()
    resolved_early = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    resolved_late = serializers.IntegerField(help_text="Against original_due_at.")
    pending_not_due = serializers.IntegerField(help_text="Unfinished at as_of, not overdue.")
    pending_overdue = serializers.IntegerField()
    returned = serializers.IntegerField()
    refused = serializers.IntegerField(help_text="Submitted in the period and refused.")
    stopped = serializers.IntegerField()
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="Percent of resolved: early + on time."
    )
    online_rate = serializers.FloatField(allow_null=True, help_text="Percent of received.")
    satisfaction_avg = serializers.FloatField(
        allow_null=True, help_text="Mean rating 1–5 of dossiers returned in the period."
    )


class GroupSerializer(FiguresSerializer):
    key = serializers.CharField(help_text="Agency, sector or procedure code, or YYYY-MM.")
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer[dict[str, Any]]):
    from_ = serializers.DateField()
    to = serializers.DateField()
    as_of = serializers.DateTimeField(help_text="When pending figures are taken.")
    agency = serializers.CharField(allow_null=True)
    include_descendants = serializers.BooleanField()
    group_by = serializers.CharField(allow_null=True)
    results = GroupSerializer(many=True)
    total = FiguresSerializer()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


def summary_payload(summary: Summary, *, as_of: dt.datetime) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "from": summary.period.first.isoformat(),
        "to": summary.period.last.isoformat(),
        "as_of": timezone.localtime(as_of).isoformat(),
        "agency": summary.agency.code if summary.agency else None,
        "include_descendants": summary.include_descendants,
        "group_by": summary.group_by,
        "results": [row.payload() for row in summary.rows],
        "total": summary.total.summary(),
    }
