"""Steps of the workflow after box 18 that end or divert a COI: replacement by the issuing body, OFIS
irregularity, deletion by the authority. Same rules as every step (see `certificates/workflow/__init__.py`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates import rules
from certificates.access import Person
from certificates.matrix import Action
from certificates.models import Certificate, Commodity, CommodityLine, Container
from certificates.rules.form_2021_2306 import ReplacedOnlyBeforeUnionChecks
from certificates.statuses import COIRole, COIStatus
from certificates.workflow.guards import acting_role, locked
from certificates.workflow.history import record, written_together
from certificates.workflow.numbering import next_number
from certificates.workflow.status import change_status_and_tell
from certificates.workflow.step_notices import ALL_PARTIES, tell
from certificates.workflow_records import Irregularity, Step
from core.errors import Conflict, Invalid
from core.notify import NoticeKind
from core.under_lock import known


def replace(person: Person, pk: int, *, note: str = "") -> Certificate:
    """After box 18, the issuing body replaces the COI by a new editable copy; each points to the other."""
    with transaction.atomic(), written_together():  # the old COI's entry and the new one's: one INSERT
        old = locked(person, pk)
        role = acting_role(person, old, Action.REPLACE)
        pending = (
            None if known(old, "lock_has_relatives") is False else Certificate.objects.filter(replaces=old).first()
        )
        if pending is not None:
            raise Conflict(_("This COI already has a replacement: %(number)s.") % {"number": pending.number})
        rules.require(
            rules.at_boxes(old, ReplacedOnlyBeforeUnionChecks().check(old)),
            _("This COI can no longer be replaced."),
            status=409,
        )
        now = timezone.now()
        new = copy_boxes(
            old,
            Certificate(
                status=COIStatus.DESCRIPTION_COMPLETED,
                replaces=old,
                submitted_at=now,
                created_at=now,
                number=next_number(old.export_country, timezone.localdate(now).year),
                creator=person.user,
                creator_role=old.creator_role,
                creator_operator=old.creator_operator,
                creator_control_body_code=old.creator_control_body_code,
            ),
        )
        record(
            person,
            old,
            Step.REPLACE,
            role=role,
            old_status=old.status,
            said=[(gettext_noop("Replacement: COI %(number)s."), {"number": new.number})],
            note=note.strip(),
        )
        record(
            person,
            new,
            Step.REPLACE,
            role=role,
            new_status=new.status,
            said=[(gettext_noop("Replaces COI %(number)s."), {"number": old.number})],
            note=note.strip(),
        )
        tell(
            old,
            ALL_PARTIES - {COIRole.CONTROL_BODY},
            gettext_noop("COI %(number)s is being replaced by COI %(new)s"),
            note,
            params={"new": new.number},
            actor=person.user,
        )
    return new


def copy_boxes(source: Certificate, target: Certificate) -> Certificate:
    """Every box of `source` into `target` (saved here): the replacement "copies everything"."""
    copy_fields(source, target)
    target.save()
    copy_traders(source, target)
    for commodity in source.commodities.prefetch_related("lines"):
        copy = Commodity.objects.create(
            certificate=target, cn_code_id=commodity.cn_code_id, position=commodity.position
        )
        CommodityLine.objects.bulk_create(_copied_line(line, copy) for line in commodity.lines.all())
    Container.objects.bulk_create(
        Container(certificate=target, position=c.position, number=c.number, seals=c.seals)
        for c in source.containers.all()
    )
    return target


def copy_traders(source: Certificate, target: Certificate) -> None:
    """Box 6's traders of `source` onto `target`, just saved (one query to read them, one to add them if any)."""
    through = Certificate.traders.through
    if known(source, "lock_has_traders") is False:  # a step's locked read says it has none
        return
    ids = list(through.objects.filter(certificate_id=source.pk).values_list("operator_id", flat=True))
    if ids:
        through.objects.bulk_create(through(certificate_id=target.pk, operator_id=i) for i in ids)


def copy_fields(source: Certificate, target: Certificate) -> None:
    """The boxes held in the COI's own row, from `source` onto `target` (not saved): a relation the source read
    with it (`DETAIL_RELATED`) is copied as that object, so that reading it on the target costs no query."""
    for field in (
        "form",
        "national_reference",
        "control_body_code_id",
        "procedure",
        "exporter_id",
        "origin_countries",
        "export_country",
        "release_member_state",
        "validating_authority_id",
        "point_of_entry_id",
        "destination_country",
        "importer_id",
        "rfl_id",
        "first_consignee_id",
        "release_in_batches",
        "gross_weight",
        "gross_weight_unit",
        "transport_mode",
        "transport_identification",
        "transport_document",
        "point_of_entry_kind",
        "departure_date",
    ):
        setattr(target, field, getattr(source, field))
        relation = field.removesuffix("_id")
        if relation != field and Certificate._meta.get_field(relation).is_cached(source):  # type: ignore[union-attr]  # a ForeignKey
            setattr(target, relation, getattr(source, relation))


def _copied_line(line: CommodityLine, commodity: Commodity) -> CommodityLine:
    line.pk = None
    line.commodity = commodity
    return line


def flag_irregularity(person: Person, pk: int, *, description: str) -> Certificate:
    """An OFIS irregularity, told to the issuing body, the validating authority and the importer."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.FLAG_OFIS)
        if not description.strip():
            raise Invalid(_("Describe the irregularity."), code="description")
        Irregularity.objects.create(
            certificate=coi,
            description=description.strip(),
            flagged_by=person.user,
            role=role,
            status_before=coi.status,
        )
        change_status_and_tell(
            person,
            coi,
            COIStatus.OFIS_IRREGULARITY,
            Step.FLAG,
            role=role,
            note=description.strip(),
            told={COIRole.CONTROL_BODY, COIRole.VALIDATING_AUTHORITY, COIRole.IMPORTER},
            title=gettext_noop("COI %(number)s: an OFIS irregularity has been flagged"),
            text=description.strip(),
            kind=NoticeKind.IRREGULARITY,
        )
    return coi


def delete(person: Person, pk: int, *, reason: str) -> Certificate:
    """Deleted by the authority, with a reason; the COI stays readable to its parties."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.DELETE)
        if not reason.strip():
            raise Invalid(_("Give the reason for deleting this COI."), code="reason")
        rules.require(
            rules.at_boxes(coi, rules.ReplacementProtects("delete").check(coi)),
            _("This COI cannot be deleted now."),
            status=409,
        )
        change_status_and_tell(
            person,
            coi,
            COIStatus.DELETED,
            Step.DELETE,
            role=role,
            note=reason.strip(),
            told=ALL_PARTIES,
            title=gettext_noop("COI %(number)s has been deleted by the authority"),
            text=reason.strip(),
        )
    return coi
