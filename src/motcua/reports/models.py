"""Roll-ups of the statistics (PostgreSQL): each receiving agency's flow figures per local day,
refreshed every minute by ``manage.py reports_refresh`` (docs/adr/0010, "Roll-ups")."""

from __future__ import annotations

from django.db import models


class DailyFigures(models.Model):
    """What happened at one receiving agency on one local day (Asia/Ho_Chi_Minh): each flow of
    ``reports.indicators.Counts`` counted on the day of its own time."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    online_received = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    # Stopped after receipt (the others never counted as received or pending).
    stopped_received = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="reports_daily_agency_day")
        ]
        indexes = [models.Index(fields=["day"], name="reports_daily_day_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"


class RollupState(models.Model):
    """One row: until when the roll-up is complete (``refreshed_at``: every flow before it is
    counted), and the last full rebuild."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="reports_rollup_one")]

    def __str__(self) -> str:
        return f"roll-up refreshed at {self.refreshed_at}"


class PendingFigures(models.Model):
    """Each receiving agency's open dossiers at the last refresh (``RollupState.refreshed_at``):
    not yet due and overdue, as ``selectors.count_expressions`` counts them at that moment."""

    agency = models.OneToOneField("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    pending_not_due = models.PositiveIntegerField(default=0)
    pending_overdue = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.pending_not_due} + {self.pending_overdue}"
