"""`{% workflow_panel coi %}`: the workflow panel of a COI page (steps I may take now, relatives, history)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from certificates import fields as field_table
from certificates import lookups
from certificates.access import Person
from certificates.coi_forms import form_of
from certificates.coi_forms.choices import Satisfactory
from certificates.models import Certificate
from certificates.page_cache import shared_parts
from certificates.rules.form_2021_2306 import offered_decisions
from certificates.statuses import COIStatus
from certificates.workflow.extracts import chosen_consignee, released_in_parts
from certificates.workflow.offer import Relatives, relatives, steps_for
from certificates.workflow.steps import STEPS, Kind, WorkflowStep
from certificates.workflow_records import CheckResult
from core import clock
from core.typography import quantity
from directory.models import Operator
from reference.countries import country_name
from reference.lists import TransportMode, WeightUnit

register = template.Library()


@register.inclusion_tag("certificates/_workflow.html", takes_context=True)
def workflow_panel(context: dict[str, Any], coi: Certificate, parts: dict[str, Any] | None = None) -> dict[str, Any]:
    """The panel: the COI's checks, signatures and timeline (`parts`, shared by every party, from
    `certificates.page_cache`), then what this person may do now and the relatives they may see."""
    person = Person.of_request(context["request"])
    steps = steps_for(person, coi)
    found = Relatives() if _alone(coi) else relatives(person, coi)
    refused: dict[str, Any] | None = context.get("refused")
    # A refusal at the code, or at a picker's search, is said at that field only.
    at_code = refused is not None and getattr(refused["error"], "code", "") in ("code", "search")
    return {
        "refusal": refused["error"].message if refused is not None and not at_code else "",
        # A refusal by the rules (`rules.BoxErrors`) also says what is wrong at each box.
        "refusal_boxes": getattr(refused["error"], "problems", None) if refused is not None else None,
        "step_forms": step_forms(steps, coi, refused),
        # Each offered step's URL, for the forms that post to several (`urls.sign_18`, `urls.checks`).
        "urls": {s.replace("-", "_"): reverse(f"certificates:{STEPS[s].url_name}", args=[coi.pk]) for s in steps},
        "lot_rows": _lot_rows(found.lots, refused),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "coi": coi,
        "form": form_of(coi),  # the numbers of the boxes its texts name
        "parts": parts or shared_parts(coi),
        "steps": steps,
        "relatives": found,
        # The checks form is filled with what was recorded; read only for those who may record them.
        "checks": getattr(coi, "checks", None) if "checks" in steps else None,
        "check_results": CheckResult.choices,
        "decisions": _decisions(coi),
        "decisions_30": [(d, str(COIStatus(d).label)) for d in offered_decisions(coi)],
        "satisfactory": Satisfactory.choices,
        "consignee_chosen": _consignee_chosen(refused),
        "searches": _searches(refused),
    }


def _alone(coi: Certificate) -> bool:
    """No relative to look for: it names no other COI, none names it (read with its row by
    `page_cache.with_version`), and it is not released in parts (no lots to show)."""
    named_by_others = getattr(coi, "named_by_others", True)
    return not (named_by_others or coi.base_id or coi.replaces_id or released_in_parts(coi))


@dataclass
class StepForm:
    """One form of the panel: its template (steps that share one form, as the checks and box 18, share it),
    the step it is first drawn for, its URL, its inputs with what was typed, and the refusal when it was refused."""

    templates: tuple[str, str]  # its own, then the generic form
    step: WorkflowStep
    url: str
    typed: dict[str, Any]
    inputs: list[dict[str, Any]] = field(default_factory=list)


def step_forms(steps: list[str], coi: Certificate, refused: dict[str, Any] | None) -> list[StepForm]:
    """The panel's forms for the steps offered, in the steps' order, each template once."""
    forms: dict[str, StepForm] = {}
    for slug in steps:
        step = STEPS[slug]
        template = step.templates[0]
        if template in forms:
            continue
        sharing = {s.slug for s in STEPS.values() if s.templates[0] == template}
        typed = _typed(refused, sharing)
        values = typed.get("values", {})
        inputs = [{**vars(i), "typed": values.get(i.name, "")} for i in step.all_inputs() if i.kind not in COMPOSITE]
        url = reverse(f"certificates:{step.url_name}", args=[coi.pk])
        forms[template] = StepForm(step.templates, step, url, typed, inputs)
    return list(forms.values())


# Inputs the generic form cannot draw (a step that has one names its own template).
COMPOSITE = {Kind.CONSIGNEE, Kind.QUANTITIES, Kind.CHECKS, Kind.PARTS, Kind.BOXES_9}
# The steps whose form takes lots (an extract, a split): their refused form shows its lots and consignee as typed.
LOT_FORMS = {s.slug for s in STEPS.values() if any(i.kind in (Kind.QUANTITIES, Kind.PARTS) for i in s.inputs)}


def _typed(refused: dict[str, Any] | None, steps: set[str]) -> dict[str, Any]:
    """For the form of a refused step: what was typed, and the reason, at the code field when it is the code's."""
    if not refused or refused["step"] not in steps:
        return {}
    error = refused["error"]
    return {"values": refused["values"], "error": error.message, "at_code": getattr(error, "code", "") == "code"}


def _lot_rows(lots: list[Any], refused: dict[str, Any] | None) -> list[dict[str, Any]]:
    typed = refused["values"] if refused and refused["step"] in LOT_FORMS else {}
    return [
        {
            "lot": lot,
            "packages": typed.get(f"packages_{lot.line.pk}", ""),
            "weight": typed.get(f"weight_{lot.line.pk}", ""),
        }
        for lot in lots
    ]


def _decisions(coi: Certificate) -> list[tuple[str, str]]:
    return [
        (d, str(COIStatus(d).label))
        for d in COIStatus.box20_decisions()
        if not (coi.base_id and d == COIStatus.BASIS_FOR_EXTRACT)
    ]


def _searches(refused: dict[str, Any] | None) -> dict[str, lookups.Search]:
    """The consignee search of a refused (or searched, without JavaScript) extract or split form: as typed, with
    its results, and its message when the step was refused for a search left without a choice."""
    if not refused or refused["step"] not in LOT_FORMS:
        return {}
    found = {k: v for k, v in lookups.searches(refused["values"]).items() if k == "consignee"}
    if getattr(refused["error"], "code", "") == "search":
        lookups.unresolved(refused["values"], found)
    return found


def _consignee_chosen(refused: dict[str, Any] | None) -> Operator | None:
    """The consignee chosen in a refused extract or split form, shown chosen again (everything typed is kept).
    The consignee itself is found by name through the operators' lookup (any of them, not a first few)."""
    if not refused or refused["step"] not in LOT_FORMS:
        return None
    return chosen_consignee(refused["values"].get("consignee"))


# Boxes whose history values are codes: shown with their names in the reader's language.
COUNTRY_FIELDS = ("origin_countries", "export_country", "release_member_state")
LABELLED_FIELDS: dict[str, type] = {"transport_mode": TransportMode, "gross_weight_unit": WeightUnit}


@register.filter
def title_on(item: Any, coi: Certificate) -> str:
    """`{{ signature|title_on:coi }}`, `{{ entry|title_on:coi }}`: its name as the COI's form numbers its boxes."""
    return str(item.title_on(coi))


@register.filter
def history_value(value: str, field: str) -> str:
    """A changed value of the history as the reader reads it: 'MA TN' -> 'Maroc, Tunisie', 'vessel' -> 'Navire'.
    The history keeps codes (it is written once, read in every language); other values are shown as written."""
    if not value:
        return ""
    if field in COUNTRY_FIELDS:
        return ", ".join(country_name(code) for code in value.split())
    if field in LABELLED_FIELDS:
        try:
            return str(LABELLED_FIELDS[field](value).label)
        except ValueError:
            return value
    row = field_table.FIELDS.get(field)
    if row is not None and isinstance(row.kind, field_table.Date | field_table.Moment):
        return _day_or_moment(row, value)
    if row is not None and isinstance(row.kind, field_table.Weight | field_table.Count):
        return _number(value)
    if field == "commodities":
        return "; ".join(_line_weight(line) for line in value.split("; "))
    if row is not None and isinstance(row.kind, field_table.Choice):  # box 29's 'not_done' -> 'Non effectué'
        return row.kind.text(value, None, row)
    if row is not None and isinstance(row.kind, field_table.YesNo | field_table.Flag) and value in ("True", "False"):
        return _("yes") if value == "True" else _("no")
    return value


def _number(value: str) -> str:
    """A weight or a count the history keeps as Python writes it ('9000.5'), as the reader writes it ('9 000,5'
    in French, '9,000.5' in English: `core.typography.quantity`); a value it cannot read, as written."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return quantity(number) if number.is_finite() else value


# A lot of box 13 as the history keeps it (`history._line_text`): "... <net weight> <unit>", the weight as
# Python writes it.
_UNITS = "|".join(WeightUnit.values)
_LINE_WEIGHT = re.compile(rf"^(?P<before>.* )?(?P<weight>\d+(?:\.\d+)?) (?P<unit>{_UNITS})$")


def _line_weight(line: str) -> str:
    """One lot of a changed box 13 with its net weight as the reader writes it; the rest as written."""
    found = _LINE_WEIGHT.match(line)
    if not found:
        return line
    return f"{found['before'] or ''}{_number(found['weight'])} {found['unit']}"


@register.filter
def history_field(field: str) -> str:
    """The changed field's name beside its box number (box 29 holds four checks): 'Contrôle d’identité'."""
    row = field_table.FIELDS.get(field)
    return capfirst(str(row.label)) if row is not None else ""


def _day_or_moment(row: field_table.Row, value: str) -> str:
    """A day or a moment the history keeps in ISO 8601, as the reader writes it ('20/12/2026', '06/12/2026 à
    04:41', core.clock); a value it cannot read, as written."""
    try:
        parsed = row.kind.parse(value, row, row.name)
    except field_table.Refused:
        return value
    if isinstance(parsed, datetime.datetime):
        return clock.moment(parsed)
    return clock.day(parsed) if isinstance(parsed, datetime.date) else value


@register.filter
def box_number(form: Any, field: str) -> str:
    """`{{ form|box_number:"exporter" }}`: the number of the box holding that field on this COI's form ("5" on the
    form of Reg. (EU) 2021/2306, "4" on the guides' form), so that a text naming a box names the right one."""
    return str(form.number_of(field)) if form is not None else ""


@register.filter
def signed_box(coi: Any, signature: str) -> str:
    """`{{ coi|signed_box:"30" }}`: the number of the box that prints that signature on the COI's own form ("30";
    "12" on an extract of 2021/2307), so that a step's title and button name the right box."""
    return form_of(coi).signed_number(coi, signature)
