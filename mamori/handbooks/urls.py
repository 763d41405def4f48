from django.urls import path

from mamori.handbooks import views

app_name = "handbooks"
urlpatterns = [
    path("", views.handbook_list, name="list"),
    path("<int:pk>/", views.handbook_detail, name="handbook"),
    path("editions/<int:pk>/", views.edition_detail, name="edition"),
    path("editions/<int:pk>/file/", views.edition_file, name="edition_file"),
    path("revisions/new/", views.revision_new, name="revision_new"),
    path("revisions/<int:pk>/", views.revision_detail, name="revision"),
    path("revisions/<int:pk>/rows/<int:row>/", views.row_edit, name="row_edit"),
    path("revisions/<int:pk>/<str:action>/", views.revision_action, name="revision_action"),
    path("revisions/<int:pk>/shiryo7.<str:fmt>", views.revision_document, name="revision_document"),
]
