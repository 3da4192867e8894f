"""What the operator's view reads: worker heartbeats."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

ALIVE = timedelta(minutes=2)  # a worker that has not beaten for this long is presumed dead


class WorkerBeat(models.Model):
    """One `cupure worker` process (on any machine), beating on every scheduler tick."""

    name = models.CharField(max_length=100, unique=True, help_text="host-pid")
    runners = models.PositiveSmallIntegerField(default=0, help_text="task-runner processes alive at the last beat")
    scheduler = models.BooleanField(default=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return self.name

    @property
    def alive(self) -> bool:
        return timezone.now() - self.last_seen < ALIVE

    @classmethod
    def beat(cls, name: str, runners: int, scheduler: bool) -> None:
        now = timezone.now()
        updated = cls.objects.filter(name=name).update(last_seen=now, runners=runners, scheduler=scheduler)
        if not updated:
            cls.objects.create(name=name, runners=runners, scheduler=scheduler, started_at=now, last_seen=now)

    @classmethod
    def living(cls):
        return cls.objects.filter(last_seen__gte=timezone.now() - ALIVE)


class ContentGeneration(models.Model):
    """One counter, bumped whenever something readers see changes: part of every cached page's key, so a
    change retires every cached page at once, in every process and on every machine (cupure.ops.pagecache)."""

    value = models.BigIntegerField(default=0)
