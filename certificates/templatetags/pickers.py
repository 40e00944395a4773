"""`{% search_picker name label %}`: the search picker of a box that names an operator, a control body, an authority
or a point of entry (`certificates.lookups.Picker`), the same markup on every page that names one (the COI's edit
page on both forms and the extract, the extract's and split's consignee on the workflow panel)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from certificates import lookups

register = template.Library()


def _as_list(values: Any) -> list[Any]:
    if values is None or values == "":
        return []
    if isinstance(values, list | tuple):
        return list(values)
    return [values]


def choices(picker: lookups.Picker, objects: list[Any], refusals: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each object as a choice of the picker: the value it posts, how it reads, why it may not be chosen."""
    refusals = refusals or {}
    return [
        {"value": lookups.value_of(o), "label": lookups.label_of(o), "refusal": refusals.get(lookups.value_of(o), "")}
        for o in objects
    ]


@register.inclusion_tag("certificates/_search_picker.html", takes_context=True)
def search_picker(
    context: dict[str, Any],
    name: str,
    label: Any,
    values: Any = None,
    chosen: Any = None,
    clearable: bool = False,
    offered: Any = None,
    search_url: str = "",
) -> dict[str, Any]:
    """name: the field as posted (`exporter`, `traders`, `c-0-l-1-producer`, `consignee`); label: the search
    field's accessible name; values: what is chosen, as stored or typed (an id, ids, a code), or chosen: the
    objects; clearable: offers "None"; offered: an object shown chosen when nothing is (the only post that fits,
    box 10); search_url: where the no-JavaScript "Search" button posts the form (the page itself by default).
    The page's context may hold `searches` (`lookups.searches` of the posted page): that field's search is
    shown as typed, with its results and its message."""
    picker = lookups.picker_of(name)
    assert picker is not None, name
    objects = [o for o in _as_list(chosen) if o is not None] if chosen is not None else picker.chosen(_as_list(values))
    search = (context.get("searches") or {}).get(name)
    chosen_values = {lookups.value_of(o) for o in objects}  # not repeated among the results
    if not objects and offered is not None:
        objects = [offered]
    results = [o for o in search.results if lookups.value_of(o) not in chosen_values] if search else []
    return {
        "name": name,
        "label": label,
        "multiple": picker.multiple,
        "type": "checkbox" if picker.multiple else "radio",
        "chosen": choices(picker, objects),
        "clearable": clearable and not picker.multiple,
        "search": search,
        "results": choices(picker, results, search.refusals if search else None),
        "no_match": picker.no_match if search and not search.results else "",
        "more": bool(search and search.more),
        "shown": lookups.LIMIT,
        "lookup": f"{reverse('certificates:lookup_choices')}?name={name}",
        "include": "#coi-form [name=export_country], #coi-form [name$='-cn']" if name == "control_body_code" else "",
        "search_url": search_url,
    }


@register.inclusion_tag("certificates/_picker_results.html")
def picker_results(name: str, found: lookups.Search | None) -> dict[str, Any]:
    """The results of a search, as htmx fetches them (`views.lookup_choices`)."""
    picker = lookups.picker_of(name)
    assert picker is not None, name
    return {
        "name": name,
        "type": "checkbox" if picker.multiple else "radio",
        "results": choices(picker, found.results, found.refusals) if found else [],
        "no_match": picker.no_match if found and len(found.query) >= 2 else "",
        "more": bool(found and found.more),
        "shown": lookups.LIMIT,
    }
