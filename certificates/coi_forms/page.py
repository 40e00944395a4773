"""The edit page of a 2021/2306 COI, from its box table: the boxes the guides' form has (1-17 but 6, and 24)
are shown by the shared sections of `form.html`, given the guides' box keys; the boxes only 2021/2306 has
(6's traders, 10's kind, 17's document, 19-23 and 26-29) by a generic section, one widget per field kind.
Posted values are read back by `fields_from_post`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from certificates.coi_forms import FORMS, Box, CoiForm, FormCode
from certificates.coi_forms.choices import EntryKind, Satisfactory
from certificates.models import Certificate
from directory.models import PointOfEntry
from reference.lists import TransportMode

GUIDES = FORMS[FormCode.R1235_2008]
# Field -> widget: "flag" (checkbox), "yesno" (Yes / No / not answered), "choice", "point", "datetime", "text",
# "operator" (an operator's id), "operators" (ids separated by spaces), "code" (a control body code).
WIDGETS: dict[str, str] = {
    "traders": "operators",
    "point_of_entry_kind": "choice",
    "transport_document": "text",
    "rfl": "operator",
    "prior_notification_at": "datetime",
    "transfer_requested": "flag",
    "requested_control_point": "point",
    "customs_warehousing": "flag",
    "inward_processing": "flag",
    "customs_operator": "operator",
    "customs_operator_control_body": "code",
    "customs_information": "text",
    "customs_declaration_reference": "text",
    "transfer_to_control_point": "yesno",
    "control_point": "point",
    "transfer_transport_mode": "choice",
    "transfer_transport_identification": "text",
    "transfer_transport_document": "text",
    "identity_check": "choice",
    "physical_check": "choice",
    "laboratory_test": "yesno",
    "laboratory_result": "choice",
}
CHOICES: dict[str, Any] = {
    "point_of_entry_kind": EntryKind.choices,
    "transfer_transport_mode": TransportMode.choices,
    "identity_check": Satisfactory.choices,
    "physical_check": Satisfactory.choices,
    "laboratory_result": Satisfactory.choices,
}


@dataclass
class Widget:
    name: str
    kind: str
    label: str
    value: Any
    choices: Any = ()


@dataclass
class BoxSection:
    box: Box
    widgets: list[Widget]
    editable: bool
    errors: list[str]


def guides_keys(coi_form: CoiForm, keys: set[str]) -> set[str]:
    """The guides' form's keys of the boxes holding the same fields as `keys` on `coi_form` (for `form.html`)."""
    out = set()
    for key in keys:
        for name in coi_form.by_key[key].fields if key in coi_form.by_key else ():
            if name in GUIDES.box_of_field and name not in ("rfl", "validating_authority"):
                out.add(GUIDES.box_of_field[name])
    if "10" in keys:
        out.add("9")
    return out


def sections(
    coi_form: CoiForm, data: dict[str, Any], editable: set[str], problems: dict[str, list[str]]
) -> list[BoxSection]:
    """The boxes of the form that hold fields the guides' sections do not show, with their widgets."""

    points = [(p.pk, f"{p.code} {p.name}") for p in PointOfEntry.objects.order_by("code")]
    out = []
    for box in coi_form.boxes:
        names = [n for n in box.fields if n in WIDGETS]
        if not names:
            continue
        widgets = []
        for name in names:
            kind = WIDGETS[name]
            field = Certificate._meta.get_field(name)
            label = str(getattr(field, "verbose_name", name)) if name != "rfl" else str(box.title)
            choices = points if kind == "point" else CHOICES.get(name, ())
            value = data.get(name)
            if kind == "operators":
                value = " ".join(str(v) for v in value or [])
            elif kind == "datetime" and value and hasattr(value, "strftime"):
                value = value.strftime("%Y-%m-%dT%H:%M")
            widgets.append(Widget(name, kind, label, "" if value is None else value, choices))
        out.append(BoxSection(box, widgets, box.key in editable, problems.get(box.key, [])))
    return out


def fields_from_post(post: QueryDict) -> dict[str, Any]:
    """The 2021/2306-only fields of a posted edit page (a checkbox not sent is unticked)."""
    data: dict[str, Any] = {}
    if "procedure" in post:  # box 2's four tick-boxes (form.html's box 2 section)
        data["procedure"] = post.get("procedure", "")
    for name, kind in WIDGETS.items():
        if kind == "flag":
            if f"present-{name}" in post:
                data[name] = post.get(name) == "on"
        elif name in post:
            data[name] = post.get(name, "")
    return data
