"""`cupure migrate-to URL`: copy this site's database (SQLite, say) into another (PostgreSQL), nothing lost.

The target is migrated first, then every table is copied in dependency order, in batches, keeping primary
keys; sequences are reset; the copy is verified by row counts per table and by comparing sampled rows
field by field. The source is only read. Afterwards, point CUPURE_DATABASE_URL at the target.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from cupure.news.models import Article
from cupure.settings import database_from_url

# Made afresh by the target's own migrations (and referred to by nothing cupure keeps).
SKIP = {"contenttypes.contenttype", "auth.permission", "admin.logentry"}
BATCH = 2000
SAMPLE = 25


class Command(BaseCommand):
    help = "Copy this site's database into an empty one at URL (e.g. postgres://user@host/cupure), then verify."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the target database, e.g. postgres://cupure@127.0.0.1:5432/cupure")
        parser.add_argument("--force", action="store_true", help="copy even if the target already has articles")

    def handle(self, *args, url, force, **opts):
        target = database_from_url(url, settings.DATA_DIR)
        source_name = settings.DATABASES["default"]["NAME"]
        if target["ENGINE"] == settings.DATABASES["default"]["ENGINE"] and target["NAME"] == source_name:
            raise CommandError("the target is this site's own database")
        target.setdefault("TIME_ZONE", None)
        target.setdefault("CONN_HEALTH_CHECKS", False)
        target.setdefault("AUTOCOMMIT", True)
        target.setdefault("ATOMIC_REQUESTS", False)
        target.setdefault("TEST", {})
        target["OPTIONS"] = {k: v for k, v in target.get("OPTIONS", {}).items() if k != "pool"}
        connections.settings["target"] = target
        connections.databases["target"] = target
        self.stdout.write(f"migrating the target ({target['ENGINE'].rsplit('.', 1)[-1]} {target['NAME']})")
        call_command("migrate", database="target", interactive=False, verbosity=0)

        if Article.objects.using("target").exists() and not force:
            raise CommandError("the target already holds articles: copy into an empty database (or --force)")
        models = self._models()
        started = time.monotonic()
        copied: set = set()
        self.deferred: list = []
        for model in models:
            self._copy(model, copied)
            copied.add(model)
        # The optional references left empty, now that every row they point to exists: per table, in
        # batches of one UPDATE for 500 rows (one statement per row took most of the copy's time).
        by_model: dict = defaultdict(list)
        for model, row_pk, values in self.deferred:
            by_model[model].append(model(pk=row_pk, **values))
        for model, rows in by_model.items():
            fields = sorted(
                {
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.is_relation and f.null and any(getattr(r, f.attname) is not None for r in rows)
                }
            )
            model._base_manager.using("target").bulk_update(rows, fields, batch_size=500)
        self._reset_sequences(models)
        self.stdout.write(f"copied {len(models)} tables in {time.monotonic() - started:.0f} s; verifying")
        problems = self._verify(models)
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"{len(problems)} difference(s) between the copy and the source")
        self.stdout.write(
            self.style.SUCCESS(
                f"done: every table has the same rows, and {SAMPLE} sampled rows per table match field by field. "
                f"Now set CUPURE_DATABASE_URL={url} and restart cupure."
            )
        )

    def _models(self):
        """Every table, each after the tables its required foreign keys point to.

        Optional references (a story's lead, an article's story) may run both ways: they are filled in
        after the rows they point to exist (see _copy), so only required ones order the tables.
        """
        models = [
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.label_lower not in SKIP and not m._meta.proxy and m._meta.managed
        ]
        needs = {
            m: {
                f.related_model
                for f in m._meta.concrete_fields
                if f.is_relation and not f.null and f.related_model is not m and f.related_model in models
            }
            for m in models
        }
        ordered: list = []
        while len(ordered) < len(models):
            ready = [m for m in models if m not in ordered and needs[m] <= set(ordered)]
            if not ready:
                raise CommandError("the tables' required references form a cycle: cannot order the copy")
            ordered.extend(ready)
        return ordered

    def _copy(self, model, copied: set) -> None:
        label = model._meta.label
        total = model._base_manager.using("default").count()
        if not total:
            return
        pk = model._meta.pk.attname
        fields = [f for f in model._meta.concrete_fields]
        # Optional references to rows not copied yet (a story merged into a later one, a story's lead
        # article, an article's story) are left empty on insert and filled in once the batch is in.
        self_refs = [
            f
            for f in fields
            if f.is_relation and f.null and (f.related_model is model or f.related_model not in copied)
        ]
        copied, last = 0, None
        while True:
            qs = model._base_manager.using("default").order_by(pk)
            if last is not None:
                qs = qs.filter(**{f"{pk}__gt": last})
            rows = list(qs[:BATCH])
            if not rows:
                break
            later = [
                (r.pk, {f.attname: getattr(r, f.attname) for f in self_refs})
                for r in rows
                if any(getattr(r, f.attname) is not None for f in self_refs)
            ]
            for r in rows:
                for f in self_refs:
                    setattr(r, f.attname, None)
                r._state.db = None
            with transaction.atomic(using="target"):
                model._base_manager.using("target").bulk_create(rows, batch_size=500)
            self.deferred.extend((model, row_pk, values) for row_pk, values in later)
            copied += len(rows)
            last = getattr(rows[-1], pk)
        self.stdout.write(f"  {label}: {copied:,} rows")

    def _reset_sequences(self, models) -> None:
        conn = connections["target"]
        statements = conn.ops.sequence_reset_sql(self.style, models)
        if statements:
            with conn.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)

    def _verify(self, models) -> list[str]:
        problems = []
        rng = random.Random(1)
        for model in models:
            src = model._base_manager.using("default")
            dst = model._base_manager.using("target")
            a, b = src.count(), dst.count()
            if a != b:
                problems.append(f"{model._meta.label}: {a} rows in the source, {b} in the copy")
                continue
            pks = list(src.values_list("pk", flat=True).order_by("pk"))
            for key in rng.sample(pks, min(SAMPLE, len(pks))):
                left, right = src.get(pk=key), dst.get(pk=key)
                for f in model._meta.concrete_fields:
                    x, y = getattr(left, f.attname), getattr(right, f.attname)
                    if isinstance(x, memoryview) or isinstance(y, memoryview):
                        x, y = bytes(x), bytes(y)
                    if x != y:
                        problems.append(
                            f"{model._meta.label} {key}: {f.name} is {x!r} in the source, {y!r} in the copy"
                        )
        return problems
