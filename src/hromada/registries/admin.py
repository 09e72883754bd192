from django.contrib import admin
from django.core.exceptions import ValidationError

from hromada.registries.models import Record, RegistryDefinition
from hromada.registries.validation import Problem, check_field_definitions


@admin.register(RegistryDefinition)
class RegistryDefinitionAdmin(admin.ModelAdmin):
    """Administrators add registries here, without code: fields are a JSON list."""

    list_display = ["title", "key", "geometry_type", "keeper", "state", "update_frequency"]
    list_filter = ["state", "geometry_type", "update_frequency"]
    search_fields = ["title", "key"]
    readonly_fields = ["created_at", "updated_at", "data_modified_at"]

    def save_model(self, request, obj, form, change):
        from hromada.registries.services import registry_upsert

        fields = {
            name: getattr(obj, name)
            for name in [
                "title",
                "title_en",
                "description",
                "geometry_type",
                "fields",
                "id_field",
                "label_field",
                "contact_email",
                "licence",
                "update_frequency",
                "state",
                "tags",
            ]
        }
        saved = registry_upsert(actor=request.user, key=obj.key, keeper=obj.keeper, **fields)
        obj.pk = saved.pk

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        original_clean = form.clean

        def clean(self_form):
            data = original_clean(self_form)
            try:
                data["fields"] = check_field_definitions(data.get("fields"))
            except Problem as problem:
                raise ValidationError({"fields": problem.reason}) from problem
            return data

        form.clean = clean
        return form


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["label", "registry", "ref", "updated_at"]
    list_filter = ["registry"]
    search_fields = ["label", "ref"]
    readonly_fields = ["minx", "miny", "maxx", "maxy", "search_text", "created_at", "updated_at"]

    # Changes made here bypass the services: move the registry's data version all the same,
    # so cached counts (selectors.registry_stats) and the catalogue follow.
    def save_model(self, request, obj, form, change):
        from hromada.registries.services import _touch

        super().save_model(request, obj, form, change)
        _touch(obj.registry)

    def delete_model(self, request, obj):
        from hromada.registries.services import _touch

        registry = obj.registry
        super().delete_model(request, obj)
        _touch(registry)

    def delete_queryset(self, request, queryset):
        from hromada.registries.services import _touch

        registries = list(RegistryDefinition.objects.filter(records__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for registry in registries:
            _touch(registry)
