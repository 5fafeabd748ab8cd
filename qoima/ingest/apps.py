from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "qoima.ingest"
    label = "ingest"
    verbose_name = "Ingest and archival storage"
    default_auto_field = "django.db.models.BigAutoField"
