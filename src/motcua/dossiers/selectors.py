"""Reads of dossiers, always limited to what the viewer may see (API.md "Dossiers").

Visibility lives here and only here:
- a citizen sees the dossiers they own; an assistant those they filed;
- a counter officer, specialist or leader sees the dossiers received by, held by or routed
  through their agencies (drafts excepted: a draft is the applicant's own);
- a supervisor or administrator sees every dossier whose receiving, holding or routing agency is
  in the subtree of theirs; a superuser sees all.
Anything else is invisible, which the API answers with 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from motcua.accounts.constants import MEMBERSHIPS, Role, UserKind
from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency
from motcua.core.compiled import CompiledQuery

from .constants import Actor, Status
from .models import Document, Dossier, DossierAgency, DossierEvent, DossierStep

Viewer = User | AnonymousUser

# Statuses in which the receiving desk acts whoever holds the dossier (see actor_roles); in the
# terminal ones it can do nothing, but it is still the desk (409, not 403).
DESK_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.WITHDRAWAL_REQUESTED,
        Status.RESOLVED,
        Status.RETURNED,
        Status.STOPPED,
        Status.REFUSED,
    }
)
HANDLING_ROLES = {Role.COUNTER_OFFICER, Role.SPECIALIST, Role.LEADER}
OVERSIGHT_ROLES = {Role.SUPERVISOR, Role.ADMINISTRATOR}


@dataclass(frozen=True)
class StaffScope:
    """A staff member's roles by agency id, and the subtrees they oversee (agency paths)."""

    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    oversight_paths: tuple[str, ...] = ()

    @property
    def handling_agency_ids(self) -> set[int]:
        return {agency_id for agency_id, roles in self.roles.items() if roles & HANDLING_ROLES}

    def has(self, agency_id: int | None, role: str) -> bool:
        return agency_id is not None and role in self.roles.get(agency_id, frozenset())


_MEMBERSHIPS = CompiledQuery(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .order_by()
        .values_list("agency_id", "role", "agency__path")
    ),
    int_params=("user_id",),
)


def staff_scope(user: Viewer) -> StaffScope:
    if not isinstance(user, User) or not user.is_authenticated:
        return StaffScope()
    cached: StaffScope | None = getattr(user, "_motcua_scope", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    paths: list[str] = []
    # API requests have them already, loaded with the token (accounts.authentication).
    memberships = user.__dict__.get(MEMBERSHIPS)
    if memberships is None:
        memberships = _MEMBERSHIPS.rows(user_id=user.pk)
    for agency_id, role, path in memberships:
        roles.setdefault(agency_id, set()).add(role)
        if role in OVERSIGHT_ROLES:
            paths.append(path)
    scope = StaffScope({k: frozenset(v) for k, v in roles.items()}, tuple(sorted(paths)))
    user.__dict__["_motcua_scope"] = scope  # memo for the rest of the request
    return scope


def _oversight_q(prefix: str, paths: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def dossier_visible(*, viewer: Viewer) -> QuerySet[Dossier]:
    """Every dossier the viewer may see (unordered, no joins): the base of every dossier read."""
    qs = Dossier.objects.all()
    if not isinstance(viewer, User) or not viewer.is_authenticated or not viewer.is_active:
        return qs.none()
    if viewer.is_superuser:
        return qs
    scope = staff_scope(viewer)
    own = Q(owner=viewer) | Q(assisted_by=viewer)
    handling = scope.handling_agency_ids
    conditions = own
    if handling:
        routed = DossierAgency.objects.filter(dossier=OuterRef("pk"), agency_id__in=handling)
        conditions |= ~Q(status=Status.DRAFT) & (
            Q(agency_id__in=handling) | Q(current_agency_id__in=handling) | Q(Exists(routed))
        )
    if scope.oversight_paths:
        subtree = Agency.objects.filter(_oversight_q("", scope.oversight_paths)).values("pk")
        routed_subtree = DossierAgency.objects.filter(dossier=OuterRef("pk"), agency_id__in=subtree)
        conditions |= ~Q(status=Status.DRAFT) & (
            Q(agency_id__in=subtree) | Q(current_agency_id__in=subtree) | Q(Exists(routed_subtree))
        )
    return qs.filter(conditions)


def _with_relations(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related(
        "procedure",
        "agency__parent",
        "current_agency__parent",
        "assignee",
        "current_step__agency",
        "owner",
    ).prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("uploaded_at")),
    )


def dossier_get(*, viewer: Viewer, code_or_id: str) -> Dossier | None:
    """One visible dossier by its code or its id, or None (the API answers 404)."""
    qs = _with_relations(dossier_visible(viewer=viewer))
    try:
        as_uuid = uuid.UUID(code_or_id)
    except ValueError:
        return qs.filter(code=code_or_id).first()
    return qs.filter(pk=as_uuid).first()


def dossier_list(*, viewer: Viewer, filters: dict[str, Any] | None = None) -> QuerySet[Dossier]:
    from motcua.core.text import fold

    filters = filters or {}
    qs = dossier_visible(viewer=viewer)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if agency := filters.get("agency"):
        qs = qs.filter(Q(agency__code=agency) | Q(current_agency__code=agency))
    if procedure := filters.get("procedure"):
        qs = qs.filter(procedure__code=procedure)
    if filters.get("assigned_to_me") and isinstance(viewer, User):
        qs = qs.filter(assignee=viewer)
    if due_before := filters.get("due_before"):
        qs = qs.filter(due_at__lt=due_before)
    if (overdue := filters.get("overdue")) is not None:
        from django.utils import timezone

        pending = Q(status__in=[Status.RECEIVED, Status.PROCESSING], due_at__lt=timezone.now())
        qs = qs.filter(pending) if overdue else qs.exclude(pending)
    if q := (filters.get("q") or "").strip():
        folded = fold(q)
        qs = qs.filter(
            Q(code__iexact=q)
            | Q(code__istartswith=q)
            | Q(applicant_name_folded__contains=folded)
            | Q(applicant_phone=q)
            | Q(applicant_id_number=q)
        )
    # Work first: the soonest due at the top; dossiers without a due time (drafts, submissions,
    # refusals) after them, newest first.
    return _with_relations(qs).order_by(F("due_at").asc(nulls_last=True), "-created_at")


def dossier_events(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("seq")


def dossier_steps(*, dossier: Dossier) -> QuerySet[DossierStep]:
    return DossierStep.objects.filter(dossier=dossier).select_related(
        "agency", "assignee", "handed_over_by", "finished_by"
    )


def assignable_officers(*, agency_id: int) -> QuerySet[User]:
    """The staff a dossier held by this agency may be assigned to: active accounts with an active
    counter, specialist or leader membership there, by name."""
    return (
        User.objects.filter(
            is_active=True,
            kind=UserKind.STAFF,
            memberships__agency_id=agency_id,
            memberships__is_active=True,
            memberships__role__in=HANDLING_ROLES,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def actor_roles(*, viewer: Viewer, dossier: Dossier) -> set[Actor]:
    """The roles the viewer holds *on this dossier*, as the status machine sees them."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return set()
    roles: set[Actor] = set()
    # The owner, or the assistant who filed it for a consenting citizen, acts as the applicant.
    if viewer.pk in {dossier.owner_id, dossier.assisted_by_id}:
        roles.add(Actor.APPLICANT)
    scope = staff_scope(viewer)
    # The agency that holds the dossier now (its current step) processes it, a counter step
    # there included. The receiving desk keeps the desk's own work while another agency holds
    # it — checking a submission, taking papers or cash for a waiting dossier, confirming a
    # withdrawal, handing over the result — but never acts in another agency's processing.
    if scope.has(dossier.current_agency_id, Role.COUNTER_OFFICER) or (
        scope.has(dossier.agency_id, Role.COUNTER_OFFICER)
        and (dossier.current_agency_id == dossier.agency_id or dossier.status in DESK_STATUSES)
    ):
        roles.add(Actor.COUNTER_OFFICER)
    if scope.has(dossier.current_agency_id, Role.SPECIALIST):
        roles.add(Actor.SPECIALIST)
    if scope.has(dossier.current_agency_id, Role.LEADER):
        roles.add(Actor.LEADER)
    return roles


def dossier_track(*, code: str) -> Dossier | None:
    """Public tracking: a dossier by its code only (never by id), drafts excluded."""
    return (
        Dossier.objects.select_related("procedure", "agency__parent")
        .exclude(status=Status.DRAFT)
        .filter(code=code)
        .first()
    )


TRACKING_FIELDS = (
    "code",
    "status",
    "received_at",
    "due_at",
    "resolved_at",
    "returned_at",
    "timeliness",
    "applicant_name",
    "procedure__code",
    "procedure__name",
    "agency__code",
    "agency__name",
    "agency__level_id",
    "agency__parent__code",
    "agency__is_service_center",
)


_TRACK_SUMMARY = CompiledQuery(
    lambda code: (
        Dossier.objects.filter(code=code)
        .exclude(status=Status.DRAFT)
        .order_by()
        .values(*TRACKING_FIELDS)[:1]
    ),
    columns=TRACKING_FIELDS,
    params=("code",),
)


def dossier_track_summary(*, code: str) -> dict[str, Any] | None:
    """The columns public tracking shows, in one narrow query compiled once (the API's hottest
    path; see core.compiled)."""
    return _TRACK_SUMMARY.one(code=code)


_ACCESS_FACTS = ("pk", "owner_id", "assisted_by_id", "agency_id", "current_agency_id", "status")
_ACCESS_FACTS_BY_ID = CompiledQuery(
    lambda pk: Dossier.objects.filter(pk=pk).order_by().values_list(*_ACCESS_FACTS)[:1],
    uuid_params=("pk",),
)
_ACCESS_FACTS_BY_CODE = CompiledQuery(
    lambda code: Dossier.objects.filter(code=code).order_by().values_list(*_ACCESS_FACTS)[:1],
    params=("code",),
)


def dossier_visible_id(*, viewer: Viewer, code_or_id: str) -> uuid.UUID | None:
    """The id of a dossier the viewer may see, by code or id, without loading it.

    The same answer as ``dossier_visible``. The common cases are decided from the row's own
    columns (one indexed lookup): the applicant's own dossier, or a dossier received or held by
    one of the viewer's handling agencies. Anything else (routes of liên thông, oversight of a
    subtree, refusals) asks the full visibility query."""
    if not isinstance(viewer, User) or not viewer.is_authenticated or not viewer.is_active:
        return None
    try:
        row = _ACCESS_FACTS_BY_ID.first_row(pk=uuid.UUID(code_or_id))
    except ValueError:
        row = _ACCESS_FACTS_BY_CODE.first_row(code=code_or_id)
    if row is None:
        return None
    pk, owner_id, assisted_by_id, agency_id, current_agency_id, status = row
    if viewer.is_superuser or viewer.pk in {owner_id, assisted_by_id}:
        return pk
    handling = staff_scope(viewer).handling_agency_ids
    if status != Status.DRAFT and {agency_id, current_agency_id} & handling:
        return pk
    ids = list(dossier_visible(viewer=viewer).order_by().filter(pk=pk).values_list("pk", flat=True))
    return ids[0] if ids else None
