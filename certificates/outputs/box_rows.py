"""A COI's boxes as people read them, in the order and with the titles of its form's table: what the COI page
and the PDF of the 2021/2306 form show, box by box (`rows(coi)`), in the active language.

Each row: the box (number, title), its text lines, its signature when the box is signed, and for box 13 the
lines of the products. Fields are printed by their row in the field table (`certificates/fields.py`), by kind,
never per form or per name: parties by name and address (EORI for the importer and the operator responsible),
countries by name, choices by label, yes/no, dates and times. What a box prints that no one field holds (box
3's number, box 4's producers, an extract's base) is `DERIVED`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates import rules
from certificates.coi_forms import Box, form_of
from certificates.coi_forms.choices import Box29Result
from certificates.fields import FIELDS, LINE, Count, Weight
from certificates.models import Certificate, CommodityLine
from certificates.outputs.signed_boxes import checks_of, signatures_of
from certificates.rules import form_2021_2306 as form_rules
from certificates.workflow_records import ExtractQuantity
from core import clock
from core.typography import colon
from directory.models import ActivityKind, ControlBodyCode
from reference.countries import country_name

# The columns a box of lines prints (`Box.columns`) that no line field holds, with their headings. Every other
# column is a line field's (`fields.LINE`), headed by its label, its cells its row's text (`Row.text`) unless
# `PRINTED` says otherwise: a field added to the line table is printed once its name is among a box's columns.
DERIVED_COLUMNS: dict[str, Any] = {
    "cn": gettext_lazy("CN code"),
    "cn_text": gettext_lazy("CN code"),  # the code and its full description (the guides' box 13)
    "base_net_weight": gettext_lazy("Net weight of the original consignment"),
}
KEPT_WHOLE = ("cn",)  # a code read at a glance: never broken over two lines ("0801 32 00")
NUMERIC = ("base_net_weight",)  # and the line fields of a number's kind (a count, a weight)
# A lot number is read and copied whole too ("BIO-2026-0412-A", never broken at its hyphens in the narrow columns of
# the extract's box 11), up to what a column holds; a longer one (up to 100 characters) still wraps (issue 12).
LOT_KEPT_WHOLE = 16


def heading(column: str) -> str:
    """A column's heading in the reader's language: its line field's label with a capital ("Trade name")."""
    derived = DERIVED_COLUMNS.get(column)
    return str(derived) if derived is not None else capfirst(LINE[column].label)


def _classed(text: str, column: str) -> tuple[str, str]:
    return text, _class_of(column, text)


def _class_of(column: str, text: str) -> str:
    if column == "lot_number":
        return "code" if len(text) <= LOT_KEPT_WHOLE and " " not in text else ""
    row = LINE.get(column)
    numeric = column in NUMERIC or (row is not None and isinstance(row.kind, Count | Weight))
    return "num" if numeric else "code" if column in KEPT_WHOLE else ""


@dataclass
class Row:
    box: Box
    lines: list[str] = field(default_factory=list)
    signature: Any = None
    products: list[dict[str, Any]] | None = None
    notes: list[str] = field(default_factory=list)  # the rules' warnings at the box (box 17's departure date)

    @property
    def headings(self) -> list[str]:
        """The headings of the box's columns (box 13 of the COI, box 11 of the extract)."""
        return [heading(name) for name in self.box.columns]

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        """Per line, its cells in the box's columns: (text, its class: "num" for a number, "code" for a code kept
        on one line, "" otherwise)."""
        return [[_classed(p.get(name, ""), name) for name in self.box.columns] for p in self.products or []]

    @property
    def empty(self) -> bool:
        return not self.lines and self.signature is None and not self.products


def field_lines(coi: Certificate, name: str, box: Box) -> list[str]:
    """The text of one field of a box (empty list when not given): its row's (`certificates/fields.py`, by
    kind), or for what the box table names but no field holds, derived from the COI (`DERIVED`)."""
    derived = DERIVED.get(name)
    if derived is not None:
        return derived(coi, box)
    row = FIELDS.get(name)
    return row.lines(coi) if row is not None else []  # "decision": the box's signature prints it


def _base_number(coi: Certificate, box: Box) -> list[str]:
    base = coi.base if coi.base_id else None
    return [base.number] if base is not None and base.number else []


def _splitting_control_body(coi: Certificate, box: Box) -> list[str]:
    body = splitting_control_body(coi)
    return [f"{body.control_body.name} ({body.code})"] if body else []


def _number(coi: Certificate, box: Box) -> list[str]:
    """Box 3: the number the system gave, then the national reference typed, named as such; before submission,
    that the number is given then, never the reference alone where the number stands."""
    reference = f"{_('National reference')}{colon()} {coi.national_reference}" if coi.national_reference else ""
    if coi.number:
        return [t for t in (coi.number, reference) if t]
    if reference:
        return [f"{reference} ({_('the number of the COI is given on submission')})"]
    return [_("The number of the COI is given on submission.")]


def _producers(coi: Certificate, box: Box) -> list[str]:
    """Name (country), then the address."""
    parts = (
        (f"{p.name} ({country_name(p.country)})", p.address, f"{p.postcode} {p.city}".strip())
        for p, _b in coi.producers()
    )
    return [", ".join(t for t in texts if t) for texts in parts]


def _producer_control_bodies(coi: Certificate, box: Box) -> list[str]:
    return [f"{b.control_body.name} ({b.code})" for _p, b in coi.producers() if b]


def _containers(coi: Certificate, box: Box) -> list[str]:
    """Box 14: the numbers; box 15 (the same rows): each number with its seals."""
    if box.key == "15":
        return [f"{c.number}{colon()} {c.seals}" for c in coi.containers.all() if c.seals]
    return [c.number for c in coi.containers.all()]


def _prior_notification(coi: Certificate, box: Box) -> list[str]:
    """Box 20: the estimated arrival, when the notice was first given and when it was last changed."""
    arrival = coi.prior_notification_at
    if not arrival:
        return []
    out = [clock.zoned(arrival)]
    if coi.prior_notified_at:
        first = _("First given")
        out.append(f"{first}{colon()} {clock.zoned(coi.prior_notified_at)}")
    changed = coi.prior_notification_changed_at
    if changed and changed != coi.prior_notified_at:
        last = _("Last changed")
        out.append(f"{last}{colon()} {clock.zoned(changed)}")
    return out


# What a box prints that is derived from the COI (its number, its lines' producers, its base), laid out across
# two boxes (containers and seals) or with a record of its own (box 20's notice), rather than one field's value.
def _checks(coi: Certificate, box: Box) -> list[str]:
    """The guides' PDF's box 19: the issuing body's documentary and physical checks, each with its remarks."""
    checks = checks_of(coi)
    if checks is None:
        return []
    return [
        f"{label}{colon()} {result}" + (f"{colon()} {remarks}" if remarks else "")
        for label, result, remarks in (
            (_("Documentary check"), checks.get_documentary_display(), checks.documentary_remarks),
            (_("Physical check"), checks.get_physical_display(), checks.physical_remarks),
        )
    ]


def _point_of_entry(coi: Certificate, box: Box) -> list[str]:
    """Box 10's post, or a word saying none is chosen (not a bare kind and country)."""
    if coi.point_of_entry_id is None:
        return [_("No point of entry chosen.")]
    return FIELDS["point_of_entry"].lines(coi)


def _laboratory_result(coi: Certificate, box: Box) -> list[str]:
    """Box 29's test result; when none is recorded: "awaited" if the test was made, "not done" if box 25 recorded
    that none was (`rules.form_2021_2306.ChecksNotDone`)."""
    row = FIELDS["laboratory_result"]
    if coi.laboratory_result or coi.laboratory_test is None:
        return row.lines(coi)
    text = _("awaited") if coi.laboratory_test else Box29Result.NOT_DONE.label
    return [f"{row.printed_label(True)}{colon()} {text}"]


CHECKS_OF_BOX_29 = ("identity_check", "physical_check", "laboratory_test", "laboratory_result", "lots_not_satisfactory")


def consignment_checks(extract: Any, box: Box) -> list[str]:
    """An extract's box 12: the checks of box 29 of the consignment it was split from, as that COI prints them
    ("Not done" for a check not made), so the authority endorsing the batch reads what they concern."""
    base = extract.base
    lines = [t for name in CHECKS_OF_BOX_29 for t in field_lines(base, name, box)]
    if not lines:
        return []
    number = form_of(base).number_of("identity_check")  # box 29 of the COI's own form
    title = _("Checks of the consignment (box %(box)s of the certificate of inspection)") % {"box": number}
    return [title + colon(), *lines]


DERIVED: dict[str, Callable[[Any, Box], list[str]]] = {
    "laboratory_result": _laboratory_result,
    "base_number": _base_number,
    "splitting_control_body": _splitting_control_body,
    "national_reference": _number,
    "producers": _producers,
    "producer_control_bodies": _producer_control_bodies,
    "containers": _containers,
    "prior_notification_at": _prior_notification,  # with the notice's own record (first given, last changed)
    "point_of_entry": _point_of_entry,
    "checks": _checks,
}


def splitting_control_body(extract: Certificate) -> ControlBodyCode | None:
    """Box 4 of the extract: the control body certifying the operator who split the consignment (the extract's
    creator, the importer or the operator responsible) as an importer; None when it has no such certification."""
    operator = extract.creator_operator
    if operator is None:
        return None
    activity = (
        operator.activities.filter(kind=ActivityKind.IMPORTER)
        .select_related("control_body_code__control_body")
        .order_by("pk")
        .first()
    )
    return activity.control_body_code if activity else None


def _packages(line: CommodityLine) -> str:
    """The number and the kind of packages in one cell ("400 Carton")."""
    return f"{LINE['packages'].text(line)} {LINE['packaging_type'].text(line)}".strip()


def _category(line: CommodityLine) -> str:
    """The category's letter as Annex II to 2021/1378 numbers it ("(a)")."""
    return LINE["category"].text(line).split(")")[0] + ")" if line.category else ""


def _producer(line: CommodityLine) -> str:
    """The producer's name and its control body's code, not its address."""
    code = line.producer_control_body_code
    return " ".join(t for t in (line.producer.name if line.producer else "", f"({code.code})" if code else "") if t)


# The line fields a box of lines prints otherwise than by their row's text.
PRINTED: dict[str, Callable[[CommodityLine], str]] = {
    "packages": _packages,
    "category": _category,
    "producer": _producer,
}


def products(coi: Certificate, columns: tuple[str, ...] | None = None) -> list[dict[str, str]]:
    """The lines of box 13 (an extract's box 11, with the net weight of the lot of the underlying COI), each as its
    `columns`' texts (every line field's and derived column's by default)."""
    wanted = (*DERIVED_COLUMNS, *LINE) if columns is None else columns
    base_weights: dict[int, str] = {}
    if getattr(coi, "base_id", None) and "base_net_weight" in wanted:
        for taken in ExtractQuantity.objects.filter(extract=coi).select_related("base_line"):
            if taken.line_id:
                base_weights[taken.line_id] = taken.base_line.net_weight_display
    out = []
    for commodity in coi.commodities.all():
        cn = commodity.cn_code
        derived = {
            "cn": cn.formatted,  # as the nomenclature prints it, "0801 32 00"
            "cn_text": f"{cn.formatted} {cn.path}",  # the page: code and full path
        }
        for line in commodity.lines.all():
            cells = {"base_net_weight": base_weights.get(line.pk, ""), **derived}
            out.append(
                {
                    name: cells[name]
                    if name in cells
                    else PRINTED[name](line)
                    if name in PRINTED
                    else LINE[name].text(line)
                    for name in wanted
                }
            )
    return out


def rows(coi: Certificate, signatures: dict[str, Any] | None = None, boxes: tuple[Box, ...] | None = None) -> list[Row]:
    """Every box of the COI's form (of the extract's model for an extract of 2021/2306), in order, with its
    content (the product picker's box aside; the guides' "responsible for the load" has no number and is shown
    by its title). boxes: others of the form's tables (the PDF's, `CoiForm.printed_boxes_for`)."""
    signatures = signatures_of(coi) if signatures is None else signatures
    out: list[Row] = []
    for box in form_of(coi).boxes_for(coi) if boxes is None else boxes:
        if box.key == "products":
            continue
        if box.key == "23v":  # box 23's verification is printed inside box 23
            out[-1].signature = signatures.get("23")
            continue
        row = Row(box)
        for name in box.fields:
            row.lines += field_lines(coi, name, box)
        if box.columns:
            row.products = products(coi, box.columns)
        if box.signed:
            row.signature = signatures.get(box.signature_box)
        if coi.base_id and box.signature_box == "30":  # an extract's box 12
            row.lines += consignment_checks(coi, box)
        out.append(row)
    return out


def box_warnings(coi: Certificate) -> dict[str, list[str]]:
    """The rules' warnings per box key, what the COI's page and its PDF flag without refusing anything: box 17's
    date of departure before the submission, box 20's prior notification first given late
    (`form_2021_2306.WARNINGS`); none on a draft."""
    if coi.is_draft:
        return {}
    return rules.at_boxes(coi, rules.merge(rules.warnings(coi), form_rules.warnings(coi)))


def with_warnings(coi: Certificate, rows: list[Row], warnings: dict[str, list[str]] | None = None) -> list[Row]:
    """The rows, each given the warnings at its box (`Row.notes`; `box_warnings` unless given)."""
    warnings = box_warnings(coi) if warnings is None else warnings
    for row in rows:
        row.notes = warnings.get(row.box.key, [])
    return rows
