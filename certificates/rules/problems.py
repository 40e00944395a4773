"""The rules' one convention, and the refusal that carries their problems to pages and the API.

A rule is a class (its docstring the rule's text, with its source) with one method, `check(coi, given)`, that
returns what it finds per FIELD: `{field: [message, ...]}`, in the reader's language, empty when the rule holds.
A field is a name of the forms' box tables (`Box.fields`, or `Box.inputs` for what a signer gives with a
signature: box 18's `late_reason`, box 30's `reason`, ...); a few problems are about no field and keep their own
key ("documents", "checks", "delete"). `given` carries what the step brings beside the COI (`Given`).

`at_boxes(coi, problems)` places them at the boxes of the COI's own form (its table says which box holds each
field): `{box key: [message, ...]}`, the shape `BoxErrors` carries and pages and the API show. No rule knows box
numbers; a message that names a box asks `box_number(coi, field)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from certificates.coi_forms import form_of
from certificates.models import Certificate
from core.errors import Invalid

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# {field: [message, ...]}: what rules find, by field of the box tables (see the module's docstring).
FieldProblems = dict[str, list[str]]
# {box key: [message, ...]}: the same placed on a form ("1" to "31", "rfl", ...; "documents", "checks", "file").
Problems = dict[str, list[str]]


@dataclass(frozen=True)
class Given:
    """What a step brings beside the COI, for the rules that read it.

    values: a box edit's new values, by field (`certificates.boxes` names); roles: the acting person's roles on
    the COI (`COIRole` values); decision: box 30's (or box 20's) decision, a `COIStatus` value; reason: what the
    signer gives with it (box 18: why signed after the departure; box 30: the additional information);
    in_order (box 21) / in_accordance (box 31) and remark: the first consignee's declaration; now: the moment of
    the step (`timezone.now()` when None)."""

    values: Mapping[str, Any] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    decision: str = ""
    reason: str = ""
    in_order: bool = True
    in_accordance: bool = True
    remark: str = ""
    now: datetime.datetime | None = None


NOTHING = Given()


class Rule:
    """A rule of the COI (subclass it; its docstring is the rule's text and source)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        """What the rule finds on this COI, per field; `{}` when it holds."""
        raise NotImplementedError


def add(problems: dict[str, list[str]], key: str, message: str) -> None:
    problems.setdefault(key, []).append(message)


def merge(*many: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problems in many:
        for key, messages in problems.items():
            out.setdefault(key, []).extend(messages)
    return out


def check_all(coi: Certificate, rules: Iterable[Rule], given: Given = NOTHING) -> FieldProblems:
    """Every rule's problems, per field, in the rules' order."""
    return merge(*(rule.check(coi, given) for rule in rules))


def at_boxes(coi: Certificate, problems: FieldProblems) -> Problems:
    """Problems per field placed at the boxes of the COI's own form (`CoiForm.box_of`): `{box key: [...]}`,
    in the order found; a key that is no field of the form ("documents", "checks") stays as it is."""
    table = form_of(coi)
    out: Problems = {}
    for name, messages in problems.items():
        out.setdefault(box_key(coi, name, table), []).extend(messages)
    return out


def box_key(coi: Certificate, name: str, table: Any = None) -> str:
    """The key of the box holding that field on the COI's own form (an extract of 2021/2307: the extract's box),
    or the name itself when no box holds it."""
    table = table or form_of(coi)
    return _extract_box(coi, table, name) or table.box_of(name) or name


def box_keys(coi: Certificate, name: str) -> tuple[str, ...]:
    """Every box the field is typed in on the COI's own form (`CoiForm.typed_boxes_of`: box 14 and 15 for the
    containers and their seals), or its one box (`box_key`) when no typed box holds it or the COI is an extract."""
    table = form_of(coi)
    extract_box = _extract_box(coi, table, name)
    if extract_box:
        return (extract_box,)
    return table.typed_boxes_of(name) or (box_key(coi, name, table),)


def _extract_box(coi: Certificate, table: Any, name: str) -> str | None:
    """On an extract with its own model (2021/2307), the extract's box holding the field (its box 10 for the
    consignee, the COI's box 24; its 12 and 13 for what the COI signs in 30 and 31): an extract's refusal is at
    the extract's own box, which its page and the API number as the extract does."""
    if not (getattr(coi, "base_id", None) and table.extract_boxes):
        return None
    return next((b.key for b in table.extract_boxes if name in b.fields or name in b.also_holds), None)


def box_number(coi: Certificate, name: str) -> str:
    """The printed number of the box holding that field on the COI's form ("5" for the exporter on 2021/2306,
    "4" on the guides' form)."""
    return form_of(coi).number_of(name)


class BoxErrors(Invalid):
    """Refused, with the reasons at their boxes: `{box: [message, ...]}` (422 unless `status` says 409)."""

    def __init__(
        self, problems: Problems, message: str | _StrPromise | None = None, *, status: int | None = None
    ) -> None:
        super().__init__(message or _("Some boxes need your attention."), code="boxes", status=status)
        self.problems = problems


def require(problems: Problems, message: str | _StrPromise, *, status: int | None = None) -> None:
    """Raise `BoxErrors` with the problems (placed at boxes) when there are any: how a step refuses (nothing is
    changed)."""
    if problems:
        raise BoxErrors(problems, message, status=status)


def refuse(coi: Certificate, rules: Iterable[Rule], given: Given = NOTHING) -> None:
    """The step's rules in their order: the first that finds a problem refuses the step with its first message
    (`Invalid`, 422, code "box_<box>" at the box of the COI's form holding the field)."""
    for rule in rules:
        for box, messages in at_boxes(coi, rule.check(coi, given)).items():
            raise Invalid(messages[0], code=f"box_{box}")
