"""Box 20 of 2021/2306: when the prior notification was first given, the arrival it then announced, and when it
was last changed (issue 22). Existing COIs read the moments from their history (the box-edit entries changing
box 20); the first arrival is the current one when box 20 was given once, unknown (empty) otherwise."""

from django.db import migrations, models


def from_history(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    HistoryEntry = apps.get_model("certificates", "HistoryEntry")
    for coi in Certificate.objects.filter(prior_notification_at__isnull=False).iterator():
        moments = [
            entry.at
            for entry in HistoryEntry.objects.filter(certificate_id=coi.pk, step="edit").order_by("at", "pk")
            if any(change.get("field") == "prior_notification_at" for change in entry.changes or [])
        ]
        if not moments:
            continue
        coi.prior_notified_at, coi.prior_notification_changed_at = moments[0], moments[-1]
        coi.prior_notification_first_arrival = coi.prior_notification_at if len(moments) == 1 else None
        coi.save(update_fields=["prior_notified_at", "prior_notification_changed_at", "prior_notification_first_arrival"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0005_alter_historyentry_step"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="prior_notification_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="prior notification last changed"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="prior_notification_first_arrival",
            field=models.DateTimeField(blank=True, null=True, verbose_name="estimated arrival first notified"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="prior_notified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="prior notification first given"),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
