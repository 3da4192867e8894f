from django.contrib import admin
from django.urls import include, path

from cupure.accounts import views as account_views
from cupure.comments import feeds as comment_feeds, views as comment_views

from cupure.news import views
from cupure.search import feeds as search_feeds, views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:pk>/", views.article, name="article"),
    path("story/<int:pk>/", views.story, name="story"),
    path("topic/<slug:slug>/", views.topic, name="topic"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("sources/", views.sources, name="sources"),
    path("source/<slug:slug>/", views.source, name="source"),
    path("search/", search_views.search, name="search"),
    path("search/rss/", search_feeds.SearchFeed(), name="search-rss"),
    path("search/atom/", search_feeds.SearchAtomFeed(), name="search-atom"),
    path("accounts/", include("cupure.accounts.urls")),
    path("u/<path:username>/", account_views.profile, name="profile"),
    path("comments/", include("cupure.comments.urls")),
    path("moderation/", comment_views.queue, name="moderation"),
    path("article/<int:pk>/comments/rss/", comment_feeds.ArticleCommentsFeed(), name="article-comments-rss"),
    path("admin/", admin.site.urls),
]
