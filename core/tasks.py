"""Background tasks (Django's tasks API through django-tasks; the database backend on one machine).

Emails leave through the queue so a slow mail server never slows a page: the task row is written in
the same transaction as the change it reports, and the worker (`manage.py db_worker`) sends it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task(queue_name="default")
def send_email(to: str, subject: str, body: str) -> int:
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()
