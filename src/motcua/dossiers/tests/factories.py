"""factory_boy factories for dossiers and their parts, shared by every app's tests.

Agencies and procedures come from the catalogue factories (``motcua.catalog.tests.factories``),
users are ``motcua.accounts.models.User``. A dossier's columns follow its ``status``, so that the
database's check constraints hold: from ``received`` on it has a code, ``received_at`` and
``due_at``; paused statuses have ``clock_paused_at``; ``resolved``/``returned`` have their times.
Times are anchored at the ``at`` parameter (default: now). ``due_at`` is simply three days after
receipt: tests of deadlines compute theirs with the working calendars.

History events and personal-data access records are written through ``motcua.dossiers.history``
(never built by hand), so their hash chain is always valid.

Examples::

    DossierFactory()                                    # received at a commune counter just now
    DossierFactory(status=Status.PROCESSING, at=when)   # received at ``when``, being handled
    DossierFactory(draft=True)                          # a citizen's online draft, no code
    DossierFactory(with_history=True)                   # plus its first event, chained
    DossierEventFactory(dossier=d, action=Action.FORWARD, note="Chuyển chuyên viên")
    MembershipFactory(agency=d.current_agency, role=Role.SPECIALIST).user
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from factory.django import DjangoModelFactory

from motcua.accounts.constants import Role, UserKind
from motcua.accounts.models import Membership, User
from motcua.catalog.tests.factories import AgencyFactory, ProcedureFactory
from motcua.core.text import fold
from motcua.dossiers.constants import Action, Channel, Delivery, Status, Timeliness
from motcua.dossiers.history import event_append, record_personal_data_access
from motcua.dossiers.models import (
    Document,
    Dossier,
    DossierAgency,
    DossierEvent,
    DossierStep,
    PersonalDataAccess,
    Rating,
)
from motcua.workflow.constants import StepRole

PASSWORD = "motcua-test"
PROCESSING_TIME = dt.timedelta(days=3)

NOT_RECEIVED = frozenset({Status.DRAFT, Status.SUBMITTED, Status.REFUSED})
PAUSED = frozenset(
    {Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED, Status.WITHDRAWAL_REQUESTED}
)
RESOLVED = frozenset({Status.RESOLVED, Status.RETURNED})

# The smallest PDF a sniffer accepts as such: enough for storage, hashing and downloads.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _received(o: Any) -> bool:
    return o.status not in NOT_RECEIVED


def _first_action(dossier: Dossier) -> str:
    """What the services record first: ``create`` for a draft, then ``submit`` or ``receive``."""
    if dossier.status == Status.DRAFT:
        return "create"
    return Action.SUBMIT if dossier.status in NOT_RECEIVED else Action.RECEIVE


class UserFactory(DjangoModelFactory[User]):
    """A citizen account (password ``motcua-test``); ``staff=True`` for a staff member."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n + 1}")
    full_name = factory.Sequence(lambda n: f"Trần Thị Bình {n + 1}")
    phone = factory.Sequence(lambda n: f"09{n + 1:08d}")
    kind = UserKind.CITIZEN
    password = factory.django.Password(PASSWORD)

    class Params:
        staff = factory.Trait(
            kind=UserKind.STAFF,
            username=factory.Sequence(lambda n: f"canbo{n + 1}"),
            full_name=factory.Sequence(lambda n: f"Lê Văn Cường {n + 1}"),
        )


class MembershipFactory(DjangoModelFactory[Membership]):
    """A staff member's role in an agency (a counter officer of a commune unless told)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, staff=True)
    agency = factory.SubFactory(AgencyFactory, commune=True)
    role = Role.COUNTER_OFFICER
    is_active = True


class DossierFactory(DjangoModelFactory[Dossier]):
    """A dossier for a procedure its agency handles; ``received`` at the counter unless told.

    ``status=...`` sets the columns that status implies; traits ``draft`` and ``submitted`` make
    a citizen's online dossier, ``online`` any status online, ``with_history`` adds the first event.
    Parameters: ``at`` (time of receipt/submission), ``full_name``, ``id_number``, ``phone``.
    """

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    class Params:
        at = factory.LazyFunction(timezone.now)
        full_name = "Nguyễn Văn An"
        id_number = factory.Sequence(lambda n: f"0010{n + 1:08d}")
        phone = factory.Sequence(lambda n: f"08{n + 1:08d}")

        online = factory.Trait(
            channel=Channel.ONLINE,
            created_by=factory.SubFactory(UserFactory),
            owner=factory.SelfAttribute("created_by"),
            result_delivery=Delivery.ONLINE,
        )
        draft = factory.Trait(online=True, status=Status.DRAFT)
        submitted = factory.Trait(online=True, status=Status.SUBMITTED)
        with_history = factory.Trait(
            first_event=factory.RelatedFactory(
                "motcua.dossiers.tests.factories.DossierEventFactory",
                factory_related_name="dossier",
                action=factory.LazyAttribute(lambda e: _first_action(e.dossier)),
                actor=factory.LazyAttribute(lambda e: e.dossier.created_by),
                from_status="",
            )
        )

    agency = factory.SubFactory(AgencyFactory, commune=True, service_center=True)
    current_agency = factory.SelfAttribute("agency")
    procedure = factory.SubFactory(ProcedureFactory)
    channel = Channel.COUNTER
    status = Status.RECEIVED
    resume_status = factory.LazyAttribute(lambda o: Status.PROCESSING if o.status in PAUSED else "")
    code = factory.LazyAttributeSequence(
        # NNNN from 5001 up: clear of the codes the services issue from 0001 in the same tests.
        lambda o, n: (
            f"{o.agency.code}-{timezone.localtime(o.at):%y%m%d}-{n % 4999 + 5001:04d}"
            if _received(o)
            else None
        )
    )

    applicant = factory.LazyAttribute(
        lambda o: {
            "type": "citizen",
            "full_name": o.full_name,
            "id_number": o.id_number,
            "phone": o.phone,
            "email": "",
            "address": "Số 1 đường Lê Lợi",
        }
    )
    applicant_name = factory.SelfAttribute("full_name")
    applicant_name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    applicant_id_number = factory.SelfAttribute("id_number")
    applicant_phone = factory.SelfAttribute("phone")
    on_behalf_of = None
    form_data = factory.LazyFunction(dict)
    result_delivery = Delivery.COUNTER

    owner = None
    created_by = factory.SubFactory(UserFactory, staff=True)
    consent_recorded = True

    submitted_at = factory.LazyAttribute(lambda o: None if o.status == Status.DRAFT else o.at)
    received_at = factory.LazyAttribute(lambda o: o.at if _received(o) else None)
    clock_started_at = factory.SelfAttribute("received_at")
    clock_paused_at = factory.LazyAttribute(lambda o: o.at if o.status in PAUSED else None)
    due_at = factory.LazyAttribute(lambda o: o.at + PROCESSING_TIME if _received(o) else None)
    original_due_at = factory.SelfAttribute("due_at")
    resolved_at = factory.LazyAttribute(lambda o: o.at if o.status in RESOLVED else None)
    returned_at = factory.LazyAttribute(lambda o: o.at if o.status == Status.RETURNED else None)
    stopped_at = factory.LazyAttribute(lambda o: o.at if o.status == Status.STOPPED else None)
    timeliness = factory.LazyAttribute(lambda o: Timeliness.EARLY if o.status in RESOLVED else "")
    decision = factory.LazyAttribute(lambda o: "approved" if o.status in RESOLVED else "")

    @factory.post_generation
    def handles_procedure(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The receiving agency handles the procedure, as the services require."""
        if create:
            self.procedure.agencies.add(self.agency)


class DossierAgencyFactory(DjangoModelFactory[DossierAgency]):
    """An agency a dossier was routed through (liên thông)."""

    class Meta:
        model = DossierAgency

    dossier = factory.SubFactory(DossierFactory, status=Status.PROCESSING)
    agency = factory.SubFactory(AgencyFactory, department=True)


class DossierStepFactory(DjangoModelFactory[DossierStep]):
    """A stint in a process step at the dossier's current agency; it becomes the dossier's
    ``current_step`` unless ``current=False``."""

    class Meta:
        model = DossierStep
        skip_postgeneration_save = True

    dossier = factory.SubFactory(DossierFactory, status=Status.PROCESSING)
    process_step = None
    position = factory.LazyAttribute(lambda o: o.dossier.steps.count() + 1)
    name = factory.LazyAttribute(lambda o: f"Bước {o.position}: thẩm định hồ sơ")
    role = StepRole.SPECIALIST
    agency = factory.SelfAttribute("dossier.current_agency")
    assignee = None
    handed_over_by = None
    started_at = factory.LazyAttribute(lambda o: o.dossier.received_at or timezone.now())
    due_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(days=1))

    class Params:
        finished = factory.Trait(
            finished_at=factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(hours=4)),
            finished_by=factory.SubFactory(UserFactory, staff=True),
            outcome="forward",
            timeliness=Timeliness.EARLY,
        )

    @factory.post_generation
    def current(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            Dossier.objects.filter(pk=self.dossier_id).update(current_step=self)
            self.dossier.current_step = self


class DocumentFactory(DjangoModelFactory[Document]):
    """A stored PDF of the application (``content=`` bytes, ``content_type=`` to change it)."""

    class Meta:
        model = Document

    class Params:
        content = PDF_BYTES

    dossier = factory.SubFactory(DossierFactory)
    kind = Document.Kind.APPLICATION
    required_document = None
    name = "don-de-nghi.pdf"
    content_type = "application/pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=o.name))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.SelfAttribute("dossier.created_by")


class DossierEventFactory(DjangoModelFactory[DossierEvent]):
    """The next history event of a dossier, appended through ``history.event_append`` (in a
    transaction of its own when none is open), so seq, prev_hash and hash are always right."""

    class Meta:
        model = DossierEvent

    dossier = factory.SubFactory(DossierFactory)
    action = Action.RECEIVE
    actor = factory.SubFactory(UserFactory, staff=True)
    from_status = ""
    to_status = factory.SelfAttribute("dossier.status")
    agency_code = factory.SelfAttribute("dossier.current_agency.code")
    step = ""
    note = ""
    data = factory.LazyFunction(dict)
    on_behalf_of = ""
    at = None

    @classmethod
    def _create(cls, model_class: type[DossierEvent], *args: Any, **kwargs: Any) -> DossierEvent:
        with transaction.atomic():
            return event_append(**kwargs)


class PersonalDataAccessFactory(DjangoModelFactory[PersonalDataAccess]):
    """A staff read of a dossier's personal data, recorded through the history module."""

    class Meta:
        model = PersonalDataAccess

    user = factory.SubFactory(UserFactory, staff=True)
    dossier = factory.SubFactory(DossierFactory)
    channel = "api"

    @classmethod
    def _create(
        cls, model_class: type[PersonalDataAccess], *args: Any, **kwargs: Any
    ) -> PersonalDataAccess:
        return record_personal_data_access(**kwargs)


class RatingFactory(DjangoModelFactory[Rating]):
    """The applicant's rating of a returned dossier."""

    class Meta:
        model = Rating

    dossier = factory.SubFactory(DossierFactory, status=Status.RETURNED)
    score = 5
    comment = "Cán bộ hướng dẫn tận tình."
