"""History and signatures for the generated COIs: one entry per step each COI went through."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from bench.sql import insert_select

AFTER_18 = ("issuing_body_signed", "consignment_verified", "first_consignee_signed", "basis_for_extract",
            "released_as_conventional", "not_released", "ofis_irregularity", "deleted", "replaced")  # fmt: skip
DECIDED = ("consignment_verified", "first_consignee_signed", "basis_for_extract", "released_as_conventional",
           "not_released", "ofis_irregularity", "deleted")  # fmt: skip
DECISION = (
    "CASE WHEN c.status IN ('first_consignee_signed', 'ofis_irregularity', 'deleted') THEN 'consignment_verified' "
    "ELSE c.status END"
)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


def generate_history(ids: dict[str, Any]) -> dict[str, int]:
    entry = apps.get_model("certificates", "HistoryEntry")
    signature = apps.get_model("certificates", "Signature")
    coi = apps.get_model("certificates", "Certificate")._meta.db_table
    mine = f"{coi} c WHERE c.id >= {ids['first_cert']}"
    steps = [
        # (step, when, which COIs, old status, new status, signature box)
        ("submit", "c.submitted_at", "c.status <> 'draft'", "'draft'", "'description_completed'", None),
        ("sign_18", "c.submitted_at + interval '2 days'", f"c.status IN {_in(AFTER_18)}", "'description_completed'",
         "'issuing_body_signed'", "18"),
        ("sign_20", "c.submitted_at + interval '9 days'", f"c.status IN {_in(DECIDED)}", "'issuing_body_signed'",
         DECISION, "20"),
        ("sign_21", "c.submitted_at + interval '12 days'", "c.status = 'first_consignee_signed'",
         "'consignment_verified'", "'first_consignee_signed'", "21"),
    ]  # fmt: skip
    counts = {"history entries": 0, "signatures": 0}
    for step, when, which, old, new, box in steps:
        counts["history entries"] += insert_select(
            entry, "",
            {"certificate": "c.id", "at": when, "actor_name": "'Bench Person'", "organisation": "'Bench'",
             "step": f"'{step}'", "old_status": old, "new_status": new, "changes": "'[]'::jsonb"},
            source=f"{mine} AND {which}",
        )  # fmt: skip
        if box:
            counts["signatures"] += insert_select(
                signature, "",
                {"certificate": "c.id", "box": f"'{box}'", "signer_name": "'Bench Signatory'",
                 "organisation": "'Bench'", "place": "'Paris'", "signed_at": when,
                 "declaration": "'Declaration'", "decision": DECISION if box == "20" else "''"},
                source=f"{mine} AND {which}",
            )  # fmt: skip
    return counts
