from django.apps import AppConfig


class CustomsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customs"
    verbose_name = "Customs exchange (Reg. (EU) 2024/2145)"

    def ready(self) -> None:
        # The PDF of a COI nothing remains of says so (certificates.outputs.notes: certificates imports no app above).
        from certificates.outputs.notes import PDF_NOTES
        from core.nav import NAV_ENTRIES
        from customs.access import nav_entries
        from customs.documents import depleted_note, operations_note

        for note in (depleted_note, operations_note):  # and what customs wrote off or restored, in its language
            if note not in PDF_NOTES:
                PDF_NOTES.append(note)
        # The menu's entry to the office's machine clients, for its administrators (core imports no app above).
        if nav_entries not in NAV_ENTRIES:
            NAV_ENTRIES.append(nav_entries)
        # The exchange's operations refuse an undeclared query parameter, as the main API's (api.middleware).
        from api.middleware import CHECKED_APIS
        from customs.api import api

        CHECKED_APIS.setdefault("/api/customs/v1/", api)
