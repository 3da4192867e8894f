from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "approved_comments", "notify_replies", "banned_at")
    list_filter = ("banned_at",)
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
