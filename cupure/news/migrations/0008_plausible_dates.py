"""Articles stored with an implausible publication date (a feed that said year 1) get the time they were
fetched instead: such a date made pages fail in time zones west of UTC (cupure.lib.dates)."""
from datetime import datetime, timezone

from django.db import migrations
from django.db.models import F, Q

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


def clamp(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Article.objects.filter(Q(published_at__lt=EARLIEST) | Q(published_at__gte=LATEST)).update(
        published_at=F("fetched_at"))


class Migration(migrations.Migration):
    dependencies = [("news", "0007_story_terms")]
    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
