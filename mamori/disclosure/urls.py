from django.urls import path

from mamori.core import views as core_views
from mamori.disclosure import file_views, views

app_name = "disclosure"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.request_new, name="request_new"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("report/", core_views.annual_report_download, {"key": "shiryo3", "back": "disclosure:dashboard"}, name="report"),
    path("closure-days/", views.closure_days, name="closure_days"),
    path("notice-templates/", views.notice_templates, name="notice_templates"),
    path("notice-templates/<str:kind>/", views.notice_template_edit, name="notice_template_edit"),
    path("delivery/<str:token>/", file_views.delivery_online, name="delivery_online"),
    path("delivery/<str:token>/<str:fmt>/", file_views.delivery_online, name="delivery_online_file"),
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
    path("<str:number>/documents/<int:pk>/files/", file_views.file_attach, name="file_attach"),
    path("<str:number>/files/<int:fid>/", file_views.file_page, name="file"),
    path("<str:number>/files/<int:fid>/pages/<int:page>.png", file_views.page_image, name="file_page_image"),
    path("<str:number>/files/<int:fid>/pages/<int:page>/words.json", file_views.page_words_json, name="file_page_words"),
    path("<str:number>/files/<int:fid>/download/<str:which>/", file_views.file_download, name="file_download"),
    path("<str:number>/files/<int:fid>/boxes/", file_views.box_add, name="box_add"),
    path("<str:number>/files/<int:fid>/boxes/<int:bid>/", file_views.box_change, name="box_change"),
    path("<str:number>/files/<int:fid>/boxes/<int:bid>/remove/", file_views.box_remove, name="box_remove"),
    path("<str:number>/files/<int:fid>/suggestions/", file_views.suggestions_find, name="suggestions_find"),
    path("<str:number>/files/<int:fid>/review/", file_views.file_act, {"act": "review"}, name="file_review"),
    path("<str:number>/files/<int:fid>/release/", file_views.file_act, {"act": "release"}, name="file_release"),
    path("<str:number>/files/<int:fid>/colour/", file_views.file_act, {"act": "colour"}, name="file_colour"),
    path("<str:number>/files/<int:fid>/remove/", file_views.file_remove, name="file_remove"),
    path("<str:number>/files/<int:fid>/terms/", file_views.term_add, name="term_add"),
    path("<str:number>/files/<int:fid>/terms/<int:tid>/remove/", file_views.term_remove, name="term_remove"),
    path("<str:number>/delivery/", file_views.delivery_create, name="delivery_create"),
    path("<str:number>/delivery/<int:did>.<str:fmt>", file_views.delivery_download, name="delivery_download"),
]
