"""The demo's second scenario, on the form in force (Reg. (EU) 2021/2306, boxes 1-31): the same cashew
consignment from Morocco, issued by MA-BIO-154, prior-notified by the importer, checked at the border control
post of Le Havre and brought to each of the five box-30 decisions, one part released through an endorsed
extract (2021/2307) and two box-31 declarations (one "not in accordance"). Every step through the workflow's
own functions, by the demo actor the 2021/2306 table names. Idempotent (keyed on the national reference)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.services import create_draft, update_boxes
from certificates.statuses import COIStatus
from certificates.workflow import extracts, release
from certificates.workflow.certification import submit
from demo.certificates import _full_coi, _membership, _operator
from demo.workflow import BORDER, CONSIGNEE, IMPORTER, person, sign_18


def _issued_and_notified(coi: Certificate) -> Certificate:
    """Box 18 signed, then the importer's boxes 20 (arrival in three days) and 24."""
    coi = sign_18(coi)
    arrival = timezone.localtime() + datetime.timedelta(days=3)
    coi, _problems = update_boxes(
        person(IMPORTER), coi.pk, {"prior_notification_at": arrival.replace(minute=0, second=0, microsecond=0)}
    )
    return coi


def _checked(coi: Certificate, documentary: str = "satisfactory", **box_29: Any) -> Certificate:
    """Box 25 by the border control post; with `box_29` the consignment is selected and its identity, physical
    and laboratory checks recorded (the decision then follows them: `rules.FailedCheckExcludesOrganicRelease`)."""
    selected = "yes" if box_29 else "no"
    coi = release.sign_box_25(person(BORDER), coi.pk, documentary=documentary, selected=selected, place="Le Havre")
    if box_29:
        coi, _problems = update_boxes(person(BORDER), coi.pk, box_29)
    return coi


SATISFACTORY = {"identity_check": "satisfactory", "physical_check": "satisfactory"}


def _decide(coi: Certificate, decision: str, reason: str = "") -> Certificate:
    return release.decide_box_30(person(BORDER), coi.pk, decision=decision, reason=reason, place="Le Havre")


def organic(coi: Certificate) -> Certificate:
    checks = {**SATISFACTORY, "laboratory_test": "yes", "laboratory_result": "satisfactory"}
    return _decide(_checked(_issued_and_notified(coi), **checks), COIStatus.RELEASED_ORGANIC)


def received(coi: Certificate) -> Certificate:
    return release.sign_box_31(person(CONSIGNEE), organic(coi).pk, in_accordance=True, place="Bordeaux")


def in_conversion(coi: Certificate) -> Certificate:
    return _decide(_checked(_issued_and_notified(coi)), COIStatus.RELEASED_IN_CONVERSION)


def non_organic(coi: Certificate) -> Certificate:
    """A laboratory result not satisfactory (box 29): released as non-organic."""
    checks = {**SATISFACTORY, "laboratory_test": "yes", "laboratory_result": "not_satisfactory"}
    reason = "Résidus de chlorpyriphos au-dessus de la limite"
    return _decide(_checked(_issued_and_notified(coi), **checks), COIStatus.RELEASED_NON_ORGANIC, reason)


def not_in_accordance(coi: Certificate) -> Certificate:
    coi = non_organic(coi)
    return release.sign_box_31(
        person(CONSIGNEE), coi.pk, in_accordance=False, remark="Deux cartons aux scellés déchirés", place="Bordeaux"
    )


def refused(coi: Certificate) -> Certificate:
    coi = _checked(_issued_and_notified(coi), documentary="not_satisfactory")
    return _decide(coi, COIStatus.CANNOT_BE_RELEASED, "Les documents d’accompagnement ne correspondent pas au lot")


def in_part(coi: Certificate) -> Certificate:
    """Part can be released: only lot SOF-2026-032 failed its physical check (box 29, per lot); one extract of lot
    SOF-2026-031 submitted by the importer, endorsed as organic (a batch without the failed lot), its consignee's
    box 13 signed."""
    failed = {"physical_check": "not_satisfactory", "lots_not_satisfactory": "SOF-2026-032"}  # box 29, per lot
    checked = _checked(_issued_and_notified(coi), identity_check="satisfactory", **failed)
    held = "Lot SOF-2026-032 held back: its physical check failed"
    base = _decide(checked, COIStatus.BASIS_FOR_EXTRACT, held)
    commodity = base.commodities.first()
    lot = commodity.lines.first() if commodity is not None else None
    if lot is None:
        raise ValueError("The demo COI has no line to extract.")
    foods = _operator("ACME Bio Foods FR")
    extract = extracts.initiate_extract(person(IMPORTER), base.pk, consignee=foods, quantities={lot.pk: (100, "2250")})
    extracts.submit_extract(person(IMPORTER), extract.pk)
    _decide(extract, COIStatus.RELEASED_ORGANIC)
    release.sign_box_31(person(CONSIGNEE), extract.pk, in_accordance=True, place="Bordeaux")
    return base


def depleted(coi: Certificate) -> Certificate:
    return extracts.deplete(person(BORDER), in_part(coi).pk, note="Every batch has been extracted")


# national reference -> (the status it shows, the steps after submission, changes to the full COI)
SCENARIOS: dict[str, tuple[str, Callable[[Certificate], Any], dict[str, Any]]] = {
    "EU2306-ORGANIC": ("released_organic", organic, {}),
    "EU2306-RECEIVED": ("first_consignee_signed", received, {}),
    "EU2306-IN-CONVERSION": ("released_in_conversion", in_conversion, {"organic_status": "in_conversion"}),
    "EU2306-NON-ORGANIC": ("released_non_organic", non_organic, {}),
    "EU2306-NOT-IN-ACCORDANCE": ("first_consignee_signed", not_in_accordance, {}),
    "EU2306-REFUSED": ("cannot_be_released", refused, {}),
    "EU2306-PART": ("basis_for_extract", in_part, {"first_consignee": ""}),
    "EU2306-DEPLETED": ("depleted", depleted, {"first_consignee": ""}),
}


def _data(changes: dict[str, Any]) -> dict[str, Any]:
    data = {**_full_coi(), "point_of_entry_kind": "bcp", "transport_document": "B/L MSCU-26W07-0042"}
    status = changes.get("organic_status", "organic")
    for commodity in data["commodities"]:
        commodity["lines"] = [{**line, "organic_status": status, "category": "a"} for line in commodity["lines"]]
    data.update({k: v for k, v in changes.items() if k != "organic_status"})
    return data


def load_form_2021_2306_demo() -> list[Certificate]:
    membership = _membership(IMPORTER, "ACME Bio Imports FR")
    if membership is None:
        return []
    made = []
    for reference, (_status, bring, changes) in SCENARIOS.items():
        if Certificate.objects.filter(national_reference=reference, base__isnull=True).exists():
            continue
        with transaction.atomic():
            data = {**_data(changes), "national_reference": reference}
            importer = person(IMPORTER)
            coi, _problems = create_draft(importer, membership, data, form=FormCode.R2021_2306)
            made.append(bring(submit(importer, coi.pk)))
    return made
