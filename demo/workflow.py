"""Demo COIs in every status after submission, each brought there through the workflow's own functions by
the demo actor the table names, so their history, signatures and notifications are real. Idempotent (keyed
on the national reference). Called by `demo/load.py` after the drafting demo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from accounts.models import User
from certificates.access import Person
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.services import create_draft
from certificates.statuses import COIStatus
from certificates.workflow import after_signature, certification, extracts
from certificates.workflow.certification import submit
from demo.certificates import _full_coi, _membership, _operator

IMPORTER, CB = "importer@acme-bio.example", "agent@ecocert.example"
INAO, BORDER, CONSIGNEE = "agent@inao.example", "border@douane.example", "consignee@acme-foods.example"
CHECKS = {"documentary": "acceptable", "physical": "acceptable", "physical_remarks": "Seals intact"}


def person(email: str) -> Person:
    return Person.of(User.objects.get(email=email))


def sign_18(coi: Certificate) -> Certificate:
    return certification.sign_box_18(person(CB), coi.pk, place="Agadir", checks=CHECKS)


def decide(coi: Certificate, decision: str, reason: str = "", who: str = INAO) -> Certificate:
    return certification.decide(person(who), coi.pk, decision=decision, place="Le Havre", reason=reason)


def verified(coi: Certificate) -> Certificate:
    return decide(sign_18(coi), COIStatus.CONSIGNMENT_VERIFIED)


def received(coi: Certificate) -> Certificate:
    return certification.sign_box_21(person(CONSIGNEE), verified(coi).pk, place="Bordeaux")


def batches(coi: Certificate) -> Certificate:
    """Released in batches: one extract endorsed and signed, one waiting for endorsement, one in draft."""
    base = decide(sign_18(coi), COIStatus.BASIS_FOR_EXTRACT, who=BORDER)
    lot_a, lot_b = [line.pk for c in base.commodities.all() for line in c.lines.all()][:2]
    foods = _operator("ACME Bio Foods FR")
    first = extracts.initiate_extract(person(IMPORTER), base.pk, consignee=foods, quantities={lot_a: (100, "2250")})
    extracts.submit_extract(person(IMPORTER), first.pk)
    decide(first, COIStatus.CONSIGNMENT_VERIFIED)
    certification.sign_box_21(person(CONSIGNEE), first.pk, place="Bordeaux")
    second = extracts.initiate_extract(person(IMPORTER), base.pk, consignee=foods, quantities={lot_b: (50, "1100")})
    extracts.submit_extract(person(IMPORTER), second.pk)
    extracts.initiate_extract(person(IMPORTER), base.pk, consignee=foods, quantities={lot_a: (20, "450")})
    return base


def replaced(coi: Certificate) -> Certificate:
    old = sign_18(coi)
    new = after_signature.replace(person(CB), old.pk, note="Seal number corrected")
    sign_18(new)
    return old


# national reference -> (what the demo shows, the steps after submission; None = the COI stays submitted)
SCENARIOS: dict[str, tuple[str, Callable[[Certificate], Any], dict[str, Any]]] = {
    "WF-18-SIGNED": ("issuing_body_signed", sign_18, {}),
    "WF-VERIFIED": ("consignment_verified", verified, {}),
    "WF-RECEIVED": ("first_consignee_signed", received, {}),
    "WF-BATCHES": ("basis_for_extract", batches, {"first_consignee": "", "release_in_batches": True}),
    "WF-CONVENTIONAL": (
        "released_as_conventional",
        lambda c: decide(
            sign_18(c), COIStatus.RELEASED_AS_CONVENTIONAL, "Non-authorised substance in lot SOF-2026-031"
        ),
        {},
    ),
    "WF-NOT-RELEASED": (
        "not_released",
        lambda c: decide(sign_18(c), COIStatus.NOT_RELEASED, "Les documents ne correspondent pas au lot", BORDER),
        {},
    ),
    "WF-OFIS": (
        "ofis_irregularity",
        lambda c: after_signature.flag_irregularity(
            person(BORDER),
            received(c).pk,
            description="Résidus de chlorpyriphos trouvés dans un échantillon du lot SOF-2026-032",
        ),
        {},
    ),
    "WF-DELETED": (
        "deleted",
        lambda c: after_signature.delete(person(INAO), verified(c).pk, reason="Entered twice; see WF-VERIFIED"),
        {},
    ),
    "WF-REPLACED": ("replaced", replaced, {}),
}


def load_workflow_demo() -> list[Certificate]:
    membership = _membership(IMPORTER, "ACME Bio Imports FR")
    if membership is None:
        return []
    made = []
    for reference, (_status, bring, changes) in SCENARIOS.items():
        if Certificate.objects.filter(national_reference=reference, replaces__isnull=True, base__isnull=True).exists():
            continue
        with transaction.atomic():
            data = {**_full_coi(), **changes, "national_reference": reference}
            coi, _problems = create_draft(Person.of(membership.user), membership, data, form=FormCode.R1235_2008)
            coi = submit(Person.of(membership.user), coi.pk)
            made.append(bring(coi))
    return made
