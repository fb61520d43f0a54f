from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("sources/", views.ArticleListView.as_view(), name="article-list"),
    path("sources/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("sources/<slug:slug>/body.txt", views.article_body, name="article-body"),
    path(
        "sources/<slug:slug>/original/",
        views.ArticleOriginalView.as_view(),
        name="article-original",
    ),
]
