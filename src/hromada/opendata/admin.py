from django.contrib import admin

from hromada.opendata.models import Dataset


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Passports follow their sources; the back office shows them read-only."""

    list_display = ["title", "key", "keeper", "update_frequency", "public", "data_modified_at"]
    list_filter = ["public", "update_frequency", "theme"]
    search_fields = ["title", "key"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
