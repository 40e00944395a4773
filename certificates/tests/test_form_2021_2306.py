"""The COI of Reg. (EU) 2021/2306 beside the guides' form: its form recorded, its rules (one test per rule of
the Annex and Articles), its decisions as the statuses customs sees, the first consignee's declaration."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from certificates import services
from certificates.coi_forms import FormCode, get_form
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import after_signature, extracts
from certificates.workflow import certification as workflow_steps
from certificates.workflow import release as steps
from certificates.workflow_records import Signature
from core.errors import Conflict, DomainError, Invalid

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    world.form = FormCode.R2021_2306
    return make_flow(world)


def issued(flow: Any, **fields: Any) -> Certificate:
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    Certificate.objects.filter(pk=coi.pk).update(**fields)
    return Certificate.objects.get(pk=coi.pk)


def agent(flow: Any) -> Any:
    return flow.person(flow.w.inao_agent)


def box_25(flow: Any, coi: Certificate, documentary: str = "satisfactory", selected: str = "no") -> Certificate:
    return steps.sign_box_25(agent(flow), coi.pk, documentary=documentary, selected=selected, place="Le Havre")


def refused_at(exc: Any) -> str:
    return getattr(exc.value, "code", "") or ""


# The form as data -----------------------------------------------------------------------------------


def test_it_gives_a_new_coi_the_default_form_and_keeps_it(flow, settings):
    flow.w.form = None
    settings.COI_FORM_DEFAULT = "2021/2306"
    new = flow.w.draft()
    settings.COI_FORM_DEFAULT = "1235/2008"
    old = flow.w.draft()
    assert (new.form, old.form) == ("2021/2306", "1235/2008")
    assert Certificate.objects.get(pk=new.pk).form == "2021/2306"


def test_it_refuses_an_unknown_default_form(flow):
    flow.w.form = None
    with override_settings(COI_FORM_DEFAULT="834/2007"), pytest.raises(ValueError):
        flow.w.draft()


def test_it_lists_the_31_boxes_of_the_annex_and_the_13_of_the_extract():
    coi_form = get_form(FormCode.R2021_2306)
    assert sorted({b.number for b in coi_form.boxes if b.number}, key=int) == [str(n) for n in range(1, 32)]
    assert [b.number for b in coi_form.extract_boxes] == [str(n) for n in range(1, 14)]
    assert sorted({b.number for b in get_form(FormCode.R1235_2008).boxes if b.number}, key=int) == [
        *[str(n) for n in range(1, 19)],
        "20",
        "21",
    ]


def test_it_shows_rule_messages_at_the_boxes_of_the_coi_s_form(flow):
    coi = flow.coi(COIStatus.DRAFT)
    with pytest.raises(Invalid) as exc:  # an unreadable value refuses the save whole (issue 12)
        services.update_boxes(flow.person(flow.w.importer), coi.pk, {"origin_countries": "ZZ"})
    assert "Unknown country: ZZ." in exc.value.problems["8"]  # box 7 of the guides' form
    services.update_boxes(flow.person(flow.w.importer), coi.pk, {"origin_countries": "MA"})
    Certificate.objects.filter(pk=coi.pk).update(gross_weight=None)
    with pytest.raises(Invalid) as exc:
        workflow_steps.submit(flow.person(flow.w.importer), coi.pk)
    assert "Give the total gross weight." in exc.value.problems["16"]
    Certificate.objects.filter(pk=coi.pk).update(gross_weight=1, export_country="")
    with pytest.raises(Invalid) as exc:
        workflow_steps.submit(flow.person(flow.w.importer), coi.pk)
    assert "Choose the country of export." in exc.value.problems["9"]  # box 8 of the guides' form


def test_it_keeps_the_form_in_a_replacement(flow):
    coi = issued(flow)
    new = after_signature.replace(flow.person(flow.w.control_body), coi.pk)
    assert new.form == "2021/2306"


# Art. 5(3): within 10 days of issue, before box 25 ------------------------------------------------------


def test_it_lets_the_issuing_body_complete_boxes_13_16_17_within_ten_days(flow):
    coi = issued(flow)
    body = flow.person(flow.w.control_body)
    coi, _p = services.update_boxes(body, coi.pk, {"transport_document": "BL-77"})
    assert coi.transport_document == "BL-77"
    Signature.objects.filter(certificate=coi, box="18").update(signed_at=timezone.now() - datetime.timedelta(days=11))
    with pytest.raises(Invalid) as exc:
        services.update_boxes(body, coi.pk, {"gross_weight": "17000"})
    assert "Over 10 days since the COI was issued" in exc.value.problems["13"][0]
    assert Certificate.objects.get(pk=coi.pk).gross_weight != 17000


def test_it_closes_boxes_13_16_17_once_box_25_is_signed(flow):
    coi = box_25(flow, issued(flow))
    with pytest.raises(Invalid) as exc:
        services.update_boxes(flow.person(flow.w.control_body), coi.pk, {"transport_document": "BL-78"})
    assert "box 25" in exc.value.problems["13"][0]


def test_it_asks_for_the_packages_and_boxes_16_17_before_box_25(flow):
    coi = issued(flow)
    Certificate.objects.filter(pk=coi.pk).update(gross_weight=None)
    with pytest.raises(Invalid) as exc:
        box_25(flow, coi)
    assert "total gross weight" in exc.value.problems["16"][0]


# Box 10 until arrival; box 20 in time ---------------------------------------------------------------------


def test_it_lets_the_importer_update_box_10_until_the_consignment_arrives(flow):
    coi = issued(flow)
    importer = flow.person(flow.w.importer)
    coi, _p = services.update_boxes(importer, coi.pk, {"point_of_entry_kind": "release_point"})
    assert coi.point_of_entry_kind == "release_point"
    box_25(flow, coi)
    with pytest.raises(Invalid) as exc:
        services.update_boxes(importer, coi.pk, {"point_of_entry_kind": "bcp"})
    assert "box 10 can no longer change" in exc.value.problems["10"][0]


def test_it_refuses_a_prior_notification_less_than_four_hours_ahead(flow):
    coi = issued(flow)
    soon = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    with pytest.raises(Invalid) as exc:
        services.update_boxes(flow.person(flow.w.importer), coi.pk, {"prior_notification_at": soon})
    assert "at least four hours" in exc.value.problems["20"][0]


def test_it_warns_of_a_prior_notification_less_than_one_working_day_ahead(flow):
    coi = issued(flow)
    later = (timezone.now() + datetime.timedelta(hours=6)).isoformat()
    coi, problems = services.update_boxes(flow.person(flow.w.importer), coi.pk, {"prior_notification_at": later})
    assert coi.prior_notification_at is not None
    assert "Less than one working day" in problems["20"][0]


def test_it_says_at_box_20_what_is_not_a_date(flow):
    coi = issued(flow)
    with pytest.raises(Invalid) as exc:  # an unreadable value refuses the edit whole (issue 12)
        services.update_boxes(flow.person(flow.w.importer), coi.pk, {"prior_notification_at": "soon"})
    assert "soon is not a date and time" in exc.value.problems["20"][0]


# Boxes 23, 25, 29, 30 -------------------------------------------------------------------------------


def test_it_verifies_box_23_only_for_a_named_special_procedure(flow):
    coi = issued(flow)
    steps.verify_box_23(agent(flow), coi.pk, place="Le Havre")
    assert coi.signatures.filter(box="23").exists()
    other = issued(flow)
    Certificate.objects.filter(pk=other.pk).update(customs_warehousing=False)
    with pytest.raises(Invalid, match="names no special customs procedure"):
        steps.verify_box_23(agent(flow), other.pk, place="Le Havre")


def test_it_asks_for_box_25_before_box_30(flow):
    with pytest.raises(Invalid, match="documentary check"):
        steps.decide_box_30(agent(flow), issued(flow).pk, decision="released_organic", place="Le Havre")


def test_it_forces_a_refusal_after_a_failed_documentary_check(flow):
    coi = box_25(flow, issued(flow), documentary="not_satisfactory", selected="yes")
    assert coi.selected_for_checks is False
    with pytest.raises(Invalid, match="documentary check is not satisfactory"):
        steps.decide_box_30(agent(flow), coi.pk, decision="released_organic", place="Le Havre")
    coi = steps.decide_box_30(agent(flow), coi.pk, decision="cannot_be_released", reason="Wrong COI", place="Le Havre")
    assert coi.status == COIStatus.CANNOT_BE_RELEASED


def test_it_asks_for_box_29_when_the_consignment_is_selected(flow):
    coi = box_25(flow, issued(flow), selected="yes")
    with pytest.raises(Invalid, match="identity and physical checks"):
        steps.decide_box_30(agent(flow), coi.pk, decision="released_organic", place="Le Havre")
    services.update_boxes(agent(flow), coi.pk, {"identity_check": "satisfactory", "physical_check": "satisfactory"})
    coi = steps.decide_box_30(agent(flow), coi.pk, decision="released_organic", place="Le Havre")
    assert coi.status == COIStatus.RELEASED_ORGANIC


@pytest.mark.parametrize("decision", ["cannot_be_released", "basis_for_extract"])
def test_it_asks_for_the_additional_information_of_a_refusal_or_a_part(flow, decision):
    coi = box_25(flow, issued(flow))
    with pytest.raises(Invalid, match="additional information"):
        steps.decide_box_30(agent(flow), coi.pk, decision=decision, place="Le Havre")


def test_it_asks_for_the_first_consignee_before_a_release(flow):
    coi = box_25(flow, issued(flow, first_consignee=None))
    with pytest.raises(Invalid, match="first consignee"):
        steps.decide_box_30(agent(flow), coi.pk, decision="released_in_conversion", place="Le Havre")


def test_it_refuses_a_decision_of_the_guides_form(flow):
    coi = box_25(flow, issued(flow))
    with pytest.raises(Invalid, match="decisions of box 30"):
        steps.decide_box_30(agent(flow), coi.pk, decision="consignment_verified", place="Le Havre")


@pytest.mark.parametrize(
    ("decision", "label"),
    [
        ("released_organic", "To be released as organic"),
        ("released_in_conversion", "To be released as in-conversion"),
        ("released_non_organic", "To be released as non-organic"),
        ("cannot_be_released", "Cannot be released for free circulation"),
        ("basis_for_extract", "Basis for extract"),
    ],
)
def test_it_makes_the_decision_the_status_customs_sees(flow, decision, label):
    coi = box_25(flow, issued(flow))
    coi = steps.decide_box_30(agent(flow), coi.pk, decision=decision, reason="Details", place="Le Havre")
    assert (coi.status, coi.get_status_display()) == (decision, label)
    assert coi.signatures.get(box="30").decision == decision


# Box 31, extracts, depletion ---------------------------------------------------------------------------


def test_it_takes_box_31_only_after_a_release(flow):
    refused = flow.coi(COIStatus.CANNOT_BE_RELEASED)
    with pytest.raises(DomainError):
        steps.sign_box_31(flow.person(flow.w.consignee), refused.pk, in_accordance=True, place="Lyon")
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    with pytest.raises(Invalid, match="remark"):
        steps.sign_box_31(flow.person(flow.w.consignee), coi.pk, in_accordance=False, place="Lyon")
    coi = steps.sign_box_31(
        flow.person(flow.w.consignee), coi.pk, in_accordance=False, remark="Seal broken", place="Lyon"
    )
    assert (coi.status, coi.consignee_in_accordance) == (COIStatus.FIRST_CONSIGNEE_SIGNED, False)
    assert "not in accordance" in coi.signatures.get(box="31").declaration


def test_it_opens_extracts_on_part_released_and_endorses_them_with_four_options(flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base, packages=10, weight="200")
    assert extract.form == "2021/2306"
    extract = extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    with pytest.raises(Invalid, match="four decisions"):
        steps.decide_box_30(agent(flow), extract.pk, decision="basis_for_extract", reason="x", place="Le Havre")
    extract = steps.decide_box_30(agent(flow), extract.pk, decision="released_organic", place="Le Havre")
    extract = steps.sign_box_31(flow.person(flow.w.consignee), extract.pk, in_accordance=True, place="Lyon")
    assert extract.status == COIStatus.FIRST_CONSIGNEE_SIGNED


def test_it_marks_a_base_depleted_as_a_status(flow):
    base = flow.coi(COIStatus.DEPLETED)
    assert base.get_status_display() == "Depleted"
    with pytest.raises(Conflict):
        flow.extract(base)
