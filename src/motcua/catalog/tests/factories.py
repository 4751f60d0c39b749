"""factory_boy factories for the catalogue, shared by every app's tests.

Agency levels are rows created by a data migration (``province``, ``department``, ``district``,
``commune``), so ``AgencyLevelFactory`` gets them rather than creating duplicates. Agencies are
saved through ``services.agency_save`` so that their materialised path is right, exactly as in
production. Procedures get their folded search text after creation.

Examples::

    commune = AgencyFactory(commune=True)                 # a commune under a new province
    ProcedureFactory(online_full=True, with_fees=True, agencies=[commune], levels=["commune"])
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from motcua.catalog.constants import (
    LEVEL_COMMUNE,
    LEVEL_DEPARTMENT,
    LEVEL_DISTRICT,
    LEVEL_PROVINCE,
    ApplicantType,
    FeeUnit,
    OnlineLevel,
    TimeUnit,
)
from motcua.catalog.models import (
    Agency,
    AgencyFormerCode,
    AgencyLevel,
    Fee,
    Procedure,
    RequiredDocument,
    Sector,
)
from motcua.catalog.services import agency_save, procedure_refresh_search_text


class AgencyLevelFactory(DjangoModelFactory[AgencyLevel]):
    """One of the levels created by the data migration (``province`` unless told)."""

    class Meta:
        model = AgencyLevel
        django_get_or_create = ("code",)

    code = LEVEL_PROVINCE
    name = factory.LazyAttribute(lambda o: f"Cấp {o.code}")
    rank = 10


class AgencyFactory(DjangoModelFactory[Agency]):
    """An agency saved through ``agency_save``; a province (root) unless a trait says otherwise."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    # Far above the hand-written codes of the tests (H56.1, H56.101, H56.101.1 ...): no collision.
    code = factory.Sequence(lambda n: f"H56.{n + 5001}")
    name = factory.Sequence(lambda n: f"Cơ quan số {n + 1}")
    level = factory.SubFactory(AgencyLevelFactory, code=LEVEL_PROVINCE)
    parent = None
    is_service_center = False
    is_active = True

    class Params:
        department = factory.Trait(
            level=factory.SubFactory(AgencyLevelFactory, code=LEVEL_DEPARTMENT),
            parent=factory.SubFactory("motcua.catalog.tests.factories.AgencyFactory"),
            name=factory.Sequence(lambda n: f"Sở số {n + 1}"),
        )
        district = factory.Trait(
            level=factory.SubFactory(AgencyLevelFactory, code=LEVEL_DISTRICT),
            parent=factory.SubFactory("motcua.catalog.tests.factories.AgencyFactory"),
            name=factory.Sequence(lambda n: f"Huyện số {n + 1}"),
        )
        commune = factory.Trait(
            level=factory.SubFactory(AgencyLevelFactory, code=LEVEL_COMMUNE),
            parent=factory.SubFactory("motcua.catalog.tests.factories.AgencyFactory"),
            name=factory.Sequence(lambda n: f"Xã số {n + 1}"),
        )
        service_center = factory.Trait(
            is_service_center=True, name=factory.Sequence(lambda n: f"Bộ phận một cửa số {n + 1}")
        )
        inactive = factory.Trait(is_active=False)

    @classmethod
    def _create(cls, model_class: type[Agency], *args: Any, **kwargs: Any) -> Agency:
        return agency_save(agency=model_class(*args, **kwargs))


class AgencyFormerCodeFactory(DjangoModelFactory[AgencyFormerCode]):
    class Meta:
        model = AgencyFormerCode

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"K99.{n + 1}")
    name = factory.LazyAttribute(lambda o: f"Tên cũ {o.code}")
    valid_from = None
    valid_to = dt.date(2025, 6, 30)
    note = ""


class SectorFactory(DjangoModelFactory[Sector]):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n + 1:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực số {n + 1}")


class FeeFactory(DjangoModelFactory[Fee]):
    class Meta:
        model = Fee

    procedure = factory.SubFactory("motcua.catalog.tests.factories.ProcedureFactory")
    position = factory.LazyAttribute(lambda o: Fee.objects.filter(procedure=o.procedure).count())
    name = factory.Sequence(lambda n: f"Lệ phí số {n + 1}")
    amount = 50_000
    unit = FeeUnit.FIXED
    note = ""


class RequiredDocumentFactory(DjangoModelFactory[RequiredDocument]):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory("motcua.catalog.tests.factories.ProcedureFactory")
    position = factory.LazyAttribute(
        lambda o: RequiredDocument.objects.filter(procedure=o.procedure).count()
    )
    name = factory.Sequence(lambda n: f"Giấy tờ số {n + 1}")
    originals = 1
    copies = 0
    required = True
    form_name = ""
    note = ""

    class Params:
        optional = factory.Trait(required=False)
        with_form = factory.Trait(form_name=factory.Sequence(lambda n: f"Mẫu số {n + 1:02d}"))


class ProcedureFactory(DjangoModelFactory[Procedure]):
    """A procedure in its own sector at commune level; ``levels=[...]`` and ``agencies=[...]``
    take codes or objects. Its search text is refreshed after creation."""

    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"1.{n + 1:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục số {n + 1}")
    sector = factory.SubFactory(SectorFactory)
    online = OnlineLevel.NONE
    legacy_online_level = 2
    processing_time_value = 3
    processing_time_unit = TimeUnit.WORKING_DAYS
    restart_on_supplement = False
    applicant_types = factory.LazyFunction(lambda: [ApplicantType.CITIZEN.value])
    keywords = ""
    popularity = 0
    is_active = True

    class Params:
        online_full = factory.Trait(online=OnlineLevel.FULL, legacy_online_level=4)
        online_partial = factory.Trait(online=OnlineLevel.PARTIAL, legacy_online_level=3)
        in_hours = factory.Trait(
            processing_time_unit=TimeUnit.WORKING_HOURS, processing_time_value=8
        )
        restarts = factory.Trait(restart_on_supplement=True)
        for_organizations = factory.Trait(
            applicant_types=factory.LazyFunction(
                lambda: [ApplicantType.CITIZEN.value, ApplicantType.ORGANIZATION.value]
            )
        )
        inactive = factory.Trait(is_active=False)
        with_fees = factory.Trait(
            fees=factory.RelatedFactoryList(FeeFactory, factory_related_name="procedure", size=2)
        )
        with_documents = factory.Trait(
            documents=factory.RelatedFactoryList(
                RequiredDocumentFactory, factory_related_name="procedure", size=2
            )
        )

    @factory.post_generation
    def levels(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        wanted = [LEVEL_COMMUNE] if extracted is None else list(extracted)
        self.levels.set(
            [w if isinstance(w, AgencyLevel) else AgencyLevelFactory(code=w) for w in wanted]
        )

    @factory.post_generation
    def agencies(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        self.agencies.set(
            [a if isinstance(a, Agency) else Agency.objects.get(code=a) for a in extracted]
        )

    @factory.post_generation
    def refresh_search_text(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            procedure_refresh_search_text(procedure=self)
