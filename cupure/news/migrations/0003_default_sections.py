from django.db import migrations

SECTIONS = [
    ("world", "World news"), ("politics", "Politics"), ("business", "Business"), ("technology", "Technology"),
    ("science", "Science"), ("health", "Health"), ("sports", "Sports"), ("entertainment", "Entertainment"),
]


def create_sections(apps, schema_editor):
    Section = apps.get_model("news", "Section")
    for position, (slug, name) in enumerate(SECTIONS):
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("news", "0002_initial")]
    operations = [migrations.RunPython(create_sections, migrations.RunPython.noop)]
