"""Sitemap entries: public documents and collections only (what an anonymous visitor sees)."""

from django.contrib.sitemaps import Sitemap

from sti.library.models import Collection, Document


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 20_000

    def items(self):
        return Document.objects.public().only("id", "updated_at").order_by("pk")

    def lastmod(self, document):
        return document.updated_at


class CollectionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Collection.objects.order_by("pk")


SITEMAPS = {"library-documents": DocumentSitemap, "library-collections": CollectionSitemap}
