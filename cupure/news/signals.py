"""Deleted articles are remembered (a tombstone) so that no feed brings them back."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Article, Tombstone


@receiver(post_delete, sender=Article)
def remember_deleted(sender, instance: Article, **kwargs):
    Tombstone.objects.get_or_create(
        canonical_url=instance.canonical_url,
        defaults={"content_hash": instance.content_hash, "title": instance.title[:1000]},
    )
