"""Demo COIs for the guides' actors: drafts and COIs in Description completed. Idempotent (keyed on the
national reference), and it goes through the same services as the pages, so the demo obeys every rule."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from certificates.access import Person
from certificates.boxes import BoxData
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.services import create_draft
from certificates.workflow.certification import submit
from directory.models import Authority, Membership, Operator, PointOfEntry, RflGrant, Status
from reference.models import CnCode

# national reference -> (creator's email, organisation they act for, submitted?, changes to the full COI)
DEMO_COIS: list[tuple[str, str, str, bool, dict[str, Any]]] = [
    ("ACME-2026-001", "importer@acme-bio.example", "ACME Bio Imports FR", True, {}),
    ("ATLAS-2026-014", "exporter@atlas-organic.example", "Atlas Organic Export", True, {"rfl": "Transit Logistics"}),
    (
        "ACME-2026-002",
        "importer@acme-bio.example",
        "ACME Bio Imports FR",
        False,
        {"containers": [], "gross_weight": ""},
    ),
    (
        "ECOCERT-MA-2026-7",
        "agent@ecocert.example",
        "MA-BIO-154",
        False,
        {"first_consignee": "", "release_in_batches": True},
    ),
]


def _operator(name: str) -> int | None:
    operator = Operator.objects.filter(name=name).first()
    return operator.pk if operator else None


def _full_coi() -> BoxData:
    """Cashew nuts from Morocco: two lots from Souss Organic Farms, one container, by sea to Le Havre."""
    authority = Authority.objects.filter(kind=Authority.Kind.COMPETENT, country="FR").order_by("name").first()
    point = PointOfEntry.objects.filter(code="FRLEH").first()
    farm = _operator("Souss Organic Farms")
    line = {"packages": 400, "packaging_type": "CT", "net_weight": "9000", "net_weight_unit": "kg", "producer": farm}
    return {
        "control_body_code": "MA-BIO-154",
        "exporter": _operator("Atlas Organic Export"),
        "origin_countries": ["MA"],
        "export_country": "MA",
        "release_member_state": "FR",
        "validating_authority": authority.pk if authority else None,
        "point_of_entry": point.pk if point else None,
        "importer": _operator("ACME Bio Imports FR"),
        "first_consignee": _operator("ACME Bio Foods FR"),
        "commodities": [
            {
                "cn_code": "08013200",
                "lines": [
                    {**line, "trade_name": "Organic cashew kernels W320", "lot_number": "SOF-2026-031"},
                    {**line, "trade_name": "Organic cashew kernels W240", "lot_number": "SOF-2026-032",
                     "packages": 300, "net_weight": "6800"},
                ],
            }
        ],
        "containers": [{"number": "CSQU3054383", "seals": "MA-SEAL-778812"}],
        "gross_weight": "16500",
        "gross_weight_unit": "kg",
        "transport_mode": "vessel",
        "transport_identification": "MSC Agadir, voyage 26W07",
    }  # fmt: skip


def _membership(email: str, organisation: str) -> Membership | None:
    memberships = Membership.objects.filter(user__email=email, status=Status.VALID).select_related(
        "user", "operator", "control_body_code"
    )
    return next(
        (
            m
            for m in memberships
            if organisation in (m.operator and m.operator.name, m.control_body_code and m.control_body_code.code)
        ),
        None,
    )


def load_certificates_demo() -> list[Certificate]:
    if not CnCode.objects.filter(code="08013200").exists():
        call_command("load_cn", verbosity=0)
    cois = []
    for reference, email, organisation, submitted, changes in DEMO_COIS:
        existing = Certificate.objects.filter(national_reference=reference).first()
        membership = _membership(email, organisation)
        if existing is not None or membership is None:
            cois += [existing] if existing else []
            continue
        data = {**_full_coi(), **changes, "national_reference": reference}
        if isinstance(data.get("rfl"), str):
            data["rfl"] = (
                _operator(data["rfl"]) if RflGrant.objects.filter(operator__name=data["rfl"]).exists() else None
            )
        person = Person.of(membership.user)
        coi, _problems = create_draft(person, membership, data, form=FormCode.R1235_2008)
        cois.append(submit(person, coi.pk) if submitted else coi)
    return cois
