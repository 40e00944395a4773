from django.apps import AppConfig


class CustomsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customs"
    verbose_name = "Customs exchange (Reg. (EU) 2024/2145)"
