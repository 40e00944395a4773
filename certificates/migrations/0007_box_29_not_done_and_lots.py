"""Box 29 of 2021/2306 (issue 22): a check not done reads 'not done' (set for the COIs whose box 25 is signed); the lots
not satisfactory, when only some lots of box 13 failed a check."""


from django.db import migrations, models


def not_done_after_box_25(apps, schema_editor):
    """Box 29 of the COIs whose box 25 is signed: a check without a result reads "not done" (issue 22)."""
    Certificate = apps.get_model("certificates", "Certificate")
    checked = Certificate.objects.filter(form="2021/2306", base__isnull=True, signatures__box="25").distinct()
    for name in ("identity_check", "physical_check"):
        checked.filter(**{name: ""}).update(**{name: "not_done"})
    checked.filter(laboratory_test__isnull=True).update(laboratory_test=False)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0006_prior_notification_first_given"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="lots_not_satisfactory",
            field=models.CharField(blank=True, max_length=1000, verbose_name="lots not satisfactory"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="identity_check",
            field=models.CharField(
                blank=True,
                choices=[
                    ("satisfactory", "Satisfactory"),
                    ("not_satisfactory", "Not satisfactory"),
                    ("not_done", "Not done"),
                ],
                max_length=20,
                verbose_name="identity checks",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="laboratory_result",
            field=models.CharField(
                blank=True,
                choices=[
                    ("satisfactory", "Satisfactory"),
                    ("not_satisfactory", "Not satisfactory"),
                    ("not_done", "Not done"),
                ],
                max_length=20,
                verbose_name="test result",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="physical_check",
            field=models.CharField(
                blank=True,
                choices=[
                    ("satisfactory", "Satisfactory"),
                    ("not_satisfactory", "Not satisfactory"),
                    ("not_done", "Not done"),
                ],
                max_length=20,
                verbose_name="physical checks",
            ),
        ),
        migrations.RunPython(not_done_after_box_25, migrations.RunPython.noop),
    ]
