from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "qoima.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from qoima.catalogue import batch
        from qoima.search import index, signals  # connects the index to catalogue saves

        # Imports index each touched record once, at the end of their transaction.
        batch.register(index.deferred)
        signals.connect_recognized_pages()
