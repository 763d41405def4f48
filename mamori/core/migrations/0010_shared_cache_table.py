"""The table of the "shared" cache (settings.CACHES): what all app servers count together, e.g. the API's throttle."""
from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", "mamori_shared_cache", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('mamori_shared_cache')}")


class Migration(migrations.Migration):
    dependencies = [("core", "0009_audit_verb_revoke")]
    operations = [migrations.RunPython(create, drop)]
