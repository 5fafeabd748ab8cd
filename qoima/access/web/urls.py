"""Reading-room URLs. Reference codes contain '-' and any letters, so records use the path converter."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from qoima.access.web import views
from qoima.access.web.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("download/<path:ref>", views.download, name="download"),
    path("records/<path:ref>", views.record, name="record"),
    path("browse/", views.browse, name="browse"),
    path("browse/node/<path:ref>", views.browse_node, name="browse-node"),
    path("authorities/", views.authorities, name="authorities"),
    path("authorities/<int:pk>", views.authority, name="authority"),
    path("terms/<int:pk>", views.term, name="term"),
    path("repositories/<str:code>", views.repository, name="repository"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
