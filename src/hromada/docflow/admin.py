"""Back office: route templates per document kind are kept here by an administrator."""

from django.contrib import admin

from hromada.docflow.models import Case, Journal, RouteTemplate, RouteTemplateStep


class RouteTemplateStepInline(admin.TabularInline):
    model = RouteTemplateStep
    extra = 1
    raw_id_fields = ["approver"]


@admin.register(RouteTemplate)
class RouteTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    inlines = [RouteTemplateStepInline]


@admin.register(Journal)
class JournalAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "prefix"]
    list_filter = ["kind"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["index", "title", "organisation", "year", "retention_years", "closed_on"]
    list_filter = ["year"]
    search_fields = ["index", "title"]
