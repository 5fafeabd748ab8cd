from django.apps import AppConfig


class RecognizeConfig(AppConfig):
    name = "qoima.recognize"
    label = "recognize"
    verbose_name = "Recognition (clean-up, OCR, ALTO)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from qoima.recognize import signals  # noqa: F401  (auto-OCR after ingest)
