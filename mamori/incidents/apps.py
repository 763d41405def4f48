from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    label = "incidents"
    verbose_name = "漏えい等事案"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.incidents import contributions

        contributions.register()
