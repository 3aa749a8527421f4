"""Editors and Administrators may pin results for a query (Settings › Promoted
search results). The roles come from the newsroom's migrations; Administrators were
given every permission that existed then, which did not include these."""

from django.db import migrations

GROUPS = ["Editors", "Administrators"]
CODENAMES = [
    "add_searchpromotion",
    "change_searchpromotion",
    "delete_searchpromotion",
    "view_searchpromotion",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    permissions = apps.get_model("auth.Permission").objects.filter(
        content_type__app_label="wagtailsearchpromotions", codename__in=CODENAMES
    )
    for group in apps.get_model("auth.Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    permissions = apps.get_model("auth.Permission").objects.filter(
        content_type__app_label="wagtailsearchpromotions", codename__in=CODENAMES
    )
    for group in apps.get_model("auth.Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_newsroom", "0007_newsroom_roles"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
