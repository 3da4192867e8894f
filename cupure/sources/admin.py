from django.contrib import admin, messages
from django.db import models
from django.utils.text import Truncator

from .models import Feed, FeedEntry, SiteFlag, Source
from .refresh import Outcome, refresh_feed

# Links typed without a scheme are https (the Django 6 default, without its deprecation warning).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.display(description="State")
def feed_state(feed: Feed) -> str:
    """A feed's state in one short line: "Error (2 in a row): HTTP 503…", "OK", "Paused"."""
    if feed.pk is None:
        return ""
    if feed.status == Feed.Status.ERROR:
        return f"{feed.status.label} ({feed.error_count} in a row): {Truncator(feed.last_error).chars(60)}"
    return feed.status.label


class FeedInline(admin.TabularInline):
    """A source's feeds in a table that fits a laptop screen: the address, section and switch to edit here,
    the state in one short line (the whole error, the title and the rest on the feed's own page)."""

    formfield_overrides = HTTPS_URLS
    model = Feed
    fields = ("url", "section", "active", feed_state)
    readonly_fields = (feed_state,)
    show_change_link = True
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "site_url", "key")
    search_fields = ("name", "site_url", "key")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FeedInline]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    # Narrow enough for a laptop screen: the state says paused, waiting, OK or the error in one line.
    list_display = ("__str__", "source", "section", feed_state, "next_check_at")
    list_filter = ("active", "section", "last_error_kind")
    search_fields = ("url", "title", "source__name", "last_error")
    readonly_fields = (
        "etag",
        "last_modified",
        "last_checked_at",
        "last_success_at",
        "interval_seconds",
        "locked_until",
        "error_count",
        "last_error",
        "last_error_kind",
        "last_error_at",
        "last_new_entries",
        "parser_warning",
        "created_at",
    )
    actions = ["refresh_now", "pause", "resume"]

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        for feed in queryset.select_related("source", "section"):
            report = refresh_feed(feed)
            level = messages.ERROR if report.status == Outcome.ERROR else messages.INFO
            self.message_user(request, f"{feed}: {report.status}, {report.new_articles} new {report.error}", level)

    @admin.action(description="Pause polling")
    def pause(self, request, queryset):
        queryset.pause()

    @admin.action(description="Resume polling")
    def resume(self, request, queryset):
        queryset.resume()


admin.site.register(SiteFlag)
admin.site.register(FeedEntry, list_display=("feed", "key", "article", "seen_at"), search_fields=("key",))
