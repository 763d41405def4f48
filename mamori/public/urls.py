from django.urls import path

from mamori.public import views

app_name = "public"
urlpatterns = [
    path("", views.preview, {"path": "index.html"}, name="preview"),
    path("publish/", views.publish_page, name="publish"),
    path("<path:path>", views.preview, name="preview_file"),
]
