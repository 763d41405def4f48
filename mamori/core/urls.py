from django.contrib.auth import views as auth_views
from django.urls import path

from mamori.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/two-factor/", views.otp_setup, name="otp_setup"),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("date-echo/", views.date_echo, name="date_echo"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<str:model>/<str:object_id>/", views.audit_record, name="audit_record"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/new/", views.unit_new, name="unit_new"),
    path("organisation/organs/<int:pk>/remove/", views.organ_remove, name="organ_remove"),
    path("organisation/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_edit, name="user_new"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/unlock/", views.user_signin_action, {"action": "unlock"}, name="user_unlock"),
    path("users/<int:pk>/two-factor/reset/", views.user_signin_action, {"action": "otp_reset"}, name="user_otp_reset"),
]
