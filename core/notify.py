"""Tell people what happened: an in-app notice (the bell) and, unless they opted out, an email.

Texts are rendered in each person's language. Emails are queued, never sent inside the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation

from core.models import EmailOptOut, Notice, NoticeKind
from core.plaintext import render_text
from core.tasks import send_email


def notify(
    users: Iterable[Any],
    *,
    kind: str,
    template: str,
    context: dict[str, Any],
    url: str = "",
) -> int:
    """Notify each person once. `template` names `<template>_subject.txt` and `<template>_body.txt`.

    Returns how many emails were queued.
    """
    people = {user.pk: user for user in users if user is not None and user.is_active}
    if not people:
        return 0
    opted_out = set(EmailOptOut.objects.filter(user_id__in=people, kind=kind).values_list("user_id", flat=True))
    link = settings.SITE_URL + url if url.startswith("/") else url
    notices, queued = [], 0
    for user in people.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            ctx = {**context, "user": user, "link": link}
            subject = render_text(f"{template}_subject.txt", ctx).strip()
            body = render_text(f"{template}_body.txt", ctx)
        notices.append(Notice(user=user, text=subject[:500], url=url, kind=kind))
        if user.pk not in opted_out:
            send_email.enqueue(user.email, settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body)
            queued += 1
    Notice.objects.bulk_create(notices)
    return queued


__all__ = ["notify", "NoticeKind"]
