from django.urls import path

from mamori.core import views as core_views
from mamori.outsourcing import views

app_name = "outsourcing"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", core_views.annual_report_download, {"key": "shiryo5", "back": "outsourcing:dashboard"}, name="report"),
    path("contractors/", views.contractor_list, name="contractors"),
    path("contractors/new/", views.contractor_edit, name="contractor_new"),
    path("contractors/<int:pk>/", views.contractor_detail, name="contractor"),
    path("contractors/<int:pk>/edit/", views.contractor_edit, name="contractor_edit"),
    path("contractors/<int:pk>/certifications/<int:cert_pk>/edit/", views.certification_edit, name="certification_edit"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/inspections/", views.inspection_save, name="inspection_save"),
    path("contracts/<int:pk>/inspections/<int:inspection_pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("contracts/<int:pk>/receipts/", views.receipt_save, name="receipt_save"),
    path("contracts/<int:pk>/disposal/", views.disposal_save, name="disposal_save"),
    path("contracts/<int:pk>/incidents/", views.incident_save, name="incident_save"),
    path("contracts/<int:pk>/findings/<int:finding_pk>/", views.finding_save, name="finding_save"),
    path("contracts/<int:pk>/forms/<str:form>.docx", views.form_download, name="form"),
    path("contracts/<int:pk>/inspections/<int:inspection_pk>.<str:fmt>", views.checksheet_download, name="checksheet"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("provisions/", views.provisions, name="provisions"),
]
