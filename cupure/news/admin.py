from django.contrib import admin
from django.db import models

from .models import Article, ArticleTopic, Section, Story, Tombstone, Topic, TopicAlias

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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "hidden", "merged_into")
    list_editable = ("hidden",)
    list_filter = ("hidden",)
    search_fields = ("name", "key")
    raw_id_fields = ("merged_into",)
    actions = ["merge_into_first"]

    @admin.action(description="Merge the selected topics into the most mentioned one")
    def merge_into_first(self, request, queryset):
        # The most established topic survives (ties: the oldest); the others redirect to it.
        topics = list(queryset.order_by("-mentions", "id"))
        if len(topics) < 2:
            self.message_user(request, "Select at least two topics to merge.")
            return
        target, others = topics[0], topics[1:]
        for other in others:
            for row in ArticleTopic.objects.filter(topic=other):
                ArticleTopic.objects.get_or_create(
                    article_id=row.article_id,
                    topic=target,
                    defaults={"published_at": row.published_at, "source_id": row.source_id},
                )
            ArticleTopic.objects.filter(topic=other).delete()
            other.merged_into = target
            other.mentions = 0
            other.save(update_fields=["merged_into", "mentions"])
        target.mentions = target.article_topics.count()  # rare operator action: recount rather than add up
        target.save(update_fields=["mentions"])
        self.message_user(request, f"Merged {len(others)} topic(s) into {target.name}.")


@admin.register(TopicAlias)
class TopicAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "name")
    search_fields = ("alias", "name")
