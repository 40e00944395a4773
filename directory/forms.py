"""Forms of the directory's pages: they parse; the rules are in `matrix.py` and `services.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.collation import NameChoiceField, NameMultipleChoiceField
from core.text import TextFormMixin
from directory import operators
from directory.matrix import Action
from directory.models import (
    ActivityKind,
    Authority,
    ControlBodyCode,
    IdentifierType,
    Membership,
    MembershipKind,
    Operator,
    PointOfEntry,
    Status,
)
from reference.countries import country_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CountryField(forms.ChoiceField):
    """A country among the ISO codes, read in capitals (`ma` is MA, as the COI list reads it)."""

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        super().__init__(required=required, choices=[], **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()

    def set_choices(self) -> None:
        self.choices = [("", "---------"), *country_choices()]


class CountryFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]  # a form mixin: the form class provides fields
            if isinstance(field, CountryField):
                field.set_choices()


class OperatorSearchForm(TextFormMixin, CountryFormMixin, forms.Form):
    country = CountryField(label=_("Country"))
    kind = forms.ChoiceField(
        label=_("Activity type"), required=False, choices=[("", _("All activities")), *ActivityKind.choices]
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Business name, identifier, approval number")}
        ),
    )


class ControlBodySearchForm(TextFormMixin, CountryFormMixin, forms.Form):
    country = CountryField(label=_("Country"), required=False)
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        refused = "country" in self.errors or "q" in self.errors  # given, but refused at its field: said there
        if not refused and not data.get("country") and not data.get("q"):
            raise forms.ValidationError(_("Give a country or a name."))
        return data


class ContactForm(TextFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=50)


class OperatorForm(TextFormMixin, CountryFormMixin, forms.ModelForm):
    country = CountryField(label=_("Country"))
    website = forms.URLField(label=_("Web site"), required=False, assume_scheme="https")

    class Meta:
        model = Operator
        fields = [
            "name",
            "country",
            "region",
            "postcode",
            "city",
            "address",
            "latitude",
            "longitude",
            "phone",
            "fax",
            "email",
            "website",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("To receive the validation of your access.")

    def details(self) -> operators.OperatorDetails:
        return operators.OperatorDetails(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class IdentifierForm(TextFormMixin, forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=[("", "---------"), *IdentifierType.choices], required=False)
    value = forms.CharField(label=_("Value"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("value") and not data.get("type"):
            self.add_error("type", _("Choose the identifier's type."))
        return data


class ActivityForm(TextFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=[("", "---------"), *ActivityKind.choices], required=False)
    control_body_code = forms.ModelChoiceField(
        label=_("Control body"),
        queryset=ControlBodyCode.objects.filter(active=True).select_related("control_body"),
        required=False,
    )
    identifier = forms.CharField(label=_("Identifier"), max_length=60, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    publication_date = forms.DateField(label=_("Publication date"), required=False, widget=DATE)
    application_date = forms.DateField(label=_("Application date"), required=False, widget=DATE)
    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and not data.get("control_body_code"):
            self.add_error("control_body_code", _("Name the control body that certifies this activity."))
        return data

    def activity(self) -> operators.NewActivity | None:
        if not self.cleaned_data.get("kind"):
            return None
        return operators.NewActivity(**self.cleaned_data)


IdentifierFormSet = forms.formset_factory(IdentifierForm, extra=3)
ActivityFormSet = forms.formset_factory(ActivityForm, extra=2)


class DecisionForm(TextFormMixin, forms.Form):
    action = forms.ChoiceField(choices=Action.CHOICES)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AuthorityRequestForm(ContactForm):
    authority = NameChoiceField(label=_("Authority"), queryset=Authority.objects.all())


class RflForm(TextFormMixin, forms.Form):
    email = forms.EmailField(label=_("Person's email"))
    operator = NameChoiceField(label=_("Operator"), queryset=Operator.objects.filter(status=Status.VALID))
    points = NameMultipleChoiceField(
        label=_("Points of entry"), queryset=PointOfEntry.objects.all(), widget=forms.CheckboxSelectMultiple
    )


class RflRequestForm(forms.Form):
    """A person's RFL role request: one of their operators, the points of entry, a message for the Commission."""

    operator = forms.ModelChoiceField(label=_("Operator you work for"), queryset=Operator.objects.none())
    points = forms.ModelMultipleChoiceField(
        label=_("Points of entry"), queryset=PointOfEntry.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = Membership.objects.filter(user=user, status=Status.VALID, kind=MembershipKind.OPERATOR)
        operator = self.fields["operator"]
        assert isinstance(operator, forms.ModelChoiceField)
        operator.queryset = Operator.objects.filter(pk__in=mine.values("operator_id"))
