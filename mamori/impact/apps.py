from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "mamori.impact"
    label = "impact"
    verbose_name = "影響範囲"

    def ready(self):
        from mamori.impact import contributions

        contributions.register()
