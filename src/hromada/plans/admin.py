from django.contrib import admin

from hromada.plans.models import (
    Assessment,
    Comment,
    Commitment,
    Indicator,
    IndicatorValue,
    Measure,
    Plan,
    ProgressReport,
)


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    fields = ["number", "title", "position"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "period_start", "period_end"]
    inlines = [CommitmentInline]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "lead", "start", "end", "completion", "progress"]
    list_filter = ["completion", "commitment__plan"]
    search_fields = ["text", "external_id"]
    # Progress and completion move only with published reports, so they stay read-only.
    readonly_fields = ["progress", "completion"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "measure", "unit", "target", "metric_key"]
    inlines = [IndicatorValueInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["measure", "period_start", "period_end", "state", "progress"]
    list_filter = ["state"]


admin.site.register(Assessment)
admin.site.register(Comment)
