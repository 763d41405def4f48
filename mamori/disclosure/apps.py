from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "mamori.disclosure"
    label = "disclosure"
    verbose_name = "公文書公開・保有個人情報の開示等の請求"

    def ready(self):
        from mamori.disclosure.reports import register_reports

        register_reports()
