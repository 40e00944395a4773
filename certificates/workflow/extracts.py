"""Extracts of a COI released in batches (status Basis for extract), its split and its depletion.

An extract is a COI of its own that points to its base: a part of some of the base's lots (packages and
net weight), never more than what remains, with its own consignee. The importer or the RFL drafts it and
submits it for endorsement; the authority endorses it in box 20 (`steps.decide`); its consignee signs
box 21. The authority may split the base into extracts itself, and mark it depleted: no extract after.
What remains of a lot is its quantity less what every extract takes, but deleted ones (drafts reserve).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates import rules
from certificates.access import Person, roles_on
from certificates.boxes import Reader
from certificates.coi_forms import form_of
from certificates.fields import over_decimals
from certificates.matrix import Action, allowed
from certificates.models import Certificate, Commodity, CommodityLine
from certificates.statuses import COIRole, COIStatus
from certificates.workflow.after_signature import copy_fields, copy_traders
from certificates.workflow.guards import acting_role, locked, require_two_factor
from certificates.workflow.history import record, written_together
from certificates.workflow.signatures import DECLARATION_20, sign
from certificates.workflow.status import change_status, change_status_and_tell
from certificates.workflow.step_notices import tell
from certificates.workflow_records import Depletion, ExtractQuantity, Said, Signature, Step
from core.converters import read_id
from core.errors import Conflict, Invalid
from core.typography import quantity, read_quantity
from core.under_lock import hold, known
from directory.models import ActivityKind, Operator, OperatorActivity

# {base line id: (packages, net weight)}, as typed or sent.
Quantities = dict[int, tuple[Any, Any]]


@dataclass
class Lot:
    """One line of the base, with what extracts took and what remains."""

    line: CommodityLine
    taken_packages: int
    taken_weight: Decimal

    @property
    def remaining_packages(self) -> int:
        return max((self.line.packages or 0) - self.taken_packages, 0)

    @property
    def remaining_weight(self) -> Decimal:
        return max((self.line.net_weight or Decimal(0)) - self.taken_weight, Decimal(0))


def released_in_parts(coi: Certificate) -> bool:
    """Its lots are released in parts, by extracts: "release in batches" on the guides' form (box 18), or the
    decision "part of the consignment can be released" (status `basis_for_extract`, box 30 of Reg. (EU)
    2021/2306), which on that form has no box of its own. Its remaining lots are then shown and offered."""
    return bool(coi.release_in_batches) or coi.status == COIStatus.BASIS_FOR_EXTRACT


def lots(base: Certificate) -> list[Lot]:
    """Every lot of the base with what remains (two queries; one when a step's locked read says it has no
    extract: nothing is taken)."""
    no_extract = known(base, "lock_has_relatives") is False
    taken = {} if no_extract else {
        row["base_line"]: row
        for row in ExtractQuantity.objects.filter(base_line__commodity__certificate=base)
        .exclude(extract__status=COIStatus.DELETED)
        .values("base_line")
        .annotate(packages=Sum("packages"), weight=Sum("net_weight"), n=Count("pk"))
    }  # fmt: skip
    lines = CommodityLine.objects.filter(commodity__certificate=base).select_related("commodity__cn_code")
    return [
        Lot(line, taken.get(line.pk, {}).get("packages") or 0, taken.get(line.pk, {}).get("weight") or Decimal(0))
        for line in lines.order_by("commodity__position", "commodity__pk", "position", "pk")
    ]


def is_depleted(base: Certificate) -> bool:
    """Whether the base is marked depleted (a step's locked read says so without a query)."""
    depleted = known(base, "lock_depleted")
    if isinstance(depleted, bool):
        return depleted
    return Depletion.objects.filter(certificate=base).exists()


def initiate_extract(
    person: Person,
    base_pk: int,
    *,
    consignee: int | None,
    quantities: Quantities,
    boxes_9: dict[str, Any] | None = None,
) -> Certificate:
    """The importer or the RFL drafts an extract of some lots of the base for one consignee. `boxes_9`: the
    extract's point of release, its member state and authority (box 9 of the guides' form, box 8 of the 2021/2307
    extract) as ids and a country code, as a box edit reads them: one that does not exist is refused at that box
    (`rules.BoxErrors`, 422), nothing drafted."""
    with transaction.atomic(), written_together():  # the extract's entry and its base's: one INSERT
        base = locked(person, base_pk)
        role = acting_role(person, base, Action.INITIATE_EXTRACT)
        extract = _build(person, base, role, consignee, quantities, boxes_9 or {}, status=COIStatus.DRAFT)
        record(person, base, Step.EXTRACT, role=role, old_status=base.status, said=extract.taken_said)  # type: ignore[attr-defined]  # set by _build
    return extract


def submit_extract(person: Person, pk: int) -> Certificate:
    """The extract's draft is submitted for endorsement: it gets its number; the authorities are told."""
    with transaction.atomic(), written_together():
        extract = locked(person, pk)
        role = acting_role(person, extract, Action.SUBMIT_EXTRACT)
        base = Certificate.objects.select_for_update().get(pk=extract.base_id)  # type: ignore[misc]  # an extract always has its base
        extract.number = _extract_number(base)
        extract.submitted_at = timezone.now()
        change_status_and_tell(
            person,
            extract,
            COIStatus.DESCRIPTION_COMPLETED,
            Step.SUBMIT_EXTRACT,
            role=role,
            also=("number", "submitted_at"),
            told={COIRole.VALIDATING_AUTHORITY, COIRole.ENTRY_AUTHORITY},
            title=gettext_noop("Extract %(number)s is submitted for your endorsement"),
        )
    return extract


def split(
    person: Person, base_pk: int, *, parts: list[dict[str, Any]], place: str, code: str | None = None
) -> list[Certificate]:
    """The authority divides the base into extracts, each endorsed at once and left for its consignee to sign.
    `parts`: [{"consignee": id, "quantities": {base line id: (packages, net weight)}}, ...]."""
    with transaction.atomic(), written_together():  # each extract's two entries and the base's: one INSERT
        base = locked(person, base_pk)
        role = acting_role(person, base, Action.SPLIT)
        require_two_factor(person, code)
        if not parts:
            raise Invalid(_("Give at least one part."), code="parts")
        extracts = []
        for part in parts:
            extract = _build(
                person, base, role, part.get("consignee"), part.get("quantities") or {}, {}, status=COIStatus.DRAFT
            )
            extract.number = _extract_number(base)
            extract.submitted_at = timezone.now()
            label = COIStatus.CONSIGNMENT_VERIFIED.label
            sign(
                person,
                extract,
                Signature.Box.AUTHORITY,
                role,
                place=place,
                declaration=_(DECLARATION_20) % {"decision": label},
                decision=COIStatus.CONSIGNMENT_VERIFIED,
            )
            change_status_and_tell(
                person,
                extract,
                COIStatus.CONSIGNMENT_VERIFIED,
                Step.SPLIT,
                role=role,
                said=[(gettext_noop("Split from COI %(number)s and endorsed."), {"number": base.number})],
                also=("number", "submitted_at"),
                told={COIRole.FIRST_CONSIGNEE, COIRole.IMPORTER, COIRole.RFL, COIRole.CONTROL_BODY},
                title=gettext_noop("Extract %(number)s: consignment verified, to be signed by its consignee"),
            )
            extracts.append(extract)
        numbers = ", ".join(e.number or "" for e in extracts)
        record(
            person,
            base,
            Step.SPLIT,
            role=role,
            old_status=base.status,
            said=[(gettext_noop("Split into %(numbers)s."), {"numbers": numbers})],
        )
    return extracts


def deplete(person: Person, base_pk: int, *, note: str = "") -> Certificate:
    """The authority marks the base as depleted: no extract after that."""
    with transaction.atomic(), written_together():
        base = locked(person, base_pk)
        role = acting_role(person, base, Action.DEPLETE)
        if is_depleted(base):
            raise Conflict(_("This COI has already been marked as depleted."))
        Depletion.objects.create(certificate=base, by=person.user, note=note.strip())
        base.lock_depleted = True  # type: ignore[attr-defined]  # the locked read's answer, now changed
        if COIStatus.DEPLETED in form_of(base).statuses:  # 2021/2306: customs sees "Depleted" (2024/2145, Annex I)
            change_status(person, base, COIStatus.DEPLETED, Step.DEPLETE, role=role, note=note.strip())
        else:
            record(person, base, Step.DEPLETE, role=role, old_status=base.status, note=note.strip())
        tell(
            base,
            {COIRole.IMPORTER, COIRole.RFL, COIRole.CONTROL_BODY},
            gettext_noop("COI %(number)s has been marked as depleted: no more extracts"),
            note.strip(),
            actor=person.user,
        )
    return base


# Building an extract ------------------------------------------------------------------------------------


def _build(
    person: Person,
    base: Certificate,
    role: str,
    consignee_id: Any,
    quantities: Quantities,
    boxes_9: dict[str, Any],
    *,
    status: str,
) -> Certificate:
    if is_depleted(base):
        raise Conflict(_("This COI has been marked as depleted: no extract is possible any more."))
    base_lots = lots(base)
    consignee = _consignee(base, consignee_id, base_lots)
    taken = _checked_quantities(base_lots, quantities)
    extract = Certificate(
        status=status,
        base=base,
        creator=person.user,
        creator_role=role if role in (COIRole.IMPORTER, COIRole.RFL) else COIRole.IMPORTER,
        creator_operator=base.rfl if role == COIRole.RFL else base.importer,
    )
    # The base's boxes but its lots and containers (the extract holds only what it takes), then its own.
    copy_fields(base, extract)
    extract.first_consignee = consignee
    extract.release_in_batches = False
    extract.destination_country = consignee.country
    for field, value in _read_boxes_9(base, boxes_9).items():
        if value:
            setattr(extract, field, value)
    units = {base_line.net_weight_unit for base_line, _packages, _weight in taken}
    if len(units) == 1:
        extract.gross_weight, extract.gross_weight_unit = sum((w for _l, _p, w in taken), Decimal(0)), units.pop()
    extract.save()
    extract.lock_has_signatures = False  # type: ignore[attr-defined]  # made now: no signature yet
    hold(extract, like=base)  # true while the step's transaction runs
    copy_traders(base, extract)
    _copy_lots(extract, taken)
    extract.taken_said = _taken_said(taken)  # type: ignore[attr-defined]  # for the base's history entry
    record(
        person,
        extract,
        Step.EXTRACT,
        role=role,
        new_status=status,
        said=[(gettext_noop("Extract of COI %(number)s."), {"number": base.number}), *extract.taken_said],  # type: ignore[attr-defined]  # set above
    )
    return extract


BOXES_9 = ("release_member_state", "validating_authority", "point_of_entry")


def _read_boxes_9(base: Certificate, given: dict[str, Any]) -> dict[str, Any]:
    """The extract's own point of release (guides' box 9, 2021/2307 box 8), read by the box reader: an id
    that names no authority or point of entry, or an unknown country, is refused at that box (never stored)."""
    coi_form = form_of(base)
    boxes = coi_form.extract_boxes or coi_form.boxes
    box = next(b.key for b in boxes if "point_of_entry" in b.fields)
    reader = Reader(dict.fromkeys(BOXES_9, box))
    values = reader.read({name: given[name] for name in BOXES_9 if given.get(name) not in (None, "")})
    rules.require(reader.errors, _("The extract was not drafted: see the boxes marked."))
    return values


def chosen_consignee(consignee_id: Any) -> Operator | None:
    """The operator a posted consignee names (its id, digits 0-9 only), or None: empty, not such a number
    ("²", "1_0", "-1"), or no such operator."""
    pk = read_id(consignee_id)
    return None if pk is None else Operator.objects.filter(pk=pk).first()


def _with_activities(consignee_id: Any) -> Operator | None:
    """`chosen_consignee` with its activities and their control body codes, in one query when it has activities
    (the rule reads both): each activity row brings its operator."""
    pk = read_id(consignee_id)
    if pk is None:
        return None
    activities = list(OperatorActivity.objects.filter(operator_id=pk).select_related("operator", "control_body_code"))
    if not activities:
        consignee = chosen_consignee(pk)
        if consignee is not None:
            prefetch_related_objects([consignee], "activities")
        return consignee
    consignee = activities[0].operator
    for activity in activities:
        activity.operator = consignee
    queryset = consignee.activities.all()
    queryset._result_cache, queryset._prefetch_done = activities, True  # type: ignore[attr-defined]  # as prefetch keeps it
    consignee._prefetched_objects_cache = {"activities": queryset}  # type: ignore[attr-defined]  # Django's prefetch cache
    return consignee


def _consignee(base: Certificate, consignee_id: Any, base_lots: list[Lot]) -> Operator:
    """The extract's consignee, certified that day for the base's products (their categories read from its lots,
    read with their CN codes)."""
    consignee = _with_activities(consignee_id)
    if consignee is None:
        raise Invalid(_("Choose the consignee of the extract."), code="consignee")
    refusal = rules.PartiesCertified.refusal(
        consignee,
        ActivityKind.OPERATOR,
        timezone.localdate(),
        rules.product_categories({lot.line.commodity.cn_code for lot in base_lots}),
    )
    if refusal:
        raise Invalid(refusal, code="consignee")
    return consignee


def _checked_quantities(base_lots: list[Lot], quantities: Quantities) -> list[tuple[CommodityLine, int, Decimal]]:
    """What the extract takes, lot by lot; refused when any lot has not that much left."""
    by_line = {lot.line.pk: lot for lot in base_lots}
    taken = []
    for raw_id, (raw_packages, raw_weight) in quantities.items():
        lot = by_line.get(int(raw_id))
        if lot is None:
            raise Invalid(_("No such lot on this COI."), code="quantities")
        packages, weight = _number(raw_packages, int), _number(raw_weight, Decimal)
        if not packages and not weight:
            continue
        name = lot.line.lot_number or lot.line.trade_name
        if packages < 0 or weight <= 0:
            raise Invalid(
                _("Lot %(lot)s: give the packages and a net weight above zero.") % {"lot": name}, code="quantities"
            )
        if packages > lot.remaining_packages or weight > lot.remaining_weight:
            raise Invalid(
                _("Lot %(lot)s: only %(packages)s packages and %(weight)s %(unit)s remain.")
                % {
                    "lot": name,
                    "packages": lot.remaining_packages,
                    "weight": quantity(lot.remaining_weight),
                    "unit": lot.line.net_weight_unit,
                },
                code="quantities",
            )
        taken.append((lot.line, packages, weight))
    if not taken:
        raise Invalid(_("Give the packages and net weight the extract takes from at least one lot."), code="quantities")
    return taken


def _number(raw: Any, kind: type) -> Any:
    """A typed count (int) or net weight (Decimal, "1,5" read as 1.5); "NaN", "Infinity" and the like are not
    numbers (refused, as the API's schema refuses them), never compared."""
    if raw in (None, ""):
        return kind(0)
    typed = read_quantity(raw)  # as a person writes a number: "1,5", "1 000"; "1e3", "+5", "1_000" refused
    whole = typed is None or kind is not int or typed == typed.to_integral_value()
    value = kind(typed) if typed is not None and whole else None
    if value is None or (isinstance(value, Decimal) and not value.is_finite()):
        raise Invalid(_("%(value)s is not a number.") % {"value": raw}, code="quantities")
    if isinstance(value, Decimal) and over_decimals(value):  # 0.0004 kg would be kept as 0
        raise Invalid(_("%(value)s has more than 3 decimals.") % {"value": raw}, code="quantities")
    return value


def _copy_lots(extract: Certificate, taken: list[tuple[CommodityLine, int, Decimal]]) -> None:
    """The lots the extract takes as its box 13 (each base commodity once, each lot a line) and what it takes of
    each base lot: three inserts whatever the number of lots."""
    commodities: dict[int, Commodity] = {}
    for base_line, _packages, _weight in taken:
        source = base_line.commodity
        if source.pk not in commodities:
            commodities[source.pk] = Commodity(
                certificate=extract, cn_code_id=source.cn_code_id, position=source.position
            )
    Commodity.objects.bulk_create(commodities.values())
    lines = [
        CommodityLine(
            commodity=commodities[base_line.commodity.pk],
            position=position,
            trade_name=base_line.trade_name,
            lot_number=base_line.lot_number,
            packages=packages,
            packaging_type=base_line.packaging_type,
            net_weight=weight,
            net_weight_unit=base_line.net_weight_unit,
            producer_id=base_line.producer_id,
            producer_control_body_code_id=base_line.producer_control_body_code_id,
            organic_status=base_line.organic_status,  # 2021/2307, box 11: as in box 13 of the COI
            category=base_line.category,
        )
        for position, (base_line, packages, weight) in enumerate(taken)
    ]
    CommodityLine.objects.bulk_create(lines)
    ExtractQuantity.objects.bulk_create(
        ExtractQuantity(extract=extract, base_line=base_line, line=line, packages=packages, net_weight=weight)
        for line, (base_line, packages, weight) in zip(lines, taken, strict=True)
    )


def _extract_number(base: Certificate) -> str:
    """`<base number>-E<n>`: n counts the base's numbered extracts, read under the base's lock (those of this
    step included)."""
    if known(base, "lock_has_relatives") is False:
        n = getattr(base, "numbered_now", 0) + 1  # the locked read: no extract but this step's
    else:
        n = Certificate.objects.filter(base=base, number__isnull=False).count() + 1
    base.numbered_now = getattr(base, "numbered_now", 0) + 1  # type: ignore[attr-defined]  # this step's count
    return f"{base.number}-E{n:02d}"


# What an extract takes of one lot, in its history and its base's; read in the reader's language.
TAKEN = gettext_noop("%(lot)s: %(packages)s / %(weight)s %(unit)s")


def _taken_said(taken: list[tuple[CommodityLine, int, Decimal]]) -> list[Said]:
    """What the extract takes, lot by lot, as its history and the base's say it (`HistoryEntry.said`): "LOT-A: 10 /
    1 234,5 kg" to a French reader, "LOT-A: 10 / 1,234.5 kg" to an English one; the weight as stored."""
    places = ExtractQuantity._meta.get_field("net_weight").decimal_places
    return [
        (
            TAKEN,
            {
                "lot": base_line.lot_number or base_line.trade_name,
                "packages": {"number": str(packages)},
                "weight": {"kg": f"{Decimal(weight).quantize(Decimal(1).scaleb(-places)).normalize():f}"},
                "unit": base_line.net_weight_unit,
            },
        )
        for base_line, packages, weight in taken
    ]


def may_extract(person: Person, base: Certificate) -> bool:
    return allowed(base, roles_on(person, base), Action.INITIATE_EXTRACT) and not is_depleted(base)
