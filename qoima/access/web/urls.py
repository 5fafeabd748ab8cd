"""Reading-room URLs. Reference codes contain '-' and any letters, so records use the path converter."""

from django.urls import path

from qoima.access.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("records/<path:ref>", views.record, name="record"),
    path("browse/", views.browse, name="browse"),
    path("browse/node/<path:ref>", views.browse_node, name="browse-node"),
    path("authorities/", views.authorities, name="authorities"),
    path("authorities/<int:pk>", views.authority, name="authority"),
    path("terms/<int:pk>", views.term, name="term"),
    path("repositories/<str:code>", views.repository, name="repository"),
]
