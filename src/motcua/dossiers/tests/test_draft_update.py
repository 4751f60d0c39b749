"""dossier_update_draft: the applicant edits a draft, nobody else, never after submission."""

import pytest

from motcua.core.exceptions import ApplicationError, NotFound, PermissionDenied
from motcua.dossiers.exceptions import ActionNotAllowed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.services.drafts import dossier_update_draft
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DocumentFactory


def _draft(world: World) -> Dossier:
    return dossier_create(
        actor=world.user("citizen"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=ApplicantData(type="citizen", full_name="Trần Văn Bình", phone="0909000111"),
    )


def test_the_applicant_changes_a_draft_with_one_event_and_a_new_version(world: World) -> None:
    draft = _draft(world)

    updated = dossier_update_draft(
        dossier_id=draft.pk,
        actor=world.user("citizen"),
        applicant=ApplicantData(type="citizen", full_name="Trần Văn Bính", phone="0909000222"),
        on_behalf_of={"full_name": "Trần Bé Na", "id_number": "", "relationship": "con"},
        form_data={"request": "Đăng ký khai sinh cho con"},
        result_delivery="post",
        agency=world.desk_b,
    )

    stored = Dossier.objects.get(pk=draft.pk)
    assert stored.version == draft.version + 1 == updated.version
    assert stored.applicant_name == "Trần Văn Bính"
    assert stored.applicant_name_folded == "tran van binh"
    assert stored.applicant_phone == "0909000222"
    assert stored.on_behalf_of == {
        "full_name": "Trần Bé Na",
        "id_number": "",
        "relationship": "con",
    }
    assert stored.form_data == {"request": "Đăng ký khai sinh cho con"}
    assert stored.result_delivery == "post"
    assert stored.agency == stored.current_agency == world.desk_b
    event = DossierEvent.objects.filter(dossier=draft).order_by("-seq").first()
    assert event is not None
    assert event.action == "update_draft"
    assert event.data == {
        "fields": ["applicant", "on_behalf_of", "form_data", "result_delivery", "agency"]
    }
    assert event.agency_code == world.desk_b.code


def test_nothing_changed_writes_nothing(world: World) -> None:
    draft = _draft(world)
    events = DossierEvent.objects.filter(dossier=draft).count()

    dossier_update_draft(
        dossier_id=draft.pk, actor=world.user("citizen"), result_delivery=draft.result_delivery
    )

    assert Dossier.objects.get(pk=draft.pk).version == draft.version
    assert DossierEvent.objects.filter(dossier=draft).count() == events


def test_left_out_on_behalf_of_is_kept_and_none_clears_it(world: World) -> None:
    draft = _draft(world)
    person = {"full_name": "Trần Bé Na", "id_number": "", "relationship": "con"}
    dossier_update_draft(dossier_id=draft.pk, actor=world.user("citizen"), on_behalf_of=person)

    dossier_update_draft(dossier_id=draft.pk, actor=world.user("citizen"), form_data={"a": "b"})
    assert Dossier.objects.get(pk=draft.pk).on_behalf_of == person

    dossier_update_draft(dossier_id=draft.pk, actor=world.user("citizen"), on_behalf_of=None)
    assert Dossier.objects.get(pk=draft.pk).on_behalf_of is None


@pytest.mark.parametrize("who", ["citizen2", "counter_a", "supervisor"])
def test_nobody_else_may_edit(world: World, who: str) -> None:
    draft = _draft(world)

    with pytest.raises(PermissionDenied):
        dossier_update_draft(dossier_id=draft.pk, actor=world.user(who), form_data={"x": "y"})

    assert Dossier.objects.get(pk=draft.pk).form_data == {}


def test_a_submitted_dossier_is_not_edited(world: World) -> None:
    draft = _draft(world)
    for required in world.birth.required_documents.all():
        DocumentFactory(dossier=draft, required_document=required)
    dossier_act(dossier_id=draft.pk, action="submit", actor=world.user("citizen"))

    with pytest.raises(ActionNotAllowed):
        dossier_update_draft(dossier_id=draft.pk, actor=world.user("citizen"), form_data={"x": "y"})

    assert Dossier.objects.get(pk=draft.pk).form_data == {}


def test_refuses_an_agency_that_does_not_handle_the_procedure_and_a_bad_delivery(
    world: World,
) -> None:
    draft = _draft(world)

    with pytest.raises(ApplicationError) as refused:
        dossier_update_draft(
            dossier_id=draft.pk, actor=world.user("citizen"), agency=world.construction
        )
    assert refused.value.code == "agency_not_handling_procedure"
    with pytest.raises(ApplicationError) as invalid:
        dossier_update_draft(
            dossier_id=draft.pk, actor=world.user("citizen"), result_delivery="pigeon"
        )
    assert invalid.value.code == "invalid"
    assert Dossier.objects.get(pk=draft.pk).agency == world.desk_a


def test_unknown_dossier(world: World) -> None:
    import uuid

    with pytest.raises(NotFound):
        dossier_update_draft(dossier_id=uuid.uuid4(), actor=world.user("citizen"))
