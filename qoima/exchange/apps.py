from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "qoima.exchange"
    verbose_name = "Exchange"
    default_auto_field = "django.db.models.BigAutoField"
