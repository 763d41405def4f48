from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "mamori.training"
    label = "training"
    verbose_name = "職員研修"

    def ready(self):
        from mamori.training.reports import register_reports

        register_reports()
