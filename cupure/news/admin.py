from django.contrib import admin
from django.db import models

from .models import Article, Section, Story, Tombstone

# Links typed without a scheme are https (the Django 6 default, without its deprecation warning).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("title", "source", "section", "published_at", "content_origin", "duplicate_of")
    list_filter = ("section", "content_origin", "source")
    search_fields = ("title", "url", "canonical_url")
    date_hierarchy = "published_at"
    raw_id_fields = ("duplicate_of", "feed")
    readonly_fields = ("content_hash", "fetched_at", "canonical_url")
    exclude = ("minhash",)


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    list_display = ("title", "canonical_url", "deleted_at")
    search_fields = ("title", "canonical_url")


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("headline", "source_count", "article_count", "section", "last_updated", "merged_into")
    list_filter = ("section",)
    search_fields = ("headline",)
    raw_id_fields = ("lead", "merged_into")
