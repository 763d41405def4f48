from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mamori.core"
    label = "core"
    verbose_name = "基盤（組織・利用者・監査）"
