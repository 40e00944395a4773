"""The directory's demo: the guides' organisations, every demo account's role, a request in each queue.

Idempotent: run it twice, get the same rows once.
"""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import User
from directory.models import (
    ActivityKind,
    Authority,
    ControlBody,
    ControlBodyCode,
    IdentifierType,
    Membership,
    MembershipKind,
    Operator,
    OperatorActivity,
    OperatorIdentifier,
    PointOfEntry,
    RflGrant,
    Status,
)

FROM, UNTIL = datetime.date(2025, 1, 1), datetime.date(2027, 12, 31)

CONTROL_BODIES = {
    "ECOCERT France": (
        {"country": "FR", "postcode": "32600", "city": "L'Isle-Jourdain", "address": "BP 47, Lieu-dit Lamothe Ouest"},
        {"MA-BIO-154": "ABCDEF", "TN-BIO-154": "ABD", "EG-BIO-154": "AD", "FR-BIO-01": "ABCDEF"},
    ),
    "Control Union Certifications": (
        {"country": "NL", "postcode": "8011", "city": "Zwolle", "address": "Meeuwenlaan 4-6"},
        {"AE-BIO-149": "ABCDEF", "AF-BIO-149": "ABCDEF", "AL-BIO-149": "A", "MA-BIO-149": "ABD"},
    ),
    "Other CB": (
        {"country": "FR", "postcode": "31000", "city": "Toulouse", "address": "3 allée des Contrôles"},
        {"MA-BIO-177": "AD", "FR-BIO-99": "ABCDEF"},
    ),
}

# name: (address fields, identifiers, activities as (kind, code))
OPERATORS: dict[str, tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]] = {
    "ACME Bio Imports FR": (
        {
            "country": "FR",
            "postcode": "75001",
            "city": "Paris",
            "address": "Big Street 1",
            "email": "contact@acme-bio.example",
        },
        [(IdentifierType.EORI, "FR51234567900017"), (IdentifierType.VAT, "FR12512345678")],
        [(ActivityKind.IMPORTER, "FR-BIO-01"), (ActivityKind.OPERATOR, "FR-BIO-01")],
    ),
    "ACME Bio Foods FR": (
        {"country": "FR", "postcode": "33000", "city": "Bordeaux", "address": "Big Street 2"},
        [],
        [(ActivityKind.OPERATOR, "FR-BIO-01")],
    ),
    "Other Bio Import": (
        {"country": "FR", "postcode": "69002", "city": "Lyon", "address": "12 quai du Rhône"},
        [(IdentifierType.EORI, "FR80012345700015")],
        [(ActivityKind.IMPORTER, "FR-BIO-99"), (ActivityKind.OPERATOR, "FR-BIO-99")],
    ),
    "Atlas Organic Export": (
        {"country": "MA", "postcode": "80000", "city": "Agadir", "address": "Zone industrielle Tassila, lot 12"},
        [],
        [(ActivityKind.EXPORTER, "MA-BIO-154")],
    ),
    "Souss Organic Farms": (
        {"country": "MA", "postcode": "83000", "city": "Taroudant", "address": "Douar Ait Iazza"},
        [],
        [(ActivityKind.PRODUCER, "MA-BIO-154")],
    ),
    "Transit Logistics": (
        {"country": "FR", "postcode": "76600", "city": "Le Havre", "address": "Quai de l'Europe 5"},
        [(IdentifierType.EORI, "FR32165498000010")],
        [],
    ),
}

# demo account -> (organisation kind, organisation key, administrator)
ROLES: dict[str, list[tuple[str, str, bool]]] = {
    "admin@commission.example": [("authority", "European Commission", False)],
    "agent@inao.example": [("authority", "INAO", False)],
    "border@douane.example": [("authority", "Douane / SIVEP Le Havre", False)],
    "agent@ecocert.example": [("code", "MA-BIO-154", False), ("code", "TN-BIO-154", False)],
    "exporter@atlas-organic.example": [("operator", "Atlas Organic Export", True)],
    "importer@acme-bio.example": [("operator", "ACME Bio Imports FR", True)],
    "consignee@acme-foods.example": [("operator", "ACME Bio Foods FR", True)],
    "forwarder@transit.example": [("operator", "Transit Logistics", True)],
    "importer@other-bio.example": [("operator", "Other Bio Import", True)],
    "agent@other-cb.example": [("code", "MA-BIO-177", False)],
    # The customs office of Le Havre port (FR000690, `demo/customs.py`): its administrator issues its machine clients.
    "customs@douane.example": [("authority", "Bureau de douane du Havre port", True)],
}

# People waiting, one in each validator's queue: (email, first, last, organisation kind, key, message)
PENDING = [
    ("colleague@acme-bio.example", "Paul", "Collègue", "operator", "ACME Bio Imports FR", "Purchasing, ACME"),
    ("farm@souss-organic.example", "Amina", "Souss", "operator", "Souss Organic Farms", "Farm manager"),
    ("agent@controlunion.example", "Jan", "Union", "code", "AE-BIO-149", "Inspector for the Emirates"),
    ("new.agent@inao.example", "Nadia", "Nouvelle", "authority", "INAO", "New colleague at INAO"),
]


# A new operator sent with its creator's request, waiting for INAO.
NEW_OPERATOR = (
    "Bio Nouveau SARL",
    {"country": "FR", "postcode": "31300", "city": "Toulouse", "address": "Rue Imaginaire 3"},
    ("nina@bio-nouveau.example", "Nina", "Nouveau"),
)


def _authorities() -> dict[str, Authority]:
    specs = [
        ("European Commission", Authority.Kind.COMMISSION, "BE", "1049", "Brussels", "Rue de la Loi 200"),
        ("INAO", Authority.Kind.COMPETENT, "FR", "93555", "Montreuil", "12 rue Henri Rol-Tanguy"),
        ("Douane / SIVEP Le Havre", Authority.Kind.ENTRY, "FR", "76600", "Le Havre", "Terminal de France"),
        ("Bureau de douane du Havre port", Authority.Kind.CUSTOMS, "FR", "76600", "Le Havre", "Terminal de France"),
    ]
    found = {}
    for name, kind, country, postcode, city, address in specs:
        found[name], _ = Authority.objects.get_or_create(
            name=name,
            kind=kind,
            defaults={"country": country, "postcode": postcode, "city": city, "address": address},
        )
    PointOfEntry.objects.get_or_create(
        code="FRLEH",
        defaults={"name": "Le Havre (port)", "country": "FR", "authority": found["Douane / SIVEP Le Havre"]},
    )
    return found


def _control_body_codes() -> dict[str, ControlBodyCode]:
    codes = {}
    for name, (address, code_categories) in CONTROL_BODIES.items():
        body, _ = ControlBody.objects.get_or_create(name=name, defaults=address)
        for code, categories in code_categories.items():
            codes[code], _ = ControlBodyCode.objects.get_or_create(
                code=code, defaults={"control_body": body, "categories": categories}
            )
    return codes


def _operators(codes: dict[str, ControlBodyCode]) -> dict[str, Operator]:
    found = {}
    for name, (address, identifiers, activities) in OPERATORS.items():
        operator, _ = Operator.objects.get_or_create(name=name, defaults={**address, "status": Status.VALID})
        for kind, value in identifiers:
            OperatorIdentifier.objects.get_or_create(operator=operator, type=kind, value=value)
        for kind, code in activities:
            OperatorActivity.objects.get_or_create(
                operator=operator,
                kind=kind,
                defaults={
                    "control_body_code": codes[code],
                    "identifier": f"{code}/{operator.pk:05d}",
                    "valid_from": FROM,
                    "valid_until": UNTIL,
                    "status": Status.VALID,
                },
            )
        found[name] = operator
    return found


def _membership(
    user: User, kind: str, organisation: Any, *, status: str, is_admin: bool = False, message: str = ""
) -> None:
    field = {"operator": "operator", "code": "control_body_code", "authority": "authority"}[kind]
    membership_kind = {"operator": MembershipKind.OPERATOR, "code": MembershipKind.CONTROL_BODY}.get(
        kind, MembershipKind.AUTHORITY
    )
    Membership.objects.get_or_create(
        user=user,
        **{field: organisation},
        defaults={"kind": membership_kind, "status": status, "is_admin": is_admin, "message": message},
    )


def load_directory_demo(users: dict[str, User]) -> None:
    organisations: dict[str, dict[str, Any]] = {"authority": _authorities(), "code": _control_body_codes()}
    organisations["operator"] = _operators(organisations["code"])
    for email, roles in ROLES.items():
        if email not in users:
            continue
        for kind, key, is_admin in roles:
            _membership(users[email], kind, organisations[kind][key], status=Status.VALID, is_admin=is_admin)
    forwarder = users.get("forwarder@transit.example")
    if forwarder is not None:
        RflGrant.objects.get_or_create(
            user=forwarder,
            operator=organisations["operator"]["Transit Logistics"],
            point_of_entry=PointOfEntry.objects.get(code="FRLEH"),
            defaults={"granted_by": users.get("admin@commission.example")},
        )
    for email, first, last, kind, key, message in PENDING:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "language": "fr"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        _membership(user, kind, organisations[kind][key], status=Status.REQUESTED, message=message)
    _new_operator(organisations["code"]["FR-BIO-01"])


def _new_operator(code: ControlBodyCode) -> None:
    name, address, (email, first, last) = NEW_OPERATOR
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    operator, _ = Operator.objects.get_or_create(name=name, defaults={**address, "created_by": user})
    OperatorIdentifier.objects.get_or_create(operator=operator, type=IdentifierType.EORI, value="FR43396818700016")
    OperatorActivity.objects.get_or_create(
        operator=operator, kind=ActivityKind.IMPORTER, defaults={"control_body_code": code, "valid_from": FROM}
    )
    _membership(user, "operator", operator, status=Status.REQUESTED, message="Operator n. 11111")
