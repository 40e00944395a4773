# The customs exchange's request ids move to the API's one table of kept answers (api.IdempotentRequest, caller
# "customs:<office id>", never expiring); each answer kept so far is carried over as it was, so a retry of a call
# answered before this migration is still answered the same, and nothing is written off twice.

import json

from django.db import migrations


def forward(apps, schema_editor):
    ExchangeRequest = apps.get_model("customs", "ExchangeRequest")
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    for row in ExchangeRequest.objects.order_by("pk").iterator():
        kept = IdempotentRequest.objects.create(
            caller=f"customs:{row.office_id}", key=row.request_id, fingerprint=row.fingerprint, status=row.status,
            content_type="application/json", body=json.dumps(row.answer).encode(), expires=False,
        )
        IdempotentRequest.objects.filter(pk=kept.pk).update(created_at=row.at)  # auto_now_add set it to now


def backward(apps, schema_editor):
    ExchangeRequest = apps.get_model("customs", "ExchangeRequest")
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    for kept in IdempotentRequest.objects.filter(caller__startswith="customs:").order_by("pk").iterator():
        ExchangeRequest.objects.create(
            office_id=int(kept.caller.split(":", 1)[1]), request_id=kept.key, operation="", fingerprint=kept.fingerprint,
            status=kept.status or 0, answer=json.loads(bytes(kept.body) or b"{}"), at=kept.created_at,
        )
    IdempotentRequest.objects.filter(caller__startswith="customs:").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0002_kept_answers_that_never_expire'),
        ('customs', '0002_token_base'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name='ExchangeRequest'),
    ]
