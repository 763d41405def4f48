from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "mamori.public"
    label = "public"
    verbose_name = "公開サイト（個人情報ファイル簿）"

    def ready(self):
        from mamori.public import contributions

        contributions.register()
