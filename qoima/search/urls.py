from django.urls import path

from qoima.search import views

urlpatterns = [
    path("search", views.search_page, name="search"),
]
