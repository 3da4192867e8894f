from django.contrib import admin, messages
from django.db import models

from .models import Feed, FeedEntry, SiteFlag, Source
from .refresh import Outcome, refresh_feed

# Links typed without a scheme are https (the Django 6 default, without its deprecation warning).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class FeedInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = Feed
    fields = ("url", "title", "section", "active", "error_count", "last_error")
    readonly_fields = ("error_count", "last_error")
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
    list_display = (
        "__str__",
        "source",
        "section",
        "active",
        "status",
        "error_count",
        "last_checked_at",
        "next_check_at",
    )
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
