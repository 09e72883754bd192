from django.urls import path

from hromada.plans import views

app_name = "plans"
urlpatterns = [
    path("plan/", views.index, name="index"),
    path("plan/follow/", views.follow, name="follow"),
    path("plan/comment/", views.comment_submit, name="comment"),
    path("plan/review/", views.review, name="review"),
    path("plan/my/", views.my_work, name="my_work"),
    path("plan/measures/<str:external_id>/", views.measure_detail, name="measure"),
    path("plan/measures/<str:external_id>/report/", views.report_new, name="report_new"),
    path("plan/measures/<str:external_id>/assess/", views.assess, name="assess"),
    path("plan/reports/<int:pk>/", views.report_detail, name="report"),
    path("plan/evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("plan/reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("plan/reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("plan/reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("plan/indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path(
        "plan/indicators/<int:pk>/values.json", views.indicator_values_json, name="indicator_values"
    ),
    path("plan/<slug:plan>/", views.plan_detail, name="plan"),
    path("plan/<slug:plan>/commitments/<str:number>/", views.commitment_detail, name="commitment"),
    path("plan/<slug:plan>/bodies/<slug:key>/", views.body_detail, name="body"),
    path("plan/<slug:plan>/control/", views.control, name="control"),
    path("plan/<slug:plan>/comments/", views.comments_summary, name="comments"),
    path("plan/<slug:plan>/comments/moderate/", views.comments_moderate, name="comments_moderate"),
    path(
        "plan/<slug:plan>/comments/export/<str:fmt>/",
        views.comments_summary,
        name="comments_export",
    ),
    path("plan/<slug:plan>/import/", views.import_measures, name="import"),
    path(
        "plan/<slug:plan>/export/measures/<str:fmt>/", views.measures_export, name="measures_export"
    ),
    path("plan/<slug:plan>/export/reports/<str:fmt>/", views.reports_export, name="reports_export"),
    path("plan/<slug:plan>/reports.atom", views.ReportsFeed(), name="reports_feed"),
    path("plan/<slug:plan>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plan/<slug:plan>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("plan/<slug:plan>/ogp-template.<str:fmt>", views.ogp_template, name="ogp_template"),
]
