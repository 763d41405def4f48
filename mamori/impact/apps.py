from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "mamori.impact"
    label = "impact"
    verbose_name = "影響範囲"

    def ready(self):
        # Imported here, not at the top: the app's modules import models, which exist only once Django's
        # app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.impact import contributions

        contributions.register()
