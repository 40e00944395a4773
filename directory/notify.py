"""Telling a person about a decision: an in-app notice and an email, both in the person's language.

The email is queued (core.tasks.send_email, through the task queue) unless the person turned off
emails for membership decisions on their notifications page.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from core.models import EmailOptOut, Notice, NoticeKind
from core.tasks import send_email


def notify(
    user: object, subject: str | Promise, body: str | Promise, params: Mapping[str, object], url: str = ""
) -> None:
    """Write `subject` as a notice and email it with `body`, formatted with `params` in the person's language."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        values = {key: str(value) for key, value in params.items()}
        subject_text = str(subject) % values
        body_text = str(body) % values
    Notice.objects.create(user=user, text=subject_text[:500], url=url, kind=NoticeKind.MEMBERSHIP)
    if EmailOptOut.objects.filter(user=user, kind=NoticeKind.MEMBERSHIP).exists():
        return
    if url:
        body_text += f"\n\n{settings.SITE_URL}{url}"
    send_email.enqueue(user.email, subject_text, body_text)  # type: ignore[attr-defined]
