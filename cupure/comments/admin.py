from django.contrib import admin

from . import actions
from .models import Comment, Flag
from .render import render


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

    def save_model(self, request, obj, form, change):
        # A staff edit of the text is shown as any comment is: rendered and sanitized again.
        obj.html = render(obj.body)
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve the selected comments")
    def approve(self, request, queryset):
        for comment in queryset:
            actions.approve(comment, request.user)

    @admin.action(description="Remove the selected comments")
    def remove(self, request, queryset):
        for comment in queryset:
            actions.remove(comment, request.user, "removed in the admin")
