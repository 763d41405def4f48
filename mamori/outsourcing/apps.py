from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "mamori.outsourcing"
    label = "outsourcing"
    verbose_name = "委託先の監督"

    def ready(self):
        from mamori.outsourcing.reports import register_reports

        register_reports()
