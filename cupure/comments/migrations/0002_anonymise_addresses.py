"""Addresses kept with comments before cupure.lib.clients anonymised them: anonymised now, as new ones are."""
import ipaddress

from django.db import migrations


def anonymise(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for pk, address in Comment.objects.exclude(address=None).values_list("pk", "address").iterator():
        prefix = 24 if ipaddress.ip_address(address).version == 4 else 48
        masked = str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
        if masked != address:
            Comment.objects.filter(pk=pk).update(address=masked)


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]
    operations = [migrations.RunPython(anonymise, migrations.RunPython.noop)]
