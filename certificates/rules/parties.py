"""The parties of the COI (boxes 1, 4, 5, 6, 11, 12, 13): the issuing body certifies the exporter, and every
party is certified on the day of the step (guide 000, 3.1; Reg. (EU) 2018/848, art. 45 and 46)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from certificates.models import Certificate, CommodityLine
from certificates.queries import attach_activities
from certificates.rules.contents import coi_categories, coi_date
from certificates.rules.problems import NOTHING, FieldProblems, Given, Rule, add
from core import clock
from directory.models import ActivityKind, Operator, OperatorActivity, Status


class IssuerCertifiesExporter(Rule):
    """Box 1: the issuing control body is the body that certifies the exporter of box 4: the exporter's Organic
    Exporter activity names that very code (guide 000, 3.1, box 1: "l'organisme ... qui contrôle
    l'exportateur"; Reg. (EU) 2018/848, art. 45(1)(b)(iii)). That the activity is valid that day is
    `PartiesCertified`'s check at box 4."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.control_body_code is None or coi.exporter is None:
            return {}
        activity = next((a for a in coi.exporter.activities.all() if a.kind == ActivityKind.EXPORTER), None)
        if activity is None or activity.control_body_code_id == coi.control_body_code_id:
            return {}
        return {
            "control_body_code": [
                _("%(code)s does not certify the exporter %(exporter)s: its control body is %(its)s.")
                % {
                    "code": coi.control_body_code.code,
                    "exporter": coi.exporter.name,
                    "its": activity.control_body_code.code,
                }
            ]
        }


class PartiesCertified(Rule):
    """Boxes 4, 11 and 12 (2021/2306: 5, 12 and 24): the exporter, the importer and the first consignee have a
    Valid profile with the matching activity (Organic Exporter, Organic Importer, Organic Operator), certified on
    the day of the step by a control body whose recognition covers the products. `parties` narrows the check to
    some of them: box 20 and box 21 check the importer and the first consignee, an extract's endorsement its
    consignee."""

    PARTIES = (
        ("exporter", ActivityKind.EXPORTER),
        ("importer", ActivityKind.IMPORTER),
        ("first_consignee", ActivityKind.OPERATOR),
    )

    def __init__(self, parties: tuple[str, ...] = ("exporter", "importer", "first_consignee")) -> None:
        self.parties = parties

    @staticmethod
    def refusal(operator: Operator, kind: str, day: datetime.date, categories: set[str]) -> str | None:
        """Why this operator may not stand in the box on that day, or None."""
        if operator.status != Status.VALID:
            return _("%(name)s does not have a Valid profile.") % {"name": operator.name}
        activity = next((a for a in operator.activities.all() if a.kind == kind), None)
        label = ActivityKind(kind).label
        if activity is None:
            return _("%(name)s has no activity “%(activity)s”.") % {"name": operator.name, "activity": label}
        if not activity.certified_on(day):
            return _("%(name)s is not certified as “%(activity)s” on %(day)s.") % {
                "name": operator.name,
                "activity": label,
                "day": clock.day(day),
            }
        if categories and not activity.control_body_code.covers(categories):
            return _("%(name)s's control body %(code)s is not recognised for these products.") % {
                "name": operator.name,
                "code": activity.control_body_code.code,
            }
        return None

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        problems: FieldProblems = {}
        attach_activities([coi], producers=False)  # one query for the parties' activities, unless read already
        day, categories = coi_date(coi), coi_categories(coi)
        for field, kind in self.PARTIES:
            operator = getattr(coi, field) if field in self.parties else None
            if operator is not None:
                reason = self.refusal(operator, kind, day, categories)
                if reason:
                    add(problems, field, reason)
        return problems


def _producer_activities(lines: list[CommodityLine]) -> dict[int, OperatorActivity]:
    """{producer id: its Organic Producer activity}, from the producers' activities read with the COI
    (`queries.attach_activities`) when they were, else in one query."""
    producers = [line.producer for line in lines]
    if all(p is not None and "activities" in getattr(p, "_prefetched_objects_cache", {}) for p in producers):
        rows = [a for p in producers for a in p.activities.all()]  # type: ignore[union-attr]  # None excluded above
    else:
        rows = list(OperatorActivity.objects.filter(operator_id__in={line.producer_id for line in lines}))
    return {a.operator_id: a for a in rows if a.kind == ActivityKind.PRODUCER}


class ProducersCertified(Rule):
    """Boxes 5, 6 and 13: each producer / processor of box 13 has a Valid profile and an Organic Producer /
    Processor activity certified on the day of the step by the control body its line names."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        lines = [line for line in coi.lines() if line.producer_id]
        activities = _producer_activities(lines)
        problems: FieldProblems = {}
        day, seen = coi_date(coi), set()
        for line in lines:
            key = (line.producer_id, line.producer_control_body_code_id)
            if key in seen:
                continue
            seen.add(key)
            reason = self.refusal(line, activities.get(line.producer_id or 0), day)
            if reason:
                add(problems, "commodities", reason)
        return problems

    @staticmethod
    def refusal(line: CommodityLine, activity: OperatorActivity | None, day: datetime.date) -> str | None:
        producer: Operator = line.producer  # type: ignore[assignment]
        if producer.status != Status.VALID:
            return _("%(name)s does not have a Valid profile.") % {"name": producer.name}
        label = ActivityKind(ActivityKind.PRODUCER).label
        if activity is None:
            return _("%(name)s has no activity “%(activity)s”.") % {"name": producer.name, "activity": label}
        if not activity.certified_on(day):
            return _("%(name)s is not certified as “%(activity)s” on %(day)s.") % {
                "name": producer.name,
                "activity": label,
                "day": clock.day(day),
            }
        if line.producer_control_body_code_id and activity.control_body_code_id != line.producer_control_body_code_id:
            return _("%(name)s is not certified by %(code)s.") % {
                "name": producer.name,
                "code": line.producer_control_body_code.code,  # type: ignore[union-attr]
            }
        return None
