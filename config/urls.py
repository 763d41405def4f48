from django.urls import include, path

urlpatterns = [
    path("", include("mamori.core.urls")),
    path("register/", include("mamori.register.urls")),
    path("council/", include("mamori.council.urls")),
    path("impact/", include("mamori.impact.urls")),
    path("requests/", include("mamori.disclosure.urls")),
    path("outsourcing/", include("mamori.outsourcing.urls")),
    path("incidents/", include("mamori.incidents.urls")),
    path("training/", include("mamori.training.urls")),
    path("handbooks/", include("mamori.handbooks.urls")),
    path("files/site/", include("mamori.public.urls")),  # before files/: the public site's preview and publication
    path("files/", include("mamori.filebook.urls")),
    path("api/v1/", include("mamori.api.urls")),
    path("account/api-tokens/", include("mamori.api.account_urls")),
]
