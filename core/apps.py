from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from django.urls import register_converter

        from core.converters import IdConverter
        from core.text import refuse_bad_text

        pre_save.connect(refuse_bad_text, dispatch_uid="core.text.refuse_bad_text")
        register_converter(IdConverter, "id")
        from core import checks  # noqa: F401  (registers the system checks)
