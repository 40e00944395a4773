from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"

    def ready(self) -> None:
        # Connects the PDF pre-rendering to each new history entry (Django's place for signal receivers).
        # Registers the seal's `check --deploy` warnings.
        from certificates.outputs import (
            pdf_store,  # noqa: F401
            seal_checks,  # noqa: F401
        )
