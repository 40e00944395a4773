"""Tell people what happened: an in-app notice (the bell) and, unless they opted out, an email.

Texts are rendered in each person's language. Emails are queued, never sent inside the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

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


def notify_message(
    user: Any,
    subject: str | Promise,
    body: str | Promise,
    params: Mapping[str, object],
    url: str = "",
    *,
    kind: str = NoticeKind.MEMBERSHIP,
) -> None:
    """Tell one person of a decision with two messages instead of templates: `subject` becomes the notice
    and, with `body`, the email, both formatted with `params` in the person's language. The email is queued
    (core.tasks.send_email) unless the person turned off emails of that kind on their notifications page;
    the link to `url` ends the body."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        values = {key: str(value) for key, value in params.items()}
        subject_text = str(subject) % values
        body_text = str(body) % values
    Notice.objects.create(user=user, text=subject_text[:500], url=url, kind=kind)
    if EmailOptOut.objects.filter(user=user, kind=kind).exists():
        return
    if url:
        body_text += f"\n\n{settings.SITE_URL}{url}"
    send_email.enqueue(user.email, subject_text, body_text)


__all__ = ["notify", "notify_message", "NoticeKind"]
