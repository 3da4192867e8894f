from django.contrib import admin
from django.urls import include, path, re_path

from cupure.accounts import views as account_views
from cupure.api import errors as api_errors
from cupure.api import reference as api_views
from cupure.api.views import api
from cupure.comments import feeds as comment_feeds
from cupure.comments import views as comment_views
from cupure.news import feeds as news_feeds
from cupure.news import sitemaps as news_sitemaps
from cupure.news import views
from cupure.news.feeds import feed_urls
from cupure.ops import views as ops_views
from cupure.readers import views as reader_views
from cupure.search import feeds as search_feeds
from cupure.search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:pk>/", views.article, name="article"),
    path("story/<int:pk>/", views.story, name="story"),
    path("topic/<slug:slug>/", views.topic, name="topic"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("sources/", views.sources, name="sources"),
    path("sources/import/", views.sources_opml_import, name="sources-opml-import"),
    path("source/<slug:slug>/", views.source, name="source"),
    path("search/", search_views.search, name="search"),
    *feed_urls("search/", search_feeds.SearchFeed, "search-feed"),
    # Feed readers poll the top stories most; ranking them is the costliest feed to make: a minute's cache.
    *feed_urls("feed/", news_feeds.TopStoriesFeed, "top-feed", cache_seconds=60),
    *feed_urls("section/<slug:slug>/", news_feeds.SectionFeed, "section-feed"),
    *feed_urls("topic/<slug:slug>/", news_feeds.TopicFeed, "topic-feed"),
    *feed_urls("source/<slug:slug>/", news_feeds.SourceFeed, "source-feed"),
    *feed_urls("story/<int:pk>/", news_feeds.StoryFeed, "story-feed"),
    *feed_urls("article/<int:pk>/comments/", comment_feeds.ArticleCommentsFeed, "comments-feed"),
    path("accounts/", include("cupure.accounts.urls")),
    path("for-you/", reader_views.for_you, name="for-you"),
    path("saved/", reader_views.saved, name="saved"),
    path("saved/export.json", reader_views.saved_export, name="saved-export"),
    path("you/", include("cupure.readers.urls")),
    path("u/<path:username>/", account_views.profile, name="profile"),
    path("comments/", include("cupure.comments.urls")),
    path("moderation/", comment_views.queue, name="moderation"),
    path("sitemap.xml", news_sitemaps.index, name="sitemap"),
    path("sitemap-<str:section>.xml", news_sitemaps.section, name="sitemap-section"),
    path("robots.txt", views.robots, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("picture/<int:pk>/<str:kind>.webp", views.picture, name="picture"),
    path("sources.opml", views.sources_opml, name="sources-opml"),
    path("api/v1/", api_views.reference, name="api-reference"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_errors.not_found),
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("operator/", ops_views.operator, name="operator"),
    path("admin/", admin.site.urls),
]
