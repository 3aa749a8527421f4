"""Moderators may also ban commenters, read the moderation log and delete comments,
and nothing outside reader comments.

Wagtail's own first migrations made a group of the same name, with rights to add,
edit and publish every page, to upload images and documents, and as the approvers of
the default page workflow. 0002 reused that group, so this takes those away: a comment
moderator is not an editor. Undoing this migration removes what it granted; it does
not give back Wagtail's page, image and document rights.
"""

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


def _take_away_wagtail_rights(apps, group):
    outside = group.permissions.exclude(content_type__app_label="dateline_comments")
    outside = outside.exclude(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.remove(*outside)
    for model in ["GroupPagePermission", "GroupCollectionPermission"]:
        apps.get_model("wagtailcore", model).objects.filter(group=group).delete()
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    for task in GroupApprovalTask.objects.filter(groups=group):
        task.groups.remove(group)


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth.Group").objects.get_or_create(name=GROUP)
    _take_away_wagtail_rights(apps, group)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth.Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_comments", "0002_moderators_group"),
        # After every Wagtail migration that gives this group rights.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
