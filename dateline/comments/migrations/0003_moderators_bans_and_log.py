"""Moderators may also ban commenters, read the moderation log and delete spam."""

from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = [
    ("dateline_comments", "commenterban", "add_commenterban"),
    ("dateline_comments", "commenterban", "change_commenterban"),
    ("dateline_comments", "commenterban", "delete_commenterban"),
    ("dateline_comments", "commenterban", "view_commenterban"),
    ("dateline_comments", "moderationlogentry", "view_moderationlogentry"),
    ("dateline_comments", "comment", "delete_comment"),
]


def _permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Permission = apps.get_model("auth.Permission")
    return [
        Permission.objects.get(
            content_type__app_label=app_label,
            content_type__model=model,
            codename=codename,
        )
        for app_label, model, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth.Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth.Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_comments", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
