"""What every app shares: in-app notices (the bell)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """An in-app notice for one person. The text is stored in the person's language when written."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, default="membership")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class NoticeKind(models.TextChoices):
    """Kinds of notices; a person chooses which kinds also reach them by email."""

    MEMBERSHIP = "membership", _("Decisions on my roles and organisations' requests")
    CERTIFICATE = "certificate", _("Steps of certificates I am a party to")
    IRREGULARITY = "irregularity", _("OFIS irregularities")


class EmailOptOut(models.Model):
    """A kind of notice the person does not want by email (in-app notices still arrive)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user} ✗ {self.kind}"


class SentEmail(models.Model):
    """An email the task worker handed to the mail server, keyed by the task that sent it: a task run again
    after its worker was killed (`manage.py db_worker` takes back what its previous process left running)
    does not send it a second time (issue 26)."""

    key = models.CharField(_("task"), max_length=64, unique=True)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class DoneTask(models.Model):
    """A task whose effect is committed, keyed by the task's id and written in the effect's own transaction: a
    task run again after its worker was killed between that commit and the task's "done" (`manage.py
    db_worker` takes back what its previous process left running) finds it and does nothing twice (issue 26).
    Emails have their own record (`SentEmail`): their effect, the mail server's, is outside the database."""

    key = models.CharField(_("task"), max_length=64, unique=True)
    task_path = models.CharField(_("task path"), max_length=200)
    done_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        verbose_name = _("task done")
        verbose_name_plural = _("tasks done")

    def __str__(self) -> str:
        return f"{self.task_path} {self.key}"
