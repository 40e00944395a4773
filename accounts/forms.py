"""Forms of the account pages."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.two_factor import code_is_valid, code_period, totp_of
from core.text import TextFormMixin

HUMAN_CHECK_SESSION_KEY = "signup_human_check"


def new_human_check(request: HttpRequest) -> str:
    """Store a small sum in the session and return the question: no outside captcha service."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[HUMAN_CHECK_SESSION_KEY] = a + b
    return f"{a} + {b}"


class SignupForm(TextFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), help_text=_("Your professional email is strongly advised."))
    email2 = forms.EmailField(label=_("Confirm email"))
    language = forms.ChoiceField(label=_("Email language"), choices=settings.LANGUAGES)
    human_check = forms.IntegerField(label=_("Human check"))
    # A field hidden from people: a bot that fills it is refused.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.expected_answer = request.session.get(HUMAN_CHECK_SESSION_KEY)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this email. Log in, or reset your password if you forgot it.")
            )
        return email

    def clean_human_check(self) -> int:
        answer = self.cleaned_data["human_check"]
        if self.expected_answer is None or answer != self.expected_answer:
            raise forms.ValidationError(_("The answer to the human check is wrong. Try the new question."))
        return answer

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."))
        first, second = data.get("email"), (data.get("email2") or "").strip().lower()
        if first and second and first != second:
            self.add_error("email2", _("The two email addresses do not match."))
        return data


class FirstPasswordForm(SetPasswordForm):
    """The first password, from the emailed link. A refused password comes back in the fields to be fixed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.render_value = True


class ResendLinkForm(TextFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email"))


class ApiTokenForm(TextFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. ERP export.")
    )


class ProfileForm(TextFormMixin, forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "language"]


class _CodeOnce:
    """A TOTP code typed on allauth's two-factor page is checked and marked used as the steps' and the API's are
    (accounts.two_factor.code_is_valid, the UsedCode table): a code used to log in cannot sign, nor the reverse.
    A code that is no current TOTP code (a recovery code, a wrong one) goes to allauth's own check."""

    user: Any
    cleaned_data: dict[str, Any]

    def clean_code(self) -> str:
        totp = totp_of(self.user)
        code = str(self.cleaned_data.get("code", ""))
        if totp is not None and code_period(totp, code) is not None and not code_is_valid(totp, code):
            raise get_adapter().validation_error("incorrect_code")
        return str(super().clean_code())  # type: ignore[misc]  # allauth's form, after this mixin


class AuthenticateForm(_CodeOnce, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_CodeOnce, mfa_forms.ReauthenticateForm):
    pass
