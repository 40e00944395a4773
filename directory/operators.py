"""Operators: searching, creating one with its first request, adding activities and identifiers, deciding
on a profile or an activity. The rules are `directory/matrix.py`'s; requests and decisions on people are
`directory/services.py`'s.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, Invalid, NotFound
from core.notify import notify_message
from directory import matrix, services
from directory.eori import check_eori
from directory.models import (
    ActivityKind,
    ControlBodyCode,
    Decision,
    IdentifierType,
    Membership,
    Operator,
    OperatorActivity,
    OperatorIdentifier,
    Status,
)
from reference.countries import is_country


@dataclass
class OperatorDetails:
    name: str
    country: str
    city: str
    address: str
    postcode: str = ""
    region: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    latitude: Any = None
    longitude: Any = None


@dataclass
class NewActivity:
    kind: str
    control_body_code: ControlBodyCode
    identifier: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    publication_date: datetime.date | None = None
    application_date: datetime.date | None = None
    remarks: str = ""


@dataclass
class NewIdentifier:
    type: str
    value: str


class LikelyDuplicate(Conflict):
    """The operator looks already registered: same EORI, or same name in the same city."""

    code = "likely_duplicate"

    def __init__(self, candidates: list[Operator]) -> None:
        super().__init__(_("This operator may already exist. Request to join it, or confirm that it is another one."))
        self.candidates = candidates


@dataclass
class ContactInfo:
    message: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def with_details(qs: QuerySet[Operator]) -> QuerySet[Operator]:
    activities = OperatorActivity.objects.select_related("control_body_code__control_body")
    return qs.prefetch_related(Prefetch("activities", queryset=activities), "identifiers")


def search_operators(country: str, kind: str = "", text: str = "") -> QuerySet[Operator]:
    """Valid operators of a country, by activity and by text over name, identifiers and approval numbers; in
    collation order of their names ('Établissements Martin' among the E)."""
    qs = Operator.objects.filter(country=country.upper(), status=Status.VALID)
    if kind:
        qs = qs.filter(activities__kind=kind, activities__status=Status.VALID)
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(identifiers__value__icontains=text)
            | Q(activities__identifier__icontains=text)
            | Q(activities__control_body_code__code__iexact=text)
        )
    ids = qs.values("pk")
    return with_details(Operator.objects.filter(pk__in=ids).order_by("name_key", "pk"))  # collation order


def search_control_body_codes(country: str = "", text: str = "") -> QuerySet[ControlBodyCode]:
    qs = ControlBodyCode.objects.filter(active=True).select_related("control_body")
    if country:
        qs = qs.filter(Q(country=country.upper()) | Q(control_body__country=country.upper()))
    if text.strip():
        qs = qs.filter(Q(control_body__name__icontains=text.strip()) | Q(code__icontains=text.strip()))
    return qs.order_by("control_body__name", "code")


def likely_duplicates(details: OperatorDetails, identifiers: list[NewIdentifier]) -> list[Operator]:
    eoris = [check_eori(i.value) for i in identifiers if i.type == IdentifierType.EORI and i.value.strip()]
    same = Q(name__iexact=details.name.strip(), city__iexact=details.city.strip(), country=details.country.upper())
    if eoris:
        same |= Q(identifiers__type=IdentifierType.EORI, identifiers__value__in=eoris)
    ids = Operator.objects.filter(same).exclude(status__in=Status.closed()).values("pk")
    return list(with_details(Operator.objects.filter(pk__in=ids)))


def _check_activity(country: str, activity: NewActivity) -> None:
    if activity.kind not in ActivityKind.values:
        raise Invalid(_("Unknown activity."))
    if not activity.control_body_code.active:
        raise Invalid(_("This control body code is not recognised."))
    if activity.control_body_code.country != country:
        raise Invalid(
            _("The control body code %(code)s does not certify in this operator's country.")
            % {"code": activity.control_body_code.code}
        )
    if activity.valid_from and activity.valid_until and activity.valid_until < activity.valid_from:
        raise Invalid(_("An activity's end of validity comes after its start."))


def _clean_identifiers(identifiers: list[NewIdentifier]) -> list[NewIdentifier]:
    cleaned = []
    for identifier in identifiers:
        value = identifier.value.strip()
        if not value:
            continue
        if identifier.type not in IdentifierType.values:
            raise Invalid(_("Unknown identifier type."))
        if identifier.type == IdentifierType.EORI:
            value = check_eori(value)
        cleaned.append(NewIdentifier(identifier.type, value))
    return cleaned


def _check_new_operator(
    details: OperatorDetails, identifiers: list[NewIdentifier], activities: list[NewActivity]
) -> None:
    if not (details.name.strip() and details.city.strip() and details.address.strip()):
        raise Invalid(_("Name, city and address are mandatory."))
    if not is_country(details.country):
        raise Invalid(_("Choose a country."))
    if not activities:
        raise Invalid(_("Give at least one activity, with the control body that certifies it."))
    kinds = [a.kind for a in activities]
    if len(set(kinds)) != len(kinds):
        raise Invalid(_("Each activity appears once: one operator with several activities stays one operator."))
    for activity in activities:
        _check_activity(details.country.upper(), activity)
    if ActivityKind.IMPORTER in kinds and not any(i.type == IdentifierType.EORI for i in identifiers):
        raise Invalid(_("An Organic Importer must give its EORI number."))


def create_operator_with_request(
    user: Any,
    details: OperatorDetails,
    identifiers: list[NewIdentifier],
    activities: list[NewActivity],
    contact: ContactInfo | None = None,
    *,
    confirm_duplicate: bool = False,
) -> Membership:
    """Create a Requested operator and the person's request to act for it: both go to its validator."""
    contact = contact or ContactInfo()
    details.country = details.country.upper()
    identifiers = _clean_identifiers(identifiers)
    _check_new_operator(details, identifiers, activities)
    if not confirm_duplicate:
        candidates = likely_duplicates(details, identifiers)
        if candidates:
            raise LikelyDuplicate(candidates)
    with transaction.atomic():
        operator = Operator.objects.create(
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in vars(details).items()},
            status=Status.REQUESTED,
            created_by=user,
        )
        Decision.objects.create(operator=operator, actor=user, new_status=Status.REQUESTED)
        for identifier in {(i.type, i.value): i for i in identifiers}.values():
            OperatorIdentifier.objects.create(operator=operator, type=identifier.type, value=identifier.value)
        for activity in activities:
            OperatorActivity.objects.create(operator=operator, status=Status.REQUESTED, **vars(activity))
        return services.request_membership(
            user,
            operator,
            message=contact.message,
            contact_email=contact.contact_email,
            contact_phone=contact.contact_phone,
        )


def visible_operator(actor: Any, pk: int) -> tuple[Operator, matrix.Standing]:
    """An operator's full page (people, activities to decide): its Valid members and its validators only."""
    operator = with_details(Operator.objects.filter(pk=pk)).first()
    st = matrix.standing(actor)
    if operator is None:
        raise NotFound(_("This operator does not exist."))
    member = Membership.objects.filter(user_id=st.user_id, operator=operator, status=Status.VALID).exists()  # type: ignore[misc]  # a standing is a saved membership: it has its user
    if not (member or matrix.may_decide_operator(st, operator) or matrix.may_edit_operator(st, operator)):
        raise NotFound(_("This operator does not exist."))
    return operator, st


def _editable_operator(actor: Any, pk: int) -> Operator:
    operator, st = visible_operator(actor, pk)
    if not matrix.may_edit_operator(st, operator):
        raise NotFound(_("This operator does not exist."))
    return operator


def add_activity(actor: Any, operator_id: int, activity: NewActivity) -> OperatorActivity:
    """An administrator adds an activity: it is Requested until the operator's validator decides."""
    operator = _editable_operator(actor, operator_id)
    _check_activity(operator.country, activity)
    if activity.kind == ActivityKind.IMPORTER and not operator.identifiers.filter(type=IdentifierType.EORI).exists():
        raise Invalid(_("An Organic Importer must give its EORI number."))
    try:
        with transaction.atomic():
            created = OperatorActivity.objects.create(operator=operator, status=Status.REQUESTED, **vars(activity))
            Decision.objects.create(activity=created, actor=actor, new_status=Status.REQUESTED)
    except IntegrityError:
        raise Conflict(_("This operator already has this activity."))
    _tell_activity_deciders(created)
    return created


def _tell_activity_deciders(activity: OperatorActivity) -> None:
    probe = Membership(kind="operator", operator=activity.operator, user_id=None)  # type: ignore[misc]  # an unsaved probe for the rules, of no one
    for decider in {m.user for m in matrix.deciders_of(probe) if not m.is_admin}:
        notify_message(
            decider,
            _("A new activity of %(organisation)s waits for your decision"),
            _("Hello %(name)s,\n\n%(organisation)s adds the activity %(activity)s."),
            {"name": decider.get_full_name(), "organisation": activity.operator.name, "activity": activity},
            reverse("directory:queue"),
        )


def add_identifier(actor: Any, operator_id: int, identifier: NewIdentifier) -> OperatorIdentifier:
    operator = _editable_operator(actor, operator_id)
    cleaned = _clean_identifiers([identifier])
    if not cleaned:
        raise Invalid(_("Give the identifier's value."))
    obj, created = OperatorIdentifier.objects.get_or_create(
        operator=operator, type=cleaned[0].type, value=cleaned[0].value
    )
    if not created:
        raise Conflict(_("This operator already has this identifier."))
    return obj


def decide_operator(actor: Any, operator_id: int, action: str, reason: str = "") -> Operator:
    """The validator validates, rejects, suspends or deletes an operator's profile."""
    with transaction.atomic():
        operator, st = visible_operator(actor, operator_id)
        if not matrix.may_decide_operator(st, operator):
            raise NotFound(_("This operator does not exist."))
        operator = Operator.objects.select_for_update().get(pk=operator.pk)
        new = services.new_status(action, operator.status, reason)
        services.set_operator_status(actor, operator, new, reason.strip())
    return operator


def decide_activity(actor: Any, activity_id: int, action: str, reason: str = "") -> OperatorActivity:
    with transaction.atomic():
        activity = (
            OperatorActivity.objects.select_for_update()
            .select_related("operator", "control_body_code")
            .filter(pk=activity_id)
            .first()
        )
        if activity is None or not matrix.may_decide_activity(matrix.standing(actor), activity):
            raise NotFound(_("This activity does not exist."))
        new = services.new_status(action, activity.status, reason)
        services.set_activity_status(actor, activity, new, reason.strip())
    return activity
