from django.contrib import admin

from .models import Follow, Mute, Saved


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "source", "section", "story", "created_at")
    list_select_related = ("user", "topic", "source", "section", "story")
    raw_id_fields = ("user", "topic", "source", "section", "story")
    search_fields = ("user__username",)


@admin.register(Saved)
class SavedAdmin(admin.ModelAdmin):
    list_display = ("user", "article", "story", "created_at")
    list_select_related = ("user", "article", "story")
    raw_id_fields = ("user", "article", "story")
    search_fields = ("user__username",)


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ("user", "phrase", "source", "created_at")
    list_select_related = ("user", "source")
    raw_id_fields = ("user", "source")
    search_fields = ("user__username", "phrase")
