"""The nomenclature in the admin: searchable, read-mostly (the loader owns it; fix descriptions here if needed)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from reference.loader import refresh_paths
from reference.models import CnCode


@admin.register(CnCode)
class CnCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "formatted", "description_en", "description_fr", "categories", "selectable", "in_force"]
    list_filter = ["level", "selectable", "in_force", "categories"]
    search_fields = ["code", "description_en", "description_fr", "path_fr", "path_en"]
    readonly_fields = ["code", "level", "parent", "path_en", "path_fr"]
    list_select_related = ["parent"]

    def save_model(self, request: Any, obj: CnCode, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        refresh_paths()  # the code's path, its children's and the search texts follow the edited description

    show_full_result_count = False
    fields = [
        "code", "level", "parent", "path_en", "path_fr", "description_en", "description_fr", "categories",
        "selectable", "in_force",
    ]  # fmt: skip
