from django.urls import path

from mamori.council import views

app_name = "council"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("awaiting/", views.awaiting, name="awaiting"),
    path("trends/", views.trends_page, name="trends"),
    path("meetings/new/", views.meeting_edit, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/assign/", views.meeting_assign, name="meeting_assign"),
    path("meetings/<int:pk>/unassign/<str:number>/", views.meeting_unassign, name="meeting_unassign"),
    path("meetings/<int:pk>/packet/", views.meeting_packet, name="meeting_packet"),
    path("ingest/", views.ingest_upload, name="ingest"),
    path("ingest/packets/", views.packet_list, name="packets"),
    path("ingest/packets/<int:pk>/", views.packet_detail, name="packet"),
    path("meetings/<int:pk>/documents/<str:document>.<str:fmt>", views.meeting_document, name="document"),
]
