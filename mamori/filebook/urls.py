from django.urls import path

from mamori.filebook import views

app_name = "filebook"
urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.file_new, name="new"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("<str:code>/", views.file_detail, name="file"),
    path("<str:code>/edit/", views.file_edit, name="edit"),
    path("<str:code>/decide/", views.file_decide, name="decide"),
    path("<str:code>/publish/", views.revision_publish, name="publish"),
    path("<str:code>/refresh/", views.file_refresh, name="refresh"),
]
