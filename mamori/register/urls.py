from django.urls import path

from mamori.register import views

app_name = "register"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("programs/<str:code>/", views.program_detail, name="program"),
    path("programs/<str:code>/versions/<int:number>/", views.version_detail, name="version"),
    path("programs/<str:code>/diff/", views.version_diff, name="diff"),
    path("notifications/", views.notification_inbox, name="inbox"),
    path("notifications/new/", views.notification_new, name="notification_new"),
    path("notifications/draft/", views.notification_draft, name="notification_draft"),
    path("notifications/effective-date-note/", views.effective_date_note, name="effective_date_note"),
    path("notifications/<str:number>/", views.notification_detail, name="notification_detail"),
    path("notifications/<str:number>/edit/", views.notification_draft, name="notification_edit"),
    path("notifications/<str:number>/review/", views.imported_review, name="imported_review"),
    path("notifications/<str:number>/<str:action>/", views.notification_action, name="notification_action"),
    path("imports/", views.imports, name="imports"),
    path("vocabulary/", views.vocabulary_list, name="vocabulary"),
    path("vocabulary/new/", views.vocabulary_edit, name="vocabulary_new"),
    path("vocabulary/<int:pk>/edit/", views.vocabulary_edit, name="vocabulary_edit"),
]
