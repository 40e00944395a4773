"""What every step checks first: the COI the person may see, locked (404 otherwise); the role in which the
table (`certificates/matrix.py`) lets them act now (403 with the reason, 409 when the status moved on); and
two-factor authentication for a signature."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from accounts.two_factor import code_is_valid, totp_of
from certificates.access import Person, get_visible, roles_on
from certificates.matrix import Action, actions_for
from certificates.models import Certificate
from certificates.statuses import COIRole, COIStatus
from certificates.workflow.history import ROLE_ORDER
from core import clock
from core.errors import Conflict, DomainError, Invalid


def acting_role(person: Person, coi: Certificate, action: Action) -> str:
    """The role in which the person may do `action` on this COI now; refused with the reason otherwise."""
    roles = roles_on(person, coi)
    for role in ROLE_ORDER:
        if role in roles and action in actions_for(coi, role):
            return str(role)
    elsewhere = [s for s in COIStatus.values if any(action in actions_for(_as(coi, s), role) for role in roles)]
    if elsewhere:
        raise Conflict(
            _("This COI is now “%(status)s”: “%(action)s” is no longer possible.%(last)s")
            % {"status": coi.get_status_display(), "action": action.label, "last": _last_step(coi)}
        )
    if not roles:
        raise DomainError(_("You have no role on this COI that allows “%(action)s”.") % {"action": action.label})
    names = ", ".join(str(COIRole(r).label) for r in sorted(roles))
    raise DomainError(
        _("As %(roles)s of this COI, you may not “%(action)s”.") % {"roles": names, "action": action.label}
    )


def _as(coi: Certificate, status: str) -> Any:
    return SimpleNamespace(status=status, base_id=coi.base_id, form=coi.form)


def _last_step(coi: Certificate) -> str:
    entry = coi.history.order_by("-at", "-pk").first()
    if entry is None:
        return ""
    return " " + _("%(who)s: “%(step)s” on %(when)s; nothing of yours was changed.") % {
        "who": entry.actor_name,
        "step": entry.title_on(coi),
        "when": clock.zoned(entry.at),
    }


def locked(person: Person, pk: int) -> Certificate:
    """The COI `pk` the person may see, its row locked until the step's transaction ends (404 otherwise)."""
    return get_visible(person, pk, for_update=True)


def require_two_factor(person: Person, code: str | None) -> None:
    """A signature needs two-factor authentication on; pages and the API also give a current code."""
    authenticator = totp_of(person.user)
    if authenticator is None:
        raise DomainError(
            _("Switch on two-factor authentication in your account before signing: a signature shows your name."),
            code="two_factor_required",
        )
    if code is not None and not code_is_valid(authenticator, str(code).strip()):
        raise Invalid(_("The authentication code is wrong or already used: type the current one."), code="code")
