from django.urls import path

from cupure.news.feeds import feed_urls

from . import feeds, views

urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("save/", views.save, name="save"),
    path("hide-source/", views.hide_source, name="hide-source"),
    path("muted/", views.mutes, name="mutes"),
    path("feed-key/", views.reset_feed_key, name="feed-key-reset"),
    path("unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest-unsubscribe"),
    *feed_urls("<str:key>/for-you/", feeds.ForYouFeed, "for-you-feed"),
    *feed_urls("<str:key>/saved/", feeds.SavedFeed, "saved-feed"),
]
