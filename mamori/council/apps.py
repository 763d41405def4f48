from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "mamori.council"
    label = "council"
    verbose_name = "審議会"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.council import contributions

        contributions.register()
