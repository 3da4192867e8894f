from django.contrib import admin
from django.urls import path

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
    path("admin/", admin.site.urls),
]
