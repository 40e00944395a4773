"""The bell: a person's in-app notices and their email choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.compiled import CompiledQuery
from core.models import EmailOptOut, Notice, NoticeKind
from core.pages import page_or_404


class EmailChoicesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an email for"),
        choices=NoticeKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _unread_of(user_id: int) -> QuerySet[Any]:
    unread = Notice.objects.filter(user_id=user_id, read_at__isnull=True).order_by().values("user")
    count = Subquery(unread.annotate(n=Count("pk")).values("n"))
    users = get_user_model().objects.filter(pk=user_id)
    return users.annotate(unread=Coalesce(count, 0)).values_list("unread", flat=True)


# The bell's count, on every page: its SQL is built once per process (core.compiled), the count read each time.
_compiled_unread = CompiledQuery(_unread_of)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    found = _compiled_unread(user.pk)
    return int(found[0]) if found else 0


@login_required
def notices_view(request: HttpRequest) -> HttpResponse:
    opted_out = set(EmailOptOut.objects.filter(user=request.user).values_list("kind", flat=True))  # type: ignore[misc]  # login_required: a User
    form = EmailChoicesForm(initial={"kinds": [k for k in NoticeKind.values if k not in opted_out]})
    if request.method == "POST" and "save_choices" in request.POST:
        form = EmailChoicesForm(request.POST)
        if form.is_valid():
            wanted = set(form.cleaned_data["kinds"])
            with transaction.atomic():
                EmailOptOut.objects.filter(user=request.user).delete()  # type: ignore[misc]  # login_required: a User
                EmailOptOut.objects.bulk_create(
                    EmailOptOut(user=request.user, kind=k)  # type: ignore[misc]  # login_required: a User
                    for k in NoticeKind.values
                    if k not in wanted
                )
            messages.success(request, _("Your email choices are saved."))
            return redirect("core:notices")
    if request.method == "POST" and "mark_read" in request.POST:
        Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())  # type: ignore[misc]  # login_required: a User
        return redirect("core:notices")
    page = page_or_404(Notice.objects.filter(user=request.user), 30, request.GET.get("page"))  # type: ignore[misc]  # login_required: a User
    return render(request, "core/notices.html", {"page": page, "form": form})
