"""/api/v1/ (docs/api.md). Every name here is walked by mamori/api/tests/test_walk.py for every role and method."""
from django.urls import path, re_path

from mamori.api.views import disclosure, files, impact, incidents, meta, notifications, organisation, outsourcing, register, training

app_name = "api"
urlpatterns = [
    path("", meta.Root.as_view(), name="root"),
    path("schema/", meta.Schema.as_view(), name="schema"),
    path("docs/", meta.Docs.as_view(), name="docs"),
    # organisation and vocabulary
    path("organs/", organisation.Organs.as_view(), name="organs"),
    path("units/", organisation.Units.as_view(), name="units"),
    path("items/", register.Items.as_view(), name="items"),
    path("categories/", register.Categories.as_view(), name="categories"),
    # the register
    path("programs/", register.Programs.as_view(), name="programs"),
    path("programs/<str:code>/", register.ProgramDetail.as_view(), name="program"),
    path("programs/<str:code>/versions/", register.Versions.as_view(), name="program_versions"),
    path("programs/<str:code>/versions/<int:number>/", register.VersionDetail.as_view(), name="program_version"),
    # 個人情報ファイル簿 (法第75条), as published
    path("files/", files.Files.as_view(), name="files"),
    path("files/<str:code>/", files.FileDetail.as_view(), name="file"),
    path("notifications/", notifications.Notifications.as_view(), name="notifications"),
    path("notifications/<str:number>/", notifications.NotificationDetail.as_view(), name="notification"),
    path("notifications/<str:number>/submit/", notifications.NotificationSubmit.as_view(), name="notification_submit"),
    # requests, contracts, incidents, training
    path("requests/", disclosure.Requests.as_view(), name="requests"),
    path("requests/<str:number>/", disclosure.RequestDetail.as_view(), name="request"),
    path("contracts/", outsourcing.Contracts.as_view(), name="contracts"),
    path("contracts/<int:pk>/", outsourcing.ContractDetail.as_view(), name="contract"),
    path("contracts/<int:pk>/incident-reports/", outsourcing.IncidentReports.as_view(), name="contract_incident_reports"),
    path("incidents/", incidents.Incidents.as_view(), name="incidents"),
    path("incidents/<int:pk>/", incidents.IncidentDetail.as_view(), name="incident"),
    path("training-sessions/", training.Sessions.as_view(), name="training_sessions"),
    path("training-sessions/<int:pk>/", training.SessionDetail.as_view(), name="training_session"),
    # the impact analysis
    path("impact/", impact.Impact.as_view(), name="impact"),
    re_path(r"^(?P<rest>.*)$", meta.Missing.as_view(), name="not_found"),
]
