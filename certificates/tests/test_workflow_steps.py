"""Each step of the workflow on the server: what it changes, what it records, who hears of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.management import call_command

from certificates.access import get_visible
from certificates.coi_forms import FormCode, get_form
from certificates.models import Certificate
from certificates.services import BoxErrors, update_boxes
from certificates.statuses import COIStatus
from certificates.workflow import after_signature
from certificates.workflow import certification as steps
from certificates.workflow import extracts as extract_steps
from certificates.workflow_records import HistoryEntry, Signature, Step
from core.errors import Conflict, DomainError, Invalid
from core.models import Notice, NoticeKind
from directory.models import ActivityKind

from .factories import ActivityFactory
from .workflow_world import CHECKS, code, make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow(world)


COMPLETE = [(form, status) for form in FormCode.values for status in get_form(form).statuses]


@pytest.mark.parametrize(("form", "status"), COMPLETE)
def test_it_brings_a_coi_to_each_status_through_the_workflow(flow, form, status):
    flow.w.form = form
    coi = flow.coi(status)
    assert coi.form == form
    coi.refresh_from_db()
    assert coi.status == status
    if status != COIStatus.DRAFT:
        assert coi.history.filter(new_status=status).exists()


def test_it_signs_box_18_after_the_checks_and_records_who_for_whom(flow):
    coi = flow.w.submitted()
    with pytest.raises(Invalid, match="checks"):
        steps.sign_box_18(flow.person(flow.w.control_body), coi.pk, place="Agadir")
    steps.record_checks(
        flow.person(flow.w.control_body),
        coi.pk,
        documentary="acceptable",
        physical="not_done",
        physical_remarks="Two bags torn",
    )
    steps.sign_box_18(flow.person(flow.w.control_body), coi.pk, place="Agadir", code=code())
    coi.refresh_from_db()
    assert coi.status == COIStatus.ISSUING_BODY_SIGNED
    signature = Signature.objects.get(certificate=coi, box="18")
    assert signature.place == "Agadir" and "Regulation (EU) 2018/848" in signature.declaration
    assert signature.signer_name == f"{flow.w.control_body.first_name} {flow.w.control_body.last_name}".strip()
    entry = coi.history.get(step=Step.SIGN_18)
    assert entry.organisation == "ECOCERT SA (MA-BIO-154)"
    assert (entry.old_status, entry.new_status) == (COIStatus.DESCRIPTION_COMPLETED, COIStatus.ISSUING_BODY_SIGNED)
    assert "Two bags torn" in coi.history.get(step=Step.CHECKS).note


def test_it_requires_two_factor_and_a_good_code_to_sign(flow):
    coi = flow.w.submitted()
    Authenticator.objects.filter(user=flow.w.control_body).delete()
    with pytest.raises(DomainError, match="two-factor"):
        steps.sign_box_18(flow.person(flow.w.control_body), coi.pk, place="Agadir", checks=CHECKS)
    from .workflow_world import two_factor

    two_factor(flow.w.control_body)
    with pytest.raises(Invalid, match="code"):
        steps.sign_box_18(flow.person(flow.w.control_body), coi.pk, place="Agadir", checks=CHECKS, code="000000")
    coi.refresh_from_db()
    assert coi.status == COIStatus.DESCRIPTION_COMPLETED


def test_it_refuses_a_second_signature_with_409_and_says_who_signed(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    with pytest.raises(Conflict, match="no longer possible") as exc:
        flow.sign_18(coi)
    assert "Box 18 signed" in str(exc.value.message)


def test_it_refuses_the_wrong_role_with_403_and_an_outsider_with_404(flow):
    coi = flow.w.submitted()
    with pytest.raises(DomainError) as exc:
        steps.sign_box_18(flow.person(flow.w.importer), coi.pk, place="Paris", checks=CHECKS)
    assert exc.value.status == 403 and "Importer" in str(exc.value.message)
    with pytest.raises(DomainError) as exc:
        steps.sign_box_18(flow.person(flow.w.outsider_control_body), coi.pk, place="Paris", checks=CHECKS)
    assert exc.value.status == 404


@pytest.mark.parametrize(
    ("batches", "decision", "reason", "ok"),
    [
        (False, COIStatus.CONSIGNMENT_VERIFIED, "", True),
        (True, COIStatus.CONSIGNMENT_VERIFIED, "", False),
        (True, COIStatus.BASIS_FOR_EXTRACT, "", True),
        (False, COIStatus.BASIS_FOR_EXTRACT, "", False),
        (False, COIStatus.RELEASED_AS_CONVENTIONAL, "", False),
        (False, COIStatus.RELEASED_AS_CONVENTIONAL, "Pesticide residues", True),
        (False, COIStatus.NOT_RELEASED, "", False),
        (False, COIStatus.NOT_RELEASED, "Fraud", True),
    ],
)
def test_it_checks_each_decision_of_box_20(flow, batches, decision, reason, ok):
    extra = {"first_consignee": None, "release_in_batches": True} if batches else {}
    coi = flow.sign_18(flow.w.submitted(**extra))
    agent = flow.person(flow.w.border_agent)
    if not ok:
        with pytest.raises(Invalid):
            steps.decide(agent, coi.pk, decision=decision, place="Le Havre", reason=reason)
        return
    steps.decide(agent, coi.pk, decision=decision, place="Le Havre", reason=reason)
    coi.refresh_from_db()
    assert coi.status == decision
    assert Signature.objects.get(certificate=coi, box="20").decision == decision


def test_it_lets_the_first_consignee_sign_box_21(flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    steps.sign_box_21(flow.person(flow.w.consignee), coi.pk, place="Lyon", code=code())
    coi.refresh_from_db()
    assert coi.status == COIStatus.FIRST_CONSIGNEE_SIGNED
    assert Signature.objects.filter(certificate=coi, box="21", organisation="ACME Bio Foods FR").exists()


def test_it_records_box_edits_with_old_and_new_values(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    update_boxes(flow.person(flow.w.control_body), coi.pk, {"gross_weight": "16600"})
    entry = coi.history.get(step=Step.EDIT)
    assert entry.changes == [{"box": "16", "field": "gross_weight", "old": "16500.000", "new": "16600.000"}]
    assert entry.actor == flow.w.control_body and entry.role == "control_body"
    with pytest.raises(BoxErrors) as refused:
        update_boxes(flow.person(flow.w.control_body), coi.pk, {"transport_identification": "Other ship"})
    assert "Box 17 is already filled" in refused.value.problems["17"][0]
    ActivityFactory(operator=flow.w.acme, kind=ActivityKind.OPERATOR, control_body_code=flow.w.ecocert_fr)
    update_boxes(flow.person(flow.w.importer), coi.pk, {"first_consignee": flow.w.acme.pk})
    entry = coi.history.filter(step=Step.EDIT).last()
    assert {
        "box": "12",
        "field": "first_consignee",
        "old": "ACME Bio Foods FR",
        "new": "ACME Bio Imports FR",
    } in entry.changes


def test_it_replaces_a_signed_coi_and_the_old_one_becomes_replaced_when_the_new_one_is_signed(flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    cb = flow.person(flow.w.control_body)
    new = after_signature.replace(cb, old.pk, note="Wrong lot number")
    assert new.replaces_id == old.pk and old.replaced_by == new
    assert new.status == COIStatus.DESCRIPTION_COMPLETED and new.number != old.number
    assert [line.lot_number for line in new.lines()] == ["LOT-A", "LOT-B"]
    assert new.containers.count() == 1
    with pytest.raises(Conflict, match="already has a replacement"):
        after_signature.replace(cb, old.pk)
    update_boxes(cb, new.pk, {"transport_identification": "MSC Casablanca"})  # the copy stays editable
    old.refresh_from_db()
    assert old.status == COIStatus.ISSUING_BODY_SIGNED
    flow.sign_18(new)
    old.refresh_from_db()
    assert old.status == COIStatus.REPLACED
    assert old.history.filter(step=Step.REPLACED, new_status=COIStatus.REPLACED).exists()


def test_it_refuses_to_sign_a_replacement_when_the_old_one_moved_on(flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    new = after_signature.replace(flow.person(flow.w.control_body), old.pk)
    # Box 20 is refused while the replacement is open (issue 11, rule 8): the old one moved on before that rule.
    Certificate.objects.filter(pk=old.pk).update(status=COIStatus.CONSIGNMENT_VERIFIED)
    with pytest.raises(Conflict, match="can no longer be replaced"):
        flow.sign_18(new)
    new.refresh_from_db()
    assert new.status == COIStatus.DESCRIPTION_COMPLETED


def test_it_flags_an_ofis_irregularity_and_tells_the_body_the_authority_and_the_importer(flow):
    coi = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    Notice.objects.all().delete()
    with pytest.raises(Invalid):
        after_signature.flag_irregularity(flow.person(flow.w.importer), coi.pk, description=" ")
    after_signature.flag_irregularity(
        flow.person(flow.w.border_agent), coi.pk, description="Non-organic pesticide found"
    )
    coi.refresh_from_db()
    assert coi.status == COIStatus.OFIS_IRREGULARITY
    assert coi.irregularities.get().description == "Non-organic pesticide found"
    told = set(Notice.objects.filter(kind=NoticeKind.IRREGULARITY).values_list("user__email", flat=True))
    assert told == {"agent@ecocert.example", "agent@inao.example", "importer@acme-bio.example"}


def test_it_deletes_with_a_reason_and_the_parties_still_read_it(flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    with pytest.raises(Invalid):
        after_signature.delete(flow.person(flow.w.inao_agent), coi.pk, reason="")
    after_signature.delete(flow.person(flow.w.inao_agent), coi.pk, reason="Entered twice")
    for user in (flow.w.importer, flow.w.consignee, flow.w.control_body, flow.w.border_agent):
        assert get_visible(flow.person(user), coi.pk).status == COIStatus.DELETED
    assert coi.history.get(step=Step.DELETE).note == "Entered twice"


def test_extracts_never_exceed_the_base_and_the_page_data_shows_what_remains(flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    lot_a = base.commodities.first().lines.get(lot_number="LOT-A")  # 400 packages, 9000 kg
    first = flow.extract(base, 150, "3000")
    assert first.status == COIStatus.DRAFT and first.base_id == base.pk
    assert first.first_consignee_id == flow.w.foods.pk and not first.release_in_batches
    with pytest.raises(Invalid, match="only 250 packages and 6,000 kg remain"):
        flow.extract(base, 251, "100")
    flow.extract(base, 250, "6000", user=flow.w.forwarder)
    remaining = {
        lot.line.lot_number: (lot.remaining_packages, lot.remaining_weight) for lot in extract_steps.lots(base)
    }
    assert remaining["LOT-A"] == (0, Decimal(0))
    assert remaining["LOT-B"] == (300, Decimal("6.8"))
    with pytest.raises(Invalid, match="remain"):
        flow.extract(base, 1, "1")
    assert lot_a.extracted.count() == 2


def test_an_extract_is_submitted_endorsed_and_signed_by_its_consignee(flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base)
    importer = flow.person(flow.w.importer)
    with pytest.raises(DomainError):  # the drafting's submission is not an extract's
        from certificates.workflow.certification import submit

        submit(importer, extract.pk)
    with pytest.raises(DomainError, match="box 13"):
        update_boxes(importer, extract.pk, {"commodities": []})
    extract_steps.submit_extract(importer, extract.pk)
    extract.refresh_from_db()
    assert extract.status == COIStatus.DESCRIPTION_COMPLETED and extract.number == f"{base.number}-E01"
    with pytest.raises(DomainError):
        flow.sign_18(extract)  # the issuing body does not sign an extract
    with pytest.raises(Invalid):
        steps.decide(flow.person(flow.w.inao_agent), extract.pk, decision=COIStatus.BASIS_FOR_EXTRACT, place="Paris")
    flow.decide(extract, COIStatus.CONSIGNMENT_VERIFIED)
    steps.sign_box_21(flow.person(flow.w.consignee), extract.pk, place="Lyon")
    extract.refresh_from_db()
    assert extract.status == COIStatus.FIRST_CONSIGNEE_SIGNED


def test_the_authority_splits_and_depletes_the_base(flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    lines = list(base.commodities.first().lines.all())
    agent = flow.person(flow.w.border_agent)
    parts = [
        {"consignee": flow.w.foods.pk, "quantities": {lines[0].pk: (200, "4500")}},
        {"consignee": flow.w.foods.pk, "quantities": {lines[1].pk: (300, "6.8")}},
    ]
    extracts = extract_steps.split(agent, base.pk, parts=parts, place="Le Havre")
    assert [e.status for e in extracts] == [COIStatus.CONSIGNMENT_VERIFIED] * 2
    assert [e.number for e in extracts] == [f"{base.number}-E01", f"{base.number}-E02"]
    with pytest.raises(DomainError) as exc:
        extract_steps.deplete(flow.person(flow.w.importer), base.pk)
    assert exc.value.status == 403
    extract_steps.deplete(agent, base.pk, note="Everything released")
    with pytest.raises(Conflict, match="depleted"):
        flow.extract(base, 1, "1")
    with pytest.raises(Conflict):
        extract_steps.deplete(agent, base.pk)


def test_notifications_reach_each_party_in_their_language(flow):
    flow.w.importer.language = "fr"
    flow.w.importer.save()
    coi = flow.w.submitted()
    mail.outbox.clear()
    flow.sign_18(coi)
    fr = Notice.objects.filter(user=flow.w.importer).latest("created_at")
    en = Notice.objects.filter(user=flow.w.exporter).latest("created_at")
    assert en.text == f"COI {coi.number}: the issuing control body signed box 18"
    assert fr.text.startswith(f"COI {coi.number}") and "signé" in fr.text
    assert not Notice.objects.filter(user=flow.w.control_body, text__contains="box 18").exists()
    sent = {m.to[0]: m.subject for m in mail.outbox}  # the tests' queue runs tasks at once
    assert "signé" in sent["importer@acme-bio.example"]
    assert "signed box 18" in sent["exporter@atlas-organic.example"]


def test_history_is_a_timeline_from_submission(flow):
    coi = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    steps = list(HistoryEntry.objects.filter(certificate=coi).values_list("step", flat=True))
    assert steps == [Step.SUBMIT, Step.CHECKS, Step.SIGN_18, Step.SIGN_20, Step.SIGN_21]


@pytest.mark.migrations
def test_the_migrations_are_complete():
    call_command("makemigrations", "certificates", "--check", "--dry-run", verbosity=0)


def test_only_certificates_in_terminal_statuses_refuse_everything(flow):
    for status in (COIStatus.RELEASED_AS_CONVENTIONAL, COIStatus.NOT_RELEASED):
        coi = flow.coi(status)
        with pytest.raises(Conflict):
            steps.sign_box_21(flow.person(flow.w.consignee), coi.pk, place="Lyon")
        assert Certificate.objects.get(pk=coi.pk).status == status
