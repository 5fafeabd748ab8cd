from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qoima.accounts"
    verbose_name = "Accounts"
