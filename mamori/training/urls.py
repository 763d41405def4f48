from django.urls import path

from mamori.training import views

app_name = "training"
urlpatterns = [path("", views.session_list, name="list")]
