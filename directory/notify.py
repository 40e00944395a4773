"""Telling a person: an in-app notice and an email, both in the person's language.

The one place that sends; a later issue moves the email to the task queue.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.functional import Promise

from core.models import Notice

log = logging.getLogger(__name__)


def notify(
    user: object, subject: str | Promise, body: str | Promise, params: Mapping[str, object], url: str = ""
) -> None:
    """Write `subject` as a notice and email it with `body`, formatted with `params` in the person's language."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        values = {key: str(value) for key, value in params.items()}
        subject_text = str(subject) % values
        body_text = str(body) % values
    Notice.objects.create(user=user, text=subject_text[:500], url=url)
    if url:
        body_text += f"\n\n{settings.SITE_URL}{url}"
    try:
        send_mail(subject_text, body_text, None, [user.email])  # type: ignore[attr-defined]
    except OSError:
        # The notice is written; a mail server down must not undo the decision itself.
        log.exception("Could not email %s", user.email)  # type: ignore[attr-defined]
