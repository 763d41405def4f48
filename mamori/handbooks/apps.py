from django.apps import AppConfig


class HandbooksConfig(AppConfig):
    name = "mamori.handbooks"
    label = "handbooks"
    verbose_name = "手引"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.handbooks import contributions

        contributions.register()
