from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "mamori.outsourcing"
    label = "outsourcing"
    verbose_name = "委託先の監督"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.outsourcing import contributions

        contributions.register()
