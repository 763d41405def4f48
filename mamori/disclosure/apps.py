from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "mamori.disclosure"
    label = "disclosure"
    verbose_name = "公文書公開・保有個人情報の開示等の請求"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from mamori.disclosure import contributions

        contributions.register()
