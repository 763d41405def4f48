from django.urls import path

from mamori.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.ask, name="ask"),
    path("map/", views.flow_map, name="map"),
    path("map/data/", views.flow_map_data, name="map_data"),
    path("incidents/<int:pk>/apply/", views.apply_to_incident, name="apply_to_incident"),
]
