from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "mamori.register"
    label = "register"
    verbose_name = "個人情報取扱管理簿"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.register import contributions

        contributions.register()
