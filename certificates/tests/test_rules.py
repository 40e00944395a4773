"""Each business rule of the COI, with a case that passes and one that fails (certificates/rules/)."""

from __future__ import annotations

import datetime

import pytest

from certificates import rules
from certificates.coi_forms import FormCode, get_form
from certificates.services import BoxErrors, update_boxes
from certificates.workflow.certification import submit
from directory.models import ActivityKind, Status

from .conftest import CREATORS
from .factories import ActivityFactory, ControlBodyCodeFactory, OperatorFactory

pytestmark = pytest.mark.django_db

# The parties of boxes 4, 11 and 12 of the guides' form (the form of these COIs): (box, field, activity).
PARTIES = [(get_form(FormCode.R1235_2008).box_of_field[f], f, k) for f, k in rules.PartiesCertified.PARTIES]


def placed(rule, coi):
    """What the rule finds, at the boxes of the COI's form."""
    return rules.at_boxes(coi, rule.check(coi))


@pytest.mark.parametrize("creator", CREATORS)
def test_it_submits_a_complete_coi(world, creator):
    coi = world.submitted(creator)
    coi.refresh_from_db()
    assert coi.status == "description_completed"
    assert coi.number.startswith(f"COI.EU.MA.{coi.submitted_at.year}.")
    assert rules.submission_problems(coi) == {}


def test_it_refuses_a_control_body_of_another_country(world):
    coi = world.draft(export_country="TN")
    problems = placed(rules.ControlBodyRecognised(), coi)
    assert "recognised for Morocco, not for the country of export Tunisia" in problems["1"][0]


def test_it_refuses_a_control_body_not_recognised_for_the_categories(world):
    narrow = ControlBodyCodeFactory(code="MA-BIO-200", categories="A")
    coi = world.draft(control_body_code=narrow.code)
    assert placed(rules.ControlBodyRecognised(), coi) == {}
    update_boxes(world.person(world.importer), coi.pk, {"commodities": [{"cn_code": "20079910", "lines": []}]})
    coi.refresh_from_db()
    assert "not recognised for product category D" in placed(rules.ControlBodyRecognised(), coi)["1"][0]


def test_it_refuses_a_control_body_no_longer_recognised(world):
    world.ecocert.codes.filter(code="MA-BIO-154").update(active=False)
    coi = world.draft()
    assert "no longer recognised" in placed(rules.ControlBodyRecognised(), coi)["1"][0]


def test_it_derives_the_procedure_and_ignores_a_typed_one(world):
    coi = world.draft(procedure="trade_agreement")
    coi.refresh_from_db()
    assert coi.procedure == "compliance"
    tunisian = ControlBodyCodeFactory(code="TN-BIO-001", categories="ABD")
    update_boxes(world.person(world.importer), coi.pk, {"control_body_code": tunisian.code, "export_country": "TN"})
    coi.refresh_from_db()
    assert coi.procedure == "recognised_third_country"


def test_it_refuses_several_origins_for_one_lot_of_one_producer(world):
    data = world.complete_data()
    data["commodities"][0]["lines"] = data["commodities"][0]["lines"][:1]
    coi = world.draft(origin_countries=["MA", "TN"], commodities=data["commodities"], gross_weight="9500")
    assert "Several countries of origin" in placed(rules.SingleOriginForSingleLot(), coi)["7"][0]
    with pytest.raises(BoxErrors) as refused:
        submit(world.person(world.importer), coi.pk)
    assert "7" in refused.value.problems


def test_it_accepts_several_origins_for_several_lots(world):
    coi = world.draft(origin_countries=["MA", "TN"])
    assert placed(rules.SingleOriginForSingleLot(), coi) == {}


def test_it_requires_containers_when_the_transport_is_a_vessel(world):
    coi = world.draft(containers=[])
    assert "vessel" in placed(rules.ContainersForVessel(), coi)["14"][0]
    update_boxes(world.person(world.importer), coi.pk, {"transport_mode": "airplane"})
    coi.refresh_from_db()
    assert placed(rules.ContainersForVessel(), coi) == {}


def test_it_requires_seals_of_containers_on_a_vessel(world):
    coi = world.draft(containers=[{"number": "CSQU3054383", "seals": ""}])
    assert "15" in placed(rules.ContainersForVessel(), coi)


def test_it_checks_the_container_check_digit(world):
    coi = world.draft(containers=[{"number": "CSQU3054384", "seals": "S1"}])
    assert "CSQU3054384" in placed(rules.ContainerNumbersValid(), coi)["14"][0]


def test_it_refuses_a_gross_weight_below_the_net_weights_in_the_same_unit(world):
    # 9000 kg + 6.8 t = 15.8 t of net weight
    coi = world.draft(gross_weight="15.7", gross_weight_unit="t")
    assert "15.8 t" in placed(rules.GrossWeightCoversNetWeights(), coi)["16"][0]
    update_boxes(world.person(world.importer), coi.pk, {"gross_weight": "15800"})
    coi.refresh_from_db()
    assert coi.gross_weight_unit == "t"
    assert placed(rules.GrossWeightCoversNetWeights(), coi) == {}  # 15800 t


def test_it_reports_every_missing_box_on_submission(world):
    coi = world.draft(
        control_body_code="", importer="", first_consignee="", gross_weight="", origin_countries=[],
        release_member_state="", validating_authority="", commodities=[],
    )  # fmt: skip
    with pytest.raises(BoxErrors) as refused:
        submit(world.person(world.importer), coi.pk)
    assert {"1", "2", "7", "9", "11", "12", "13", "16"} <= set(refused.value.problems)
    coi.refresh_from_db()
    assert coi.status == "draft" and coi.number is None


def test_it_needs_a_consignee_or_the_batches_tick_not_both(world):
    coi = world.draft(first_consignee="", release_in_batches=True)
    coi.refresh_from_db()
    assert coi.destination_country == ""
    assert placed(rules.ConsigneeOrBatches(), coi) == {}
    assert "12" not in placed(rules.MandatoryBoxes(), coi)
    update_boxes(world.person(world.importer), coi.pk, {"first_consignee": world.foods.pk})
    coi.refresh_from_db()
    assert coi.destination_country == "FR"
    assert "not both" in placed(rules.ConsigneeOrBatches(), coi)["12"][0]


def test_it_requires_the_authority_of_the_member_state_of_release(world):
    coi = world.draft(release_member_state="DE")
    assert "not a competent authority" in placed(rules.AuthorityOfMemberState(), coi)["9"][0]


@pytest.mark.parametrize(("box", "field", "kind"), PARTIES)
def test_it_refuses_a_party_without_a_valid_profile(world, box, field, kind):
    getattr(
        world, {"exporter": "atlas", "importer": "acme", "first_consignee": "foods"}[field]
    ).__class__.objects.filter(
        pk=getattr(world, {"exporter": "atlas", "importer": "acme", "first_consignee": "foods"}[field]).pk
    ).update(status=Status.SUSPENDED)
    coi = world.draft()
    assert "Valid profile" in placed(rules.PartiesCertified(), coi)[box][0]


@pytest.mark.parametrize(("box", "field", "kind"), PARTIES)
def test_it_refuses_a_party_without_the_matching_activity(world, box, field, kind):
    stranger = OperatorFactory(name="Stranger")
    ActivityFactory(operator=stranger, kind=ActivityKind.PRODUCER, control_body_code=world.ecocert_fr)
    coi = world.draft(**{field: stranger.pk})
    assert "has no activity" in placed(rules.PartiesCertified(), coi)[box][0]


def test_it_refuses_a_party_whose_certificate_expired(world):
    world.atlas.activities.update(valid_until=datetime.date(2021, 1, 1))
    coi = world.draft()
    assert "not certified" in placed(rules.PartiesCertified(), coi)["4"][0]


def test_it_refuses_a_party_whose_control_body_does_not_cover_the_products(world):
    narrow = ControlBodyCodeFactory(code="FR-BIO-002", categories="D")
    world.acme.activities.update(control_body_code=narrow)
    coi = world.draft()
    assert "not recognised for these products" in placed(rules.PartiesCertified(), coi)["11"][0]


def test_it_requires_every_line_of_box_13_complete(world):
    data = world.complete_data()
    data["commodities"][0]["lines"][1]["producer"] = ""
    data["commodities"][0]["lines"][1]["lot_number"] = ""
    coi = world.draft(commodities=data["commodities"])
    message = placed(rules.LinesComplete(), coi)["13"][0]
    assert "line 2" in message and "lot number" in message and "producer" in message


def test_it_checks_uploads_by_content_and_size(settings):
    settings.MAX_UPLOAD_MB = 1
    assert rules.upload_refusal(100, b"%PDF-1.7\n") is None
    assert rules.upload_refusal(100, b"\x89PNG\r\n\x1a\n") is None
    assert rules.upload_refusal(100, b"\xff\xd8\xff\xe0") is None
    assert rules.upload_refusal(100, b"MZ\x90\x00") is not None  # an .exe renamed .pdf
    assert "larger than 1 MB" in rules.upload_refusal(2 * 1024 * 1024, b"%PDF-1.7")


def test_it_refuses_to_submit_with_a_document_missing_its_types_mandatory_fields(world):
    # The upload form refuses such a document; this guards COIs whose documents came another way (an import).
    coi = world.draft()
    document = coi.documents.create(
        type="invoice", reference="", issuer="Atlas Organic Export", original_name="invoice.pdf", content_type="x"
    )
    with pytest.raises(BoxErrors) as refused:
        submit(world.person(world.importer), coi.pk)
    assert any("missing" in message for message in refused.value.problems["documents"])
    document.reference, document.date = "INV-2026-17", datetime.date(2026, 11, 2)
    document.save()
    assert placed(rules.DocumentFieldsGiven(), coi) == {}
