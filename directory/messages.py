"""Messages the API shows people, kept here so that they sit in the directory's French catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

API_MESSAGES = {
    "no_operator": _("This operator does not exist."),
    "no_authority": _("This authority does not exist."),
    "no_code": _("This control body code does not exist."),
    "unknown_code": _("Unknown control body code: %(code)s."),
    "one_organisation": _("Name one organisation: an operator, codes of one control body, or an authority."),
}
