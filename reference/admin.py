"""The nomenclature in the admin: searchable, read-mostly (the loader owns it; fix descriptions here if needed)."""

from __future__ import annotations

from django.contrib import admin

from reference.models import CnCode


@admin.register(CnCode)
class CnCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "formatted", "description_en", "description_fr", "categories", "selectable", "in_force"]
    list_filter = ["level", "selectable", "in_force", "categories"]
    search_fields = ["code", "description_en", "description_fr"]
    readonly_fields = ["code", "level", "parent"]
    list_select_related = ["parent"]
    show_full_result_count = False
    fields = ["code", "level", "parent", "description_en", "description_fr", "categories", "selectable", "in_force"]
