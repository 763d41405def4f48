from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "mamori.register"
    label = "register"
    verbose_name = "個人情報取扱管理簿"
