"""Administrators may import from WordPress (they had every permission when their
group was made, before this one existed)."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("dateline_wordpress")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permission = Permission.objects.get(
        content_type__app_label="dateline_wordpress", codename="run_import"
    )
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_wordpress", "0001_initial"),
        ("dateline_newsroom", "0007_newsroom_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
