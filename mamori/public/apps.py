from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "mamori.public"
    label = "public"
    verbose_name = "公開サイト（個人情報ファイル簿）"

    def ready(self):
        # Imported here, not at the top: the app's modules import models, which exist only once Django's
        # app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.public import contributions

        contributions.register()
