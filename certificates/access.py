"""Who sees a COI, and as what: the one place pages, the API and the workflow ask.

A draft is visible only to the people of its creator's organisation. Once submitted, the parties named
on it see it: box 1 (the control body code's staff), box 4, box 9 (the validating authority's staff and
the staff of the point of entry's authority), box 11, box 12 and the RFL. Nobody else: 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from certificates.models import DETAIL_RELATED, Certificate, Document
from certificates.statuses import COIRole, COIStatus
from certificates.workflow_records import Depletion, Signature
from core.compiled import CompiledQuery
from core.errors import NotFound
from core.under_lock import hold
from directory import access
from directory.models import Membership, MembershipKind, RflGrant, Status

# The operators a person holds a not revoked RFL grant for (read on every page; SQL built once, core.compiled).
_rfl_grant_operators = CompiledQuery(
    lambda user_id: RflGrant.objects.filter(user_id=user_id, revoked_at__isnull=True).values_list(
        "operator_id", flat=True
    )
)


@dataclass(frozen=True)
class Person:
    """The organisations one person acts for right now (Valid memberships only), read once per request."""

    user: Any  # the User acting (AnonymousUser for a visitor, who acts for no organisation)
    operators: frozenset[int]
    control_body_codes: frozenset[int]
    authorities: frozenset[int]
    rfl_operators: frozenset[int]

    @classmethod
    def of(cls, user: Any, memberships: Iterable[Membership] | None = None) -> Person:
        # One query for the memberships (same meaning as directory.access: Valid memberships, and for operators
        # a Valid operator too) unless given, one for the RFL grants when the person acts for an operator.
        if memberships is None:
            rows: Iterable[tuple[Any, ...]] = (
                access.valid_memberships(user)
                .select_related(None)
                .values_list("kind", "operator_id", "operator__status", "control_body_code_id", "authority_id")
            )
        else:
            memberships = list(memberships)
            rows = [
                (m.kind, m.operator_id, m.operator.status if m.operator is not None else None, m.control_body_code_id,
                 m.authority_id)
                for m in memberships
            ]  # fmt: skip
        operators, codes, authorities = set(), set(), set()
        for kind, operator_id, operator_status, code_id, authority_id in rows:
            if kind == MembershipKind.OPERATOR and operator_status == Status.VALID:
                operators.add(operator_id)
            elif kind == MembershipKind.CONTROL_BODY:
                codes.add(code_id)
            elif kind == MembershipKind.AUTHORITY:
                authorities.add(authority_id)
        # The RFL role counts only for the operators the person acts for now. Memberships read by
        # `directory.access.request_memberships` say whether a grant holds for their operator (`rfl_granted`).
        granted = [m for m in memberships or [] if hasattr(m, "rfl_granted")]
        if memberships is not None and len(granted) == len(list(memberships)):
            rfl = frozenset(m.operator_id for m in granted if m.rfl_granted and m.operator_id is not None) & operators
        else:
            rfl = frozenset(_rfl_grant_operators(user.pk)) & operators if operators else frozenset()
        return cls(
            user=user,
            operators=frozenset(operators),
            control_body_codes=frozenset(codes),
            authorities=frozenset(authorities),
            rfl_operators=rfl,
        )

    @classmethod
    def of_request(cls, request: HttpRequest) -> Person:
        """The person behind a request, read once however many parts of the page ask."""
        person = getattr(request, "_coi_person", None)
        if person is None or person.user is not request.user:
            person = cls.of(request.user, access.request_memberships(request))
            request._coi_person = person  # type: ignore[attr-defined]  # a per-request cache on the request object
        return person


def visible_filter(person: Person) -> Q:
    draft = Q(status=COIStatus.DRAFT) & (
        Q(creator_operator_id__in=person.operators) | Q(creator_control_body_code_id__in=person.control_body_codes)
    )
    named = (
        Q(control_body_code_id__in=person.control_body_codes)
        | Q(exporter_id__in=person.operators)
        | Q(importer_id__in=person.operators)
        | Q(first_consignee_id__in=person.operators)
        | Q(validating_authority_id__in=person.authorities)
        | Q(point_of_entry__authority_id__in=person.authorities)
        | Q(rfl_id__in=person.rfl_operators)
    )
    return draft | (~Q(status=COIStatus.DRAFT) & named)


def visible_certificates(person: Person) -> QuerySet[Certificate]:
    return Certificate.objects.filter(visible_filter(person))


def lock_annotations() -> dict[str, Exists]:
    """What a step's locked read also says of the COI, so that a step asks no query whose answer is "none":
    whether it has signatures, documents, traders (box 6), relatives (extracts or a replacement) and a depletion.
    Read under the COI's lock, they stay true for the step: every step that adds one of them locks the COI
    first, and updates the instance when it adds one (`queries.keep_signature`, `extracts.deplete`)."""
    mine = OuterRef("pk")
    return {
        "lock_has_signatures": Exists(Signature.objects.filter(certificate=mine)),
        "lock_has_documents": Exists(Document.objects.filter(certificate=mine)),
        "lock_has_traders": Exists(Certificate.traders.through.objects.filter(certificate=mine)),
        "lock_has_relatives": Exists(Certificate.objects.filter(Q(base=mine) | Q(replaces=mine))),
        "lock_depleted": Exists(Depletion.objects.filter(certificate=mine)),
    }


def visible_to(person: Person, coi: Certificate) -> bool:
    """`visible_filter` for one COI already read (with its point of entry): the same rule, asked of the row."""
    if coi.status == COIStatus.DRAFT:
        return coi.creator_operator_id in person.operators or coi.creator_control_body_code_id in (
            person.control_body_codes
        )
    entry_authority = coi.point_of_entry.authority_id if coi.point_of_entry_id and coi.point_of_entry else None
    return (
        coi.control_body_code_id in person.control_body_codes
        or coi.exporter_id in person.operators
        or coi.importer_id in person.operators
        or coi.first_consignee_id in person.operators
        or coi.validating_authority_id in person.authorities
        or entry_authority in person.authorities
        or coi.rfl_id in person.rfl_operators
    )


# A step's read of its COI: the row locked alone (FOR UPDATE OF the certificate: the rows it points to, read
# with it for the rules, the history and the answer, are not locked), with `lock_annotations`. Its SQL (ten
# joins, five subqueries) is built once per process (core.compiled): building it cost more CPU than running it.
_locked_row = CompiledQuery(
    lambda pk: (
        Certificate.objects.select_for_update(of=("self",))
        .select_related(*DETAIL_RELATED)
        .annotate(**lock_annotations())
        .filter(pk=pk)
    )
)


# The lock taken alone before that read (PostgreSQL), its SQL built once per process too.
_lock_alone = CompiledQuery(
    lambda pk: Certificate.objects.select_for_update(of=("self",)).filter(pk=pk).values_list("pk", flat=True)
)


def get_visible(person: Person, pk: int, *, for_update: bool = False) -> Certificate:
    """The COI if the person may see it; NotFound otherwise, exactly as if it did not exist. `for_update`: its
    row locked until the transaction ends, read in one query with what a step reads of it (`_locked_row`), the
    visibility asked of the locked row (`visible_to`: the row as it is once the lock is granted)."""
    if for_update:
        if connection.vendor == "postgresql":
            # The lock first, alone: PostgreSQL computes a statement's subqueries in the snapshot taken before it
            # waited for the row, so a read that waited would say "no extract" of a base another step just took
            # lots of. The read after it takes a snapshot with the lock held (READ COMMITTED): one query more.
            _lock_alone(pk)
        found = _locked_row(pk)
        if not found or not visible_to(person, found[0]):
            raise NotFound(_("No such certificate."))
        hold(found[0])  # its lock_* answers hold while this transaction does (core.under_lock)
        return found[0]  # type: ignore[no-any-return]  # the compiled query's rows are Certificates
    coi = visible_certificates(person).filter(pk=pk).first()
    if coi is None:
        raise NotFound(_("No such certificate."))
    return coi


def roles_on(person: Person, coi: Certificate) -> set[str]:
    """The person's COIRoles on this COI, for the matrix (`certificates.matrix.allowed/editable_boxes`).

    On a draft, the people of the creator's organisation hold the role the creator created it as; nobody
    else holds any. After submission, each box the person's organisations are named in gives its role.
    """
    if coi.status == COIStatus.DRAFT:
        in_creator_org = (coi.creator_operator_id in person.operators) or (
            coi.creator_control_body_code_id in person.control_body_codes
        )
        return {coi.creator_role} if in_creator_org else set()
    checks = [
        (COIRole.IMPORTER, coi.importer_id in person.operators),
        (COIRole.EXPORTER, coi.exporter_id in person.operators),
        (COIRole.FIRST_CONSIGNEE, coi.first_consignee_id in person.operators),
        (COIRole.CONTROL_BODY, coi.control_body_code_id in person.control_body_codes),
        (COIRole.VALIDATING_AUTHORITY, coi.validating_authority_id in person.authorities),
        (COIRole.RFL, coi.rfl_id in person.rfl_operators),
    ]
    if coi.point_of_entry:
        checks.append((COIRole.ENTRY_AUTHORITY, coi.point_of_entry.authority_id in person.authorities))
    return {str(role) for role, holds in checks if holds}
