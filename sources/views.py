"""Public pages of source articles (placeholders until the reader site lands)."""

from django.views.generic import DetailView, ListView

from .models import Article


class PublishedArticleMixin:
    def get_queryset(self):
        return Article.objects.published().select_related("outlet")


class ArticleListView(PublishedArticleMixin, ListView):
    paginate_by = 50


class ArticleDetailView(PublishedArticleMixin, DetailView):
    pass
