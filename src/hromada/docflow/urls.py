from django.urls import path

from hromada.docflow import views

app_name = "docflow"
urlpatterns = [
    path("docflow/", views.index, name="index"),
    path("docflow/documents/new/", views.document_new, name="document_new"),
    path("docflow/documents/<int:pk>/", views.document_detail, name="document"),
    path("docflow/documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("docflow/documents/<int:pk>/document.pdf", views.document_pdf_view, name="document_pdf"),
    path("docflow/documents/<int:pk>/files/", views.document_file_add, name="file_add"),
    path("docflow/documents/<int:pk>/links/", views.document_link_add, name="link_add"),
    path("docflow/documents/<int:pk>/access/", views.document_grant, name="grant"),
    path("docflow/documents/<int:pk>/publish/", views.document_publish, name="publish"),
    path("docflow/documents/<int:pk>/route/", views.route_start, name="route_start"),
    path("docflow/documents/<int:pk>/approval/", views.approval_decide, name="decide"),
    path("docflow/documents/<int:pk>/sign/", views.document_sign, name="sign"),
    path("docflow/documents/<int:pk>/resolutions/", views.resolution_write, name="resolve"),
    path("docflow/resolutions/<int:pk>/report/", views.resolution_report, name="report"),
    path("docflow/resolutions/<int:pk>/remove/", views.resolution_remove, name="remove"),
    path("docflow/files/<int:pk>/", views.file_download, name="file"),
    path("docflow/signatures/<int:pk>/signed.pdf", views.signed_pdf, name="signed_pdf"),
    path("docflow/control/", views.control, name="control"),
    path("docflow/registers/", views.registers, name="registers"),
    path("docflow/registers/journals/<int:pk>/<int:year>/", views.journal_detail, name="journal"),
    path("docflow/registers/cases/", views.case_add, name="case_add"),
    path("docflow/registers/cases/<int:pk>/close/", views.case_close, name="case_close"),
    # Public pages: anyone may check a signature and read the published decisions.
    path("docflow/verify/", views.verify, name="verify"),
    path("docflow/decisions/", views.decisions, name="decisions"),
    path("docflow/decisions/<int:pk>/", views.decision_detail, name="decision"),
]
