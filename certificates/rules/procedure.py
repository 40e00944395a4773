"""Box 2, the procedure, on both forms: one rule (`ProcedureOfBox2`), asked by the edits, the pages and the
submission alike."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.coi_forms import CoiForm, form_of
from certificates.models import Certificate
from certificates.rules.contents import coi_categories
from certificates.rules.problems import NOTHING, FieldProblems, Given, Rule, box_number
from reference import procedures
from reference.procedures import Procedure, procedure_for


class ProcedureOfBox2(Rule):
    """Box 2: the procedure of Reg. (EU) 2018/848 under which the products enter the Union.

    Arts 46, 47 and 48 follow from box 1 and the products' categories (`reference.procedures.procedure_for`): on the
    guides' form box 2 is derived, never typed (guide 000, 3.1, box 2). On the 2021/2306 form (Annex, Part I) the
    issuing body ticks one of four procedures: compliance (Art. 46), equivalent third country (Art. 48), equivalent
    control authority or body (Art. 57), trade agreement (Art. 47); a ticked Art. 46/47/48 must be the derived
    one. Art. 57 is the body's own choice (its code may be recognised under both Art. 46 and Art. 57), possible
    only while the Art. 57 recognitions ran (until 31 December 2024), never re-derived once stored. Left empty,
    box 2 is derived. Which form lets box 2 be ticked is its table's (box 2 typed or derived)."""

    @staticmethod
    def typed_on(coi_form: CoiForm) -> bool:
        """Whether box 2 is ticked by people on this form (2021/2306), or derived only (the guides')."""
        return "procedure" in coi_form.typed_box_of_field

    @classmethod
    def choices(cls, coi_form: CoiForm) -> list[tuple[str, str]]:
        """The tick-boxes of box 2 offered on this form, in the model's order (Arts 46, 48, 57, 47); none when
        box 2 is derived."""
        return [(p.value, str(p.label)) for p in Procedure.of_form_2021_2306()] if cls.typed_on(coi_form) else []

    @classmethod
    def derive(cls, coi: Certificate, typed_allowed: bool = True) -> str:
        """The procedure from box 1 and the products' categories ("" while they are not given); an Art. 57
        procedure ticked by the issuing body is kept (`typed_allowed`)."""
        if typed_allowed and cls.typed_on(form_of(coi)) and coi.procedure == Procedure.EQUIVALENT_CONTROL_BODY:
            return str(coi.procedure)
        if coi.control_body_code is None or not coi.pk:
            return ""
        categories = coi_categories(coi)
        return str(procedure_for(categories, coi.control_body_code.code)) if categories else ""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        """The ticked procedure (`given.values["procedure"]`; nothing to say when none is ticked)."""
        message = self.refusal(coi, str(given.values.get("procedure") or ""))
        return {"procedure": [message]} if message else {}

    @classmethod
    def refusal(cls, coi: Certificate, typed: str, today: datetime.date | None = None) -> str | None:
        if not typed:
            return None
        number = box_number(coi, "procedure")
        if typed not in Procedure.of_form_2021_2306():
            return _("Tick one of the four procedures of box %(box)s.") % {"box": number}
        if typed == Procedure.EQUIVALENT_CONTROL_BODY:
            if (today or timezone.localdate()) >= procedures.EQUIVALENT_CONTROL_BODIES_UNTIL:
                return _(
                    "The recognitions of control bodies for equivalence (art. 57 of Regulation (EU) 2018/848) ended "
                    "on 31 December 2024: tick the procedure under which the issuing body is recognised now."
                )
            return None
        derived = cls.derive(coi, typed_allowed=False)
        if derived and typed != derived:
            return _(
                "Box %(box)s and the products give %(procedure)s: tick that one, or the equivalent control body "
                "(art. 57)."
            ) % {"box": box_number(coi, "control_body_code"), "procedure": Procedure(derived).label}
        return None

    @classmethod
    def settle(cls, coi: Certificate, typed: str | None) -> FieldProblems:
        """Set box 2 after an edit (not saved): the ticked procedure when this rule allows it, else (or when none
        is ticked) the derived one. Returns the refusal of a ticked procedure (the procedure is then derived)."""
        problems = cls().check(coi, Given(values={"procedure": typed})) if typed else {}
        if typed is not None and not problems:
            coi.procedure = typed  # "" or a procedure that box 1 and the products give: derived below
        coi.procedure = cls.derive(coi)
        return problems
