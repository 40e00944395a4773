"""The API's step routes, one per declared step (`certificates/workflow/steps.STEPS`): `POST
/certificates/{id}/<path>` with a body built from the step's inputs, answered with the COI's status, my steps
now and its relatives (`StepOut`), 201 when the step made a COI (a list for a split's extracts).

Each route calls the step's function of `certificates/workflow/`: 404 where the caller may not see the COI, 403
with the reason when their role may not take the step, 409 when the COI's status no longer allows it, 422 when
what was sent is incomplete or a rule refuses (with the messages at their boxes). Signatures need two-factor
authentication and a current TOTP `code`. Steps that share a path (`sign`: boxes 18 and 21) are chosen by the
body's `box`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Status

from api.schema import Id, StrictIn
from api.workflow import ERRORS, PartIn, QuantityIn, StepOut, _out, _person, _quantities
from certificates.access import get_visible
from certificates.coi_forms import FORMS
from certificates.models import Certificate
from certificates.workflow.steps import STEPS, Input, Kind, Result, WorkflowStep
from core.text import column as text_column

router = Router()
WHERE = ["body", "payload"]  # where ninja places a refusal in the body


def _english(text: Any) -> str:
    with translation.override("en"):
        return str(text)


def _field(item: Input) -> dict[str, tuple[Any, Any]]:
    """The body's fields for one input: {name: (annotation, default)}."""
    required: Any = ... if item.required else item.default
    description = _english(item.label) if item.label else None
    if item.kind == Kind.TEXT:
        length = text_column(*item.column)[1] if item.column else item.max_length
        return {item.name: (str, Field(required, max_length=length, description=description))}
    if item.kind == Kind.CHOICE:
        return {item.name: (Literal[item.choices], Field(required, description=description))}
    if item.kind == Kind.YES_NO:
        return {item.name: (bool, Field(required, description=description))}
    if item.kind == Kind.CONSIGNEE:
        return {item.name: (Id, Field(required))}
    if item.kind == Kind.QUANTITIES:
        return {item.name: (list[QuantityIn], Field(required))}
    if item.kind == Kind.CHECKS:
        nested = schema(item.name.capitalize() + "In", item.nested, "")
        return {item.name: (nested | None, None)}
    if item.kind == Kind.PARTS:
        return {item.name: (list[PartIn], Field(required))}
    return {  # Kind.BOXES_9: box 9 of an extract, flat in the body
        "release_member_state": (
            str | None,
            Field(None, max_length=text_column(Certificate, "release_member_state")[1]),
        ),
        "validating_authority": (Id | None, None),
        "point_of_entry": (Id | None, None),
    }


def _value(item: Input, payload: Any) -> Any:
    """The step function's keyword from the body, for one input."""
    if item.kind == Kind.QUANTITIES:
        return _quantities(getattr(payload, item.name), [*WHERE, item.name])
    if item.kind == Kind.CHECKS:
        checks = getattr(payload, item.name)
        return checks.dict() if checks else None
    if item.kind == Kind.PARTS:
        return [
            {"consignee": p.consignee, "quantities": _quantities(p.quantities, [*WHERE, item.name, i, "quantities"])}
            for i, p in enumerate(getattr(payload, item.name))
        ]
    if item.kind == Kind.BOXES_9:
        return payload.dict(include={"release_member_state", "validating_authority", "point_of_entry"})
    return getattr(payload, item.name)


def schema(name: str, inputs: tuple[Input, ...], doc: str, box: tuple[str, ...] = ()) -> type[StrictIn]:
    """A body: a field per input (and a required `box`, choosing the step, when `box` lists several)."""
    fields: dict[str, tuple[Any, Any]] = {}
    if box:
        fields["box"] = (Literal[box], Field(..., description="The box signed"))
    for item in inputs:
        fields.update(_field(item))
    namespace: dict[str, Any] = {key: default for key, (_annotation, default) in fields.items()}
    namespace.update(
        __annotations__={key: annotation for key, (annotation, _default) in fields.items()},
        __doc__=doc,
        __module__=__name__,
        multiline=frozenset(i.name for i in inputs if i.multiline),
    )
    return type(name, (StrictIn,), namespace)


def body(name: str, steps: list[WorkflowStep]) -> type[StrictIn] | None:
    """The body of one path: every input of its steps, and `box` when they are several; None without inputs."""
    inputs = {i.name: i for s in steps for i in s.all_inputs()}
    if not inputs:
        return None
    boxes = tuple(s.api_box for s in steps) if len(steps) > 1 else ()
    return schema(name, tuple(inputs.values()), " ".join(_english(s.help) for s in steps), boxes)


def _answer(person: Any, step: WorkflowStep, coi_id: int, result: Any) -> Any:
    # A COI the step made is answered from the step's own object (its relations copied from the locked one).
    if step.result == Result.PARTS:
        return Status(201, [_out(person, e, read=True, new=True) for e in result])
    if step.result == Result.NEW:
        return Status(201, _out(person, result, read=True, new=True))
    if isinstance(result, Certificate):  # the step's locked COI, changed in place
        return _out(person, result, read=True)
    return _out(person, get_visible(person, coi_id))


def _take(step: WorkflowStep, request: HttpRequest, coi_id: int, payload: Any) -> Any:
    person = _person(request)
    values = {item.name: _value(item, payload) for item in step.all_inputs()} if payload is not None else {}
    return _answer(person, step, coi_id, step.function(person, coi_id, **values))


def endpoint(path: str, steps: list[WorkflowStep], schema: type[StrictIn] | None) -> Callable[..., Any]:
    """The route's function: ninja reads its parameters' annotations (the body, when the steps take inputs)."""
    by_box = {s.api_box: s for s in steps}

    def take(request: HttpRequest, coi_id: int, payload: Any) -> Any:
        step = by_box[payload.box] if len(steps) > 1 else steps[0]
        return _take(step, request, coi_id, payload)

    def take_alone(request: HttpRequest, coi_id: int) -> Any:
        return _take(steps[0], request, coi_id, None)

    view = take if schema is not None else take_alone
    view.__annotations__ = {"request": HttpRequest, "coi_id": int, "return": Any}
    if schema is not None:
        view.__annotations__["payload"] = schema
    view.__name__ = view.__qualname__ = path.replace("-", "_")
    return view


def add_routes(router: Router, declared: Iterable[WorkflowStep]) -> None:
    """A route per API path of the declared steps (steps sharing a path share its route)."""
    paths: dict[str, list[WorkflowStep]] = {}
    for step in declared:
        paths.setdefault(step.path, []).append(step)
    for path, steps in paths.items():
        name = "".join(part.capitalize() for part in path.split("-")) + "StepIn"
        schema = body(name, steps)
        out = list[StepOut] if steps[0].result == Result.PARTS else StepOut
        code = 201 if steps[0].result != Result.SAME else 200
        forms = set().union(*(s.forms for s in steps))
        only = FORMS[next(iter(forms))].api_workflow_tag if len(forms) == 1 else ""
        tag = only or "certificate workflow"
        router.post(
            f"/{{id:coi_id}}/{path}",
            response={code: out, **ERRORS},
            summary=" / ".join(s.summary for s in steps),
            description=" ".join(_english(s.help) for s in steps),
            tags=[tag],
        )(endpoint(path, steps, schema))


add_routes(router, STEPS.values())
