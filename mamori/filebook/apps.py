from django.apps import AppConfig


class FilebookConfig(AppConfig):
    name = "mamori.filebook"
    label = "filebook"
    verbose_name = "個人情報ファイル簿"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.filebook import contributions

        contributions.register()
