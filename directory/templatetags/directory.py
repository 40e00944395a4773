"""Template tags for pages outside the directory: the person's roles, the menu entries."""

from __future__ import annotations

from typing import Any

from django import template

from directory import matrix
from directory.access import request_memberships, valid_memberships
from directory.models import Membership, MembershipKind, Status

register = template.Library()


@register.simple_tag(takes_context=True)
def my_memberships(context: dict[str, Any]) -> list[Membership]:
    user = context["request"].user
    return list(
        Membership.objects.filter(user=user).select_related("operator", "control_body_code__control_body", "authority")
    )


@register.inclusion_tag("directory/_nav.html", takes_context=True)
def directory_nav(context: dict[str, Any]) -> dict[str, Any]:
    """Menu entries by what the person may do, read from their Valid memberships on this request."""
    request = context["request"]
    memberships = request_memberships(request)
    st = matrix.standing(request.user, memberships)
    validates = bool(st.competent_countries or st.code_ids or st.commission or st.admin_operator_ids)
    acts_for_operator = any(m.kind == MembershipKind.OPERATOR for m in memberships)
    return {"validates": validates, "operators": acts_for_operator or validates, "commission": st.commission}


@register.inclusion_tag("directory/_next_step.html", takes_context=True)
def next_step(context: dict[str, Any]) -> dict[str, Any]:
    """What a person without a Valid role does next (guide 001, 2: choose Operator or Organic control body and
    send a request); their waiting requests, if any. Nothing for a person who already acts for someone."""
    user = context["request"].user
    if valid_memberships(user).exists():
        return {"show": False}
    waiting = Membership.objects.filter(user=user, status=Status.REQUESTED).select_related(
        "operator", "control_body_code__control_body", "authority"
    )
    return {"show": True, "waiting": list(waiting)}
