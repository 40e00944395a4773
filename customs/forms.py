from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import TextFormMixin
from customs.models import CustomsClient


class MachineClientForm(TextFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=CustomsClient._meta.get_field("name").max_length,
        help_text=_("Which system calls the exchange with this token, e.g. the national single window."),
    )
