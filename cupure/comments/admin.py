from django.contrib import admin

from . import actions
from .models import Comment, Flag


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    readonly_fields = ("user", "reason", "at")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("author", "target", "status", "flags", "likes", "created_at")
    list_filter = ("status",)
    search_fields = ("body", "author__username")
    raw_id_fields = ("article", "story", "parent", "author", "moderated_by")
    readonly_fields = ("html", "address", "nonce")
    inlines = [FlagInline]
    actions = ["approve", "remove"]

    @admin.action(description="Approve the selected comments")
    def approve(self, request, queryset):
        for comment in queryset:
            actions.approve(comment, request.user)

    @admin.action(description="Remove the selected comments")
    def remove(self, request, queryset):
        for comment in queryset:
            actions.remove(comment, request.user, "removed in the admin")
