from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "mamori.council"
    label = "council"
    verbose_name = "審議会"

    def ready(self):
        from mamori.council.reports import register_reports

        register_reports()
