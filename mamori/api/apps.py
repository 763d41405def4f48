from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mamori.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self):
        from mamori.api import auth  # noqa: F401  (the OpenAPI extension for the bearer token registers on import)
