from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    label = "incidents"
    verbose_name = "漏えい等事案"

    def ready(self):
        from mamori.incidents.reports import register_reports

        register_reports()
