"""Every step of a COI's life after its submission, declared once (issue 21, point 2).

A `WorkflowStep` says what a step is: its name (`slug`, in URLs, in the API's `my_steps` and in the panel's form
ids), the table's action that allows it (`certificates/matrix.py`), its function (one locked, audited function of
`certificates/workflow/`, called as `function(person, COI id, **inputs)`), whether it is a signature (two-factor
on and a current TOTP `code`), its inputs and their kinds, the COI forms it exists on, what the page says when it
is done, its one-line API summary and its help text. From `STEPS`:

- the pages' URLs `/certificates/<id>/workflow/<slug>/` (named `certificates:workflow_<slug with _>`) and one
  named view per step (`certificates/step_views.py`), which reads the posted form by the inputs' kinds;
- what a person is offered (`certificates/workflow/offer.py`), on pages and in the API;
- the API's routes `POST /api/v1/certificates/{id}/<api_path>` with their bodies and OpenAPI descriptions
  (`api/steps.py`); two steps may share one API path, the body's `box` saying which (`sign`: boxes 18 and 21);
- the panel's forms (`certificates/templatetags/workflow_tags.py`: each step's `template`, one generic form
  drawn from the inputs unless the step names its own), the help page's list of steps and the dashboard's
  "waiting for you".

Adding a step: its function in `certificates/workflow/`, its action in the form's table, and one `WorkflowStep` in
`STEPS` (see `certificates/tests/test_workflow_registry.py`, which adds one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from certificates.coi_forms import FormCode
from certificates.matrix import Action
from certificates.models import Certificate, Checks, Depletion, Signature
from certificates.workflow import after_signature, certification, extracts, release

BOTH_FORMS = frozenset(FormCode.values)
GUIDES_FORM = frozenset({FormCode.R1235_2008})
FORM_2021_2306 = frozenset({FormCode.R2021_2306})
NOTE_LENGTH = 5000  # texts stored without a column limit (history notes, irregularities): a stated bound


class Kind(StrEnum):
    """How an input is typed: read from a page's form (`certificates/step_views.py`) and from an API body
    (`api/steps.py`)."""

    TEXT = "text"  # a text, as typed (the function strips it)
    CHOICE = "choice"  # one of `choices` (the API lists them; a page posts the value)
    YES_NO = "yes_no"  # true or false (a page posts yes or no)
    CONSIGNEE = "consignee"  # an operator's id
    QUANTITIES = "quantities"  # {base line id: (packages, net weight)}; a page posts packages_<id>, weight_<id>
    CHECKS = "checks"  # a group of `nested` inputs sent together or not at all (box 18's checks)
    PARTS = "parts"  # a split's parts: [{"consignee": id, "quantities": {...}}]; a page posts one part
    BOXES_9 = "boxes_9"  # an extract's box 9 (member state, validating authority, point of entry); API only


class Result(StrEnum):
    """What a step gives back: the page goes to it, the API answers with it."""

    SAME = "same"  # the COI itself (200)
    NEW = "new"  # a new COI (201; the page goes to it)
    PARTS = "parts"  # new COIs, the extracts of a split (201, a list; the page stays on the base)


@dataclass(frozen=True)
class Input:
    """One value a step takes: its function's keyword, its page form's field and its API body's field."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False  # required in the API body (the function says what is missing on a page)
    default: Any = ""
    column: tuple[type[Model], str] | None = None  # a text as long as that column at most
    max_length: int | None = None
    multiline: bool = False  # may hold line breaks (a text area)
    choices: tuple[str, ...] = ()  # for `Kind.CHOICE`
    label: Any = ""  # on the generic form of the panel and in the API's description
    nested: tuple[Input, ...] = ()  # the fields of a `Kind.CHECKS` input


@dataclass(frozen=True)
class WorkflowStep:
    slug: str
    action: Action
    function: Callable[..., Any]
    forms: frozenset[str]
    done: str  # the page's message on success (translated when shown)
    summary: str  # the API operation's summary
    help: Any  # what the step does (help page, API description)
    inputs: tuple[Input, ...] = ()
    two_factor: bool = False
    result: Result = Result.SAME
    offered_unless: Callable[[Certificate], bool] | None = None  # e.g. a depleted base: no extract offered
    api_path: str = ""  # the API's path after /certificates/{id}/ (the slug unless said)
    api_box: str = ""  # with a shared `api_path`: the value of the body's `box` that chooses this step
    todo: Any = ""  # the dashboard's "waiting for you", when the step waits for someone
    todo_on_extract: Any = ""  # the same on an extract, when it says it otherwise
    done_on_extract: str = ""  # the page's message on an extract of 2021/2307, when it says it otherwise
    # A signature: the box it is recorded as ("18", "30"), whose number on the COI's form its messages give.
    signs: str = ""
    template: str = ""  # the panel's form it is posted from: `certificates/steps/<slug>.html` unless said (a
    # form several steps post from names one template), the generic form drawn from the inputs when there is none

    @property
    def url_name(self) -> str:
        """The page's URL name, without the namespace: `workflow_sign_25`."""
        return "workflow_" + self.slug.replace("-", "_")

    @property
    def path(self) -> str:
        return self.api_path or self.slug

    @property
    def templates(self) -> tuple[str, str]:
        """Its form's template, then the generic one (used when the step has no template of its own)."""
        return (self.template or f"certificates/steps/{self.slug}.html", "certificates/steps/_step.html")

    @property
    def label(self) -> str:
        return str(self.action.label)

    def all_inputs(self) -> tuple[Input, ...]:
        """The inputs, with the TOTP `code` of a signature last."""
        if not self.two_factor:
            return self.inputs
        return (*self.inputs, CODE)


CODE = Input("code", required=True, max_length=12, label=_("Authentication code (two-factor)"))  # six digits
PLACE = Input("place", required=True, column=(Signature, "place"), label=_("Place"))


def depleted(coi: Certificate) -> bool:
    """Whether the base is depleted (no extract, split or depletion offered then)."""
    return extracts.is_depleted(coi)


def replaced(coi: Certificate) -> bool:
    """Whether a replacement of the COI exists (no second replacement offered)."""
    return Certificate.objects.filter(replaces=coi).exists()


_CHECK_INPUTS = (
    Input("documentary", required=True, column=(Checks, "documentary")),
    Input("physical", required=True, column=(Checks, "physical")),
    Input("documentary_remarks", column=(Checks, "documentary_remarks"), multiline=True),
    Input("physical_remarks", column=(Checks, "physical_remarks"), multiline=True),
)
_LOTS = (Input("consignee", Kind.CONSIGNEE, required=True), Input("quantities", Kind.QUANTITIES, required=True))
_NOTE = Input("note", column=(Depletion, "note"), multiline=True)

# In the order of the COI's life (the panel shows the forms in this order).
_DECLARED = (
    WorkflowStep(
        "checks", Action.SIGN_18, certification.record_checks, BOTH_FORMS, gettext_noop("Checks recorded."),
        "Record the issuing body's checks",
        _("The issuing control body records its documentary and physical checks: acceptable, not acceptable or "
          "not done."),
        inputs=_CHECK_INPUTS, template="certificates/steps/sign-18.html",
    ),
    WorkflowStep(
        "sign-18", Action.SIGN_18, certification.sign_box_18, BOTH_FORMS, gettext_noop("Box %(n)s signed."),
        "Sign box 18",
        _("The issuing control body signs box 18 after its checks (which may be sent with it), with the reason when "
          "it signs after the date of departure of box 17."),
        inputs=(PLACE, Input("checks", Kind.CHECKS, default=None, nested=_CHECK_INPUTS), Input("late_reason")),
        two_factor=True, api_path="sign", api_box="18", todo=_("Sign box 18"), signs="18",
    ),
    WorkflowStep(
        "decide", Action.SIGN_20, certification.decide, GUIDES_FORM, gettext_noop("Box %(n)s signed."),
        "Sign box 20 with a decision",
        _("The authority signs box 20 with its decision: consignment verified, basis for extract, released as "
          "conventional or not released (the last two with a reason). On an extract, this is its endorsement."),
        inputs=(
            Input("decision", required=True, column=(Signature, "decision")),
            PLACE,
            Input("reason", column=(Signature, "reason"), multiline=True),
        ),
        two_factor=True, todo=_("Sign box 20"), signs="20",
    ),
    WorkflowStep(
        "sign-21", Action.SIGN_21, certification.sign_box_21, GUIDES_FORM, gettext_noop("Box %(n)s signed."),
        "Sign box 21",
        _("The first consignee signs box 21 on receipt: in order, or not in order with a remark saying what."),
        inputs=(PLACE, Input("in_order", Kind.YES_NO, default=True), Input("remark", column=(Signature, "reason"))),
        two_factor=True, api_path="sign", api_box="21", todo=_("Sign box 21"), signs="21",
    ),
    WorkflowStep(
        "verify-23", Action.VERIFY_23, release.verify_box_23, FORM_2021_2306,
        gettext_noop("Box %(n)s signed: consignment verified before the special customs procedure."),
        "Box 23: verify (2021/2306)",
        _("Box 23: the authority verifies the consignment before the special customs procedure."),
        inputs=(PLACE,), two_factor=True, signs="23",
    ),
    WorkflowStep(
        "sign-25", Action.SIGN_25, release.sign_box_25, FORM_2021_2306, gettext_noop("Box %(n)s signed."),
        "Box 25: documentary check",
        _("Box 25: the authority's documentary checks and the selection for identity and physical checks."),
        inputs=(
            Input("documentary", Kind.CHOICE, required=True, choices=("satisfactory", "not_satisfactory")),
            Input("selected", Kind.YES_NO, required=True, default=None,
                  label=_("Selected for identity and physical checks")),
            PLACE,
        ),
        two_factor=True, todo=_("Sign box 25 (documentary check)"), signs="25",
    ),
    WorkflowStep(
        "decide-30", Action.SIGN_30, release.decide_box_30, FORM_2021_2306, gettext_noop("Box %(n)s signed."),
        "Box 30: the decision",
        _("Box 30 (box 12 of an extract): the authority's decision, released as organic, as in-conversion, as "
          "non-organic, cannot be released, or part of the consignment can be released (not on an extract). "
          "Refused (422 at the box) when the checks exclude it: after a documentary check not satisfactory only "
          "non-organic or cannot be released; after a check of box 29 not satisfactory no release as organic or "
          "in-conversion (an extract: never for a batch holding a lot not satisfactory, otherwise with the "
          "authority's reason when no lot was named); a selected consignment needs both results, a laboratory "
          "test its result; part needs a lot that passed; cannot be released and part need the additional "
          "information."),
        inputs=(
            Input("decision", Kind.CHOICE, required=True, choices=(
                "released_organic", "released_in_conversion", "released_non_organic", "cannot_be_released",
                "basis_for_extract",
            )),
            Input("reason", column=(Signature, "reason"), multiline=True),
            PLACE,
        ),
        two_factor=True, todo=_("Sign box 30 (decision)"), todo_on_extract=_("Sign box 12 of the extract (decision)"),
        signs="30",
        done_on_extract=gettext_noop("Box %(n)s of the extract signed."),
    ),
    WorkflowStep(
        "sign-31", Action.SIGN_31, release.sign_box_31, FORM_2021_2306, gettext_noop("Box %(n)s signed."),
        "Box 31: first consignee",
        _("Box 31 (box 13 of an extract): the first consignee declares the consignment in accordance, or not (then "
          "with a remark), with point 6 of Annex III to Reg. (EU) 2018/848."),
        inputs=(
            Input("in_accordance", Kind.YES_NO, required=True, default=None),
            Input("remark", column=(Signature, "reason"), multiline=True),
            PLACE,
        ),
        two_factor=True, todo=_("Sign box 31 (first consignee)"), signs="31",
        todo_on_extract=_("Sign box 13 of the extract (consignee)"),
        done_on_extract=gettext_noop("Box %(n)s of the extract signed."),
    ),
    WorkflowStep(
        "extract", Action.INITIATE_EXTRACT, extracts.initiate_extract, BOTH_FORMS,
        gettext_noop("Extract drafted: check boxes %(entry)s and %(consignee)s, then submit it for endorsement."),
        "Draft an extract of some lots",
        _("The importer or the responsible for the load drafts an extract of some lots for one consignee."),
        inputs=(*_LOTS, Input("boxes_9", Kind.BOXES_9, default=None)),
        result=Result.NEW, offered_unless=depleted, todo=_("Initiate an extract"),
    ),
    WorkflowStep(
        "submit-extract", Action.SUBMIT_EXTRACT, extracts.submit_extract, BOTH_FORMS,
        gettext_noop("Extract submitted for endorsement."), "Submit an extract for endorsement",
        _("The extract's draft is submitted for endorsement: it gets its number and the authorities are told."),
    ),
    WorkflowStep(
        "split", Action.SPLIT, extracts.split, GUIDES_FORM, gettext_noop("Extract split off and endorsed."),
        "Split into endorsed extracts",
        _("The authority divides the base into extracts itself, each endorsed at once and left for its consignee "
          "to sign."),
        inputs=(Input("parts", Kind.PARTS, required=True), PLACE),
        two_factor=True, result=Result.PARTS, offered_unless=depleted, template="certificates/steps/extract.html",
    ),
    WorkflowStep(
        "deplete", Action.DEPLETE, extracts.deplete, BOTH_FORMS, gettext_noop("COI marked as depleted."),
        "Mark the base as depleted", _("The authority marks the base as depleted: no extract after that."),
        inputs=(_NOTE,), offered_unless=depleted,
    ),
    WorkflowStep(
        "replace", Action.REPLACE, after_signature.replace, BOTH_FORMS,
        gettext_noop("Replacement created: check its boxes, then sign box 18."), "Replace by a new editable copy",
        _("After box 18, the issuing control body replaces the COI by a new editable copy; each points to the "
          "other."),
        inputs=(_NOTE,), result=Result.NEW, offered_unless=replaced,
    ),
    WorkflowStep(
        "flag", Action.FLAG_OFIS, after_signature.flag_irregularity, BOTH_FORMS,
        gettext_noop("OFIS irregularity flagged."), "Flag an OFIS irregularity",
        _("An OFIS irregularity, described, told to the issuing body, the validating authority and the importer."),
        inputs=(Input("description", required=True, max_length=NOTE_LENGTH, multiline=True),),
    ),
    WorkflowStep(
        "delete", Action.DELETE, after_signature.delete, GUIDES_FORM, gettext_noop("COI deleted."),
        "Delete, with a reason",
        _("The authority deletes the COI, with a reason; it stays readable to its parties."),
        inputs=(Input("reason", required=True, max_length=NOTE_LENGTH, multiline=True),),
    ),
)  # fmt: skip

STEPS: dict[str, WorkflowStep] = {step.slug: step for step in _DECLARED}


def step(slug: str) -> WorkflowStep:
    """The step of that name; KeyError for another."""
    return STEPS[slug]
