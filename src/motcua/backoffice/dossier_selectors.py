"""Reads for the dossier screen of the back office: where a dossier can be forwarded and to whom,
its hand-overs (the control slip), and which of the six slips it has.

The dossier itself is always read through ``dossiers.selectors`` (visibility lives there); these
functions take a dossier already fetched for the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.slips import SLIP_KINDS, HandoverRow
from motcua.dossiers.slips.builders import SlipUnavailable, handover_rows, slip_data_for
from motcua.workflow.selectors import StepAgencyUnresolved, process_steps, step_agency


@dataclass(frozen=True)
class ForwardTarget:
    """A later step of the dossier's process, the agency that does it and who could take it."""

    position: int
    name: str
    role: str
    agency: Agency
    candidates: tuple[User, ...]


def forward_targets(*, dossier: Dossier) -> list[ForwardTarget]:
    """The steps after the current one (the service accepts any later step), each with the
    active members of its agency who hold the step's role (all its members if none does)."""
    if dossier.process_id is None:
        return []
    position = dossier.current_step.position if dossier.current_step is not None else 0
    later = [s for s in process_steps(process=dossier.process_id) if s.position > position]
    resolved: list[tuple[int, str, str, Agency]] = []
    for step in later:
        try:
            agency = step_agency(step=step, receiving=dossier.agency)
        except StepAgencyUnresolved:
            continue  # the service would refuse it too; it is not offered
        resolved.append((step.position, step.name, step.role, agency))
    members = list(
        Membership.objects.filter(
            agency_id__in={agency.pk for *_, agency in resolved},
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    targets = []
    for position, name, role, agency in resolved:
        here = [m for m in members if m.agency_id == agency.pk]
        matching = [m.user for m in here if m.role == role] or [m.user for m in here]
        unique = list({u.pk: u for u in matching}.values())
        targets.append(ForwardTarget(position, name, role, agency, tuple(unique)))
    return targets


def dossier_handovers(*, dossier: Dossier, steps: list[DossierStep]) -> tuple[HandoverRow, ...]:
    """The rows of the control slip (Mẫu 06), exactly as the printed slip lists them."""
    return handover_rows(dossier, steps)


def slip_kinds(*, dossier: Dossier) -> list[str]:
    """The slips (of ``SLIP_KINDS``) this dossier has now, in the order of Mẫu 01-06.

    Asks the slip builders themselves (a slip exists when its data can be built), so the screen
    offers exactly the slips the PDF view serves: no second statement of when a slip exists.
    A fixed handful of reads, whatever the history.
    """
    kinds = []
    for kind in SLIP_KINDS:
        try:
            slip_data_for(dossier, kind, public_url="", now=timezone.now())
        except SlipUnavailable:
            continue
        kinds.append(kind)
    return kinds


def officer_names(*, usernames: set[str]) -> dict[str, str]:
    """Each username's full name (the username where none is set), in one query: the names
    the history shows for a reassignment, which records usernames."""
    if not usernames:
        return {}
    return {
        username: full_name or username
        for username, full_name in User.objects.filter(username__in=usernames).values_list(
            "username", "full_name"
        )
    }
