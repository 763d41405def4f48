from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "mamori.training"
    label = "training"
    verbose_name = "職員研修"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.training import contributions

        contributions.register()
