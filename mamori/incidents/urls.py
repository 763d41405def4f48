from django.urls import path

from mamori.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_edit, name="new"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/edit/", views.incident_edit, name="edit"),
    path("<int:pk>/confirm/", views.incident_confirm, name="confirm"),
    path("<int:pk>/ppc/<str:stage>.<str:fmt>", views.ppc_download, name="ppc"),
]
