"""Sitemaps for search engines and partner crawlers: only what the public may read.

A crawler is an anonymous visitor, so the sections list exactly the records and authority pages
`policy.visible_q(None)` allows; closed, embargoed and researchers-only records never appear.
Django pages each section at 50,000 URLs (/sitemap-records.xml?p=2 …) under the index /sitemap.xml.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from qoima.accounts import policy
from qoima.catalogue.models import Authority, Description


class RecordSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (Description.objects.filter(policy.visible_q(None)).order_by("pk")
                .only("pk", "ref", "modified"))

    def location(self, d: Description) -> str:
        return reverse("record", args=[d.ref])

    def lastmod(self, d: Description):
        return d.modified


class AuthoritySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Authority.objects.order_by("pk").only("pk", "modified")

    def location(self, a: Authority) -> str:
        return reverse("authority", args=[a.pk])

    def lastmod(self, a: Authority):
        return a.modified


SITEMAPS = {"records": RecordSitemap, "authorities": AuthoritySitemap}
