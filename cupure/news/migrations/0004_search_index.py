from django.db import migrations


def install(apps, schema_editor):
    from cupure.search.schema import install as install_index

    install_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    from cupure.search.schema import uninstall as uninstall_index

    uninstall_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("news", "0003_default_sections")]
    operations = [migrations.RunPython(install, uninstall)]
