"""The dashboard of the organisation a person acts for: COIs per form (and the board limited to one form), COIs
per month by status, net weight by CN chapter and by country of origin, time from submission to release (the
box 20 decision, box 30 on 2021/2306) and the actions waiting for me, with each COI's form.

Every figure is an aggregation in SQL: the number of queries does not grow with the number of COIs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Substr, TruncMonth
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certificates import matrix
from certificates.access import Person, roles_on, visible_certificates
from certificates.coi_forms import FormCode, get_form
from certificates.models import Certificate, CommodityLine
from certificates.outputs import charts
from certificates.statuses import COIRole, COIStatus
from certificates.workflow.steps import STEPS
from certificates.workflow_records import HistoryEntry, Signature, Step
from directory.models import Membership, MembershipKind, RflGrant
from reference.countries import country_name
from reference.lists import WeightUnit
from reference.models import CnCode

MONTHS = 12
TOP = 12
# Statuses whose goods are not (or no longer) a consignment of their own: left out of the weights.
NOT_SHIPPED = [COIStatus.DRAFT, COIStatus.DELETED, COIStatus.REPLACED]


def pending_actions() -> dict[matrix.Action, str]:
    """The steps that wait for someone, on either form: those declared with a `todo` (`workflow/steps.py`)."""
    return {step.action: str(step.todo) for step in STEPS.values() if step.todo}


@dataclass
class FormCount:
    """The organisation's COIs (and extracts) on one form, and the link that shows only them."""

    code: str
    label: str
    count: int
    selected: bool


@dataclass
class Pending:
    coi: Certificate
    actions: list[str]


@dataclass
class Board:
    organisation: str
    months: list[str]
    month_series: list[charts.Series]
    month_chart: SafeString
    chapters: list[tuple[str, float]]
    chapter_chart: SafeString
    origins: list[tuple[str, float]]
    origin_chart: SafeString
    release: dict[str, float] | None
    release_chart: SafeString | None
    pending: list[Pending] = field(default_factory=list)
    pending_count: int = 0
    swatches: list[SafeString] = field(default_factory=list)
    forms: list[FormCount] = field(default_factory=list)
    form: str = ""  # the form the board is limited to ("" for both)
    customs: list[tuple[str, int]] = field(default_factory=list)  # customs' operations by step (Reg. 2024/2145)


def _ids(pk: int | None) -> list[int]:
    return [] if pk is None else [pk]


def organisation_person(user: Any, membership: Membership) -> Person:
    """The person as seen through one organisation only: the dashboard is that organisation's."""
    operators = frozenset(_ids(membership.operator_id)) if membership.kind == MembershipKind.OPERATOR else frozenset()
    rfl = RflGrant.objects.filter(user=user, revoked_at__isnull=True, operator_id__in=operators)
    return Person(
        user=user,
        operators=operators,
        control_body_codes=frozenset(_ids(membership.control_body_code_id))
        if membership.kind == MembershipKind.CONTROL_BODY
        else frozenset(),
        authorities=frozenset(_ids(membership.authority_id))
        if membership.kind == MembershipKind.AUTHORITY
        else frozenset(),
        rfl_operators=frozenset(rfl.values_list("operator_id", flat=True)) if operators else frozenset(),
    )


def build(user: Any, membership: Membership, form: str = "") -> Board:
    """The board of the organisation; `form` ("1235/2008" or "2021/2306") limits every figure to the COIs of that
    form, anything else means both."""
    person = organisation_person(user, membership)
    qs = visible_certificates(person)
    forms = per_form(qs, form)
    if form in FormCode.values:
        qs = qs.filter(form=form)
    else:
        form = ""
    months, series = per_month(qs)
    chapters = weight_by_chapter(qs)
    origins = weight_by_origin(qs)
    release = release_spread(qs)
    pending, count = pending_for(person, qs)
    kg = _("kg")
    return Board(
        organisation=membership.organisation_name,
        months=months,
        month_series=series,
        month_chart=charts.stacked_bars(_("COIs per month by status"), months, series),
        chapters=chapters,
        chapter_chart=charts.horizontal_bars(_("Net weight by CN chapter"), chapters, kg, prefix="c"),
        origins=origins,
        origin_chart=charts.horizontal_bars(_("Net weight by country of origin"), origins, kg, prefix="o"),
        release=release,
        release_chart=charts.box_plot(_("Days from submission to release"), release, _("d")) if release else None,
        pending=pending,
        pending_count=count,
        swatches=[charts.legend_swatch(i) for i in range(len(series))],
        forms=forms,
        form=form,
        customs=customs_operations(qs),
    )


CUSTOMS_STEPS = (Step.CUSTOMS_WRITE_OFF, Step.CUSTOMS_RESTORATION, Step.CUSTOMS_MANUAL)


def customs_operations(qs: QuerySet[Certificate]) -> list[tuple[str, int]]:
    """How many write-offs, restorations and manual changes customs' exchange made on these COIs (one query; the
    history entries the `customs` app writes, Implementing Reg. (EU) 2024/2145 Arts 6 to 8)."""
    counts = dict(
        HistoryEntry.objects.filter(certificate__in=qs.values("pk"), step__in=CUSTOMS_STEPS)
        .values("step")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("step", "n")
    )
    return [(str(step.label), counts.get(step, 0)) for step in CUSTOMS_STEPS] if counts else []


def per_form(qs: QuerySet[Certificate], selected: str) -> list[FormCount]:
    """How many COIs (extracts included) the organisation sees on each form, in one query."""
    counts = {row["form"]: row["n"] for row in qs.values("form").annotate(n=Count("pk")).order_by()}
    return [FormCount(code, str(label), counts.get(code, 0), code == selected) for code, label in FormCode.choices]


def per_month(qs: QuerySet[Certificate]) -> tuple[list[str], list[charts.Series]]:
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    rows = (
        qs.filter(created_at__date__gte=first)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    keys = _month_keys(first, today)
    counts: dict[str, dict[datetime.date, int]] = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        counts.setdefault(row["status"], {})[month] = row["n"]
    series = [
        charts.Series(str(label), [float(counts[value].get(k, 0)) for k in keys])
        for value, label in COIStatus.choices
        if value in counts
    ]
    return [formats.date_format(k, "N Y") for k in keys], series  # N: "juil. 2026", as the locale abbreviates


def _month_keys(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    keys, month = [], first
    while month <= last:
        keys.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return keys


def _kg() -> Any:
    return Sum(
        Case(
            When(net_weight_unit=WeightUnit.TONNE, then=F("net_weight") * Value(1000)),
            default=F("net_weight"),
            output_field=DecimalField(max_digits=20, decimal_places=3),
        )
    )


def _shipped_lines(qs: QuerySet[Certificate]) -> QuerySet[CommodityLine]:
    return CommodityLine.objects.filter(
        commodity__certificate__in=qs.exclude(status__in=NOT_SHIPPED).values("pk"), net_weight__isnull=False
    )


def weight_by_chapter(qs: QuerySet[Certificate]) -> list[tuple[str, float]]:
    rows = (
        _shipped_lines(qs)
        .annotate(chapter=Substr("commodity__cn_code__code", 1, 2))
        .values("chapter")
        .annotate(kg=_kg())
        .order_by("-kg")[:TOP]
    )
    found = list(rows)
    names = {c.code: c.description for c in CnCode.objects.filter(code__in=[r["chapter"] for r in found])}
    return [(f"{r['chapter']} {names.get(r['chapter'], '')}".strip(), float(r["kg"] or 0)) for r in found]


def weight_by_origin(qs: QuerySet[Certificate]) -> list[tuple[str, float]]:
    """Box 7 may name several countries for one COI: such a COI counts under its combination of countries."""
    rows = (
        _shipped_lines(qs).values("commodity__certificate__origin_countries").annotate(kg=_kg()).order_by("-kg")[:TOP]
    )
    return [
        (", ".join(country_name(c) for c in (r["commodity__certificate__origin_countries"] or "").split()) or "—",
         float(r["kg"] or 0))
        for r in rows
    ]  # fmt: skip


def release_spread(qs: QuerySet[Certificate]) -> dict[str, float] | None:
    """Minimum, quartiles, median and maximum of the days from submission to the box 20 decision, computed in
    SQL with one count and one OFFSET query per figure; None when nothing was released yet."""
    released_at = decision_signed_at()
    if released_at is None:
        return None
    durations = (
        qs.filter(submitted_at__isnull=False)
        .annotate(released_at=released_at)
        .filter(released_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("released_at") - F("submitted_at"), output_field=DurationField()))
        .order_by("took")
        .values_list("took", flat=True)
    )
    n = durations.count()
    if not n:
        return None
    positions = {"min": 0, "q1": (n - 1) // 4, "median": (n - 1) // 2, "q3": (3 * (n - 1)) // 4, "max": n - 1}
    spread = {key: _days(durations[k]) for key, k in positions.items()}
    spread["count"] = float(n)
    return spread


def _days(value: Any) -> float:
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value or 0) / 86_400_000_000  # microseconds, on databases without an interval type


def decision_signed_at() -> Any:
    """Per COI, when its release decision was signed: box 20 on the guides' form, box 30 on 2021/2306 (box 12 of
    an extract, recorded as box 30), as a subquery."""
    signed = (
        Signature.objects.filter(certificate=OuterRef("pk"), box__in=[Signature.Box.AUTHORITY, Signature.Box.DECISION])
        .order_by("signed_at")
        .values("signed_at")[:1]
    )
    return Subquery(signed, output_field=DateTimeField())


def _role_filter(role: str, person: Person) -> Q:
    return {
        COIRole.IMPORTER: Q(importer_id__in=person.operators),
        COIRole.EXPORTER: Q(exporter_id__in=person.operators),
        COIRole.FIRST_CONSIGNEE: Q(first_consignee_id__in=person.operators),
        COIRole.CONTROL_BODY: Q(control_body_code_id__in=person.control_body_codes),
        COIRole.VALIDATING_AUTHORITY: Q(validating_authority_id__in=person.authorities),
        COIRole.ENTRY_AUTHORITY: Q(point_of_entry__authority_id__in=person.authorities),
        COIRole.RFL: Q(rfl_id__in=person.rfl_operators),
    }[COIRole(role)]


def pending_for(person: Person, qs: QuerySet[Certificate]) -> tuple[list[Pending], int]:
    """COIs on which the matrix lets the organisation sign or start an extract now, most recent first."""
    wanted = pending_actions()
    condition = Q(pk__in=[])
    for code in FormCode.values:
        coi_form = get_form(code)
        extract_table = matrix.table(coi_form.extract_matrix_csv)
        # A COI's rows; an extract reads its own table first, the COI's table for what that one does not list.
        for (status, role), actions in matrix.table(coi_form.matrix_csv).items():
            if actions & wanted.keys():
                rows_of = Q(base__isnull=True) if (status, role) in extract_table else Q()
                condition |= Q(form=code, status=status) & rows_of & _role_filter(role, person)
        for (status, role), actions in extract_table.items():
            if actions & wanted.keys():
                condition |= Q(form=code, status=status, base__isnull=False) & _role_filter(role, person)
    found = qs.filter(condition).distinct()
    count = found.count()
    rows = found.select_related("point_of_entry", "exporter", "importer").order_by("-updated_at")[:20]
    # An extract of 2021/2306 signs its own boxes 12 and 13 (recorded as boxes 30 and 31).
    of_extract = {step.action: str(step.todo_on_extract) for step in STEPS.values() if step.todo_on_extract}
    pending = []
    for coi in rows:
        roles = roles_on(person, coi)
        names = of_extract if coi.base_id else {}
        labels = [names.get(a, label) for a, label in wanted.items() if matrix.allowed(coi, roles, a)]
        pending.append(Pending(coi, labels))
    return pending, count
