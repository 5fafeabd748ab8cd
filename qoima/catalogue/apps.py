from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "qoima.catalogue"
    verbose_name = "Catalogue"
