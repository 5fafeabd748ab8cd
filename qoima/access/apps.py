from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "qoima.access"
    verbose_name = "Access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from qoima.access import signals  # noqa: F401 - connects the tombstone hook
