from django.urls import path

from mamori.core import views as core_views
from mamori.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.request_new, name="request_new"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("report/", core_views.annual_report_download, {"key": "shiryo3", "back": "disclosure:dashboard"}, name="report"),
    path("closure-days/", views.closure_days, name="closure_days"),
    path("notice-templates/", views.notice_templates, name="notice_templates"),
    path("notice-templates/<str:kind>/", views.notice_template_edit, name="notice_template_edit"),
    path("<str:number>/", views.request_detail, name="request"),
    path("<str:number>/documents/", views.document_add, name="document_add"),
    path("<str:number>/documents/<int:pk>/decide/", views.document_decide, name="document_decide"),
    path("<str:number>/clock/", views.clock_add, name="clock_add"),
    path("<str:number>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<str:number>/clock/<int:pk>/returned/", views.correction_returned, name="correction_returned"),
    path("<str:number>/appeals/", views.appeal_save, name="appeal_new"),
    path("<str:number>/appeals/<int:pk>/", views.appeal_save, name="appeal_edit"),
    path("<str:number>/notices/", views.notice_issue, name="notice_issue"),
    path("<str:number>/notices/<int:pk>.<str:fmt>", views.notice_download, name="notice_download"),
]
