"""The "Ad managers" group's way into the admin: the admin itself, the house ad, and
adding and choosing images for creatives.

The newsroom's roles migration used to make this group. It belongs to the ads app,
which the newsroom must not name; databases where the newsroom already made it end
the same, since everything here is added only when missing.
"""

from django.db import migrations

MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("dateline_ads", "housead", "change_housead"),
    ("dateline_ads", "housead", "view_housead"),
]
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def _permission(apps, app_label, model, codename):
    return apps.get_model("auth.Permission").objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )


def make_role(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group, _ = apps.get_model("auth.Group").objects.get_or_create(name="Ad managers")
    group.permissions.add(*(_permission(apps, *key) for key in MODEL_PERMISSIONS))
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = apps.get_model("wagtailcore", "Collection").objects.get(depth=1)
    for codename in IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root,
            permission=_permission(apps, "wagtailimages", "image", codename),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_ads", "0004_ad_managers"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    # Going back leaves the group as it is: older migrations expect it to exist.
    operations = [migrations.RunPython(make_role, migrations.RunPython.noop)]
