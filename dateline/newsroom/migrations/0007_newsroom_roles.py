"""The newsroom's roles as groups: Contributors, Reporters, Editors and Administrators
(Moderators come from the comments app, Ad managers from the ads app: the newsroom
names no app above it, not even in a migration).

Wagtail's first migrations made an "Editors" group and a default "Moderators approval"
workflow; this gives that group the Editor's rights and makes it the workflow's
reviewers, renamed "Editor review".
"""

from django.db import migrations

ADMIN = ("wagtailadmin", "admin", "access_admin")
IMAGES_WRITE = ["add_image", "choose_image"]
IMAGES_ALL = ["add_image", "change_image", "delete_image", "choose_image"]
DOCS_ALL = ["add_document", "change_document", "delete_document", "choose_document"]

ROLES = {
    "Contributors": {
        "model": [ADMIN],
        "page": ["add_page"],
        "images": IMAGES_WRITE,
    },
    "Reporters": {
        "model": [ADMIN, ("dateline_newsroom", "articlepage", "edit_bylined_article")],
        "page": ["add_page"],
        "images": IMAGES_WRITE,
    },
    "Editors": {
        "model": [
            ADMIN,
            ("dateline_newsroom", "author", "add_author"),
            ("dateline_newsroom", "author", "change_author"),
            ("dateline_newsroom", "author", "view_author"),
            ("dateline_newsroom", "datelineplace", "add_datelineplace"),
            ("dateline_newsroom", "datelineplace", "change_datelineplace"),
            ("dateline_newsroom", "datelineplace", "delete_datelineplace"),
            ("dateline_newsroom", "datelineplace", "view_datelineplace"),
            ("dateline_newsroom", "breakingnews", "change_breakingnews"),
            ("taggit", "tag", "change_tag"),
        ],
        "page": [
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
            "bulk_delete_page",
        ],
        "images": IMAGES_ALL,
        "documents": DOCS_ALL,
    },
}


def _make_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps, app_label, model, codename):
    return apps.get_model("auth.Permission").objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )


def _grant(apps, group, spec, root_page, root_collection):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group.permissions.set([_permission(apps, *key) for key in spec.get("model", [])])
    GroupPagePermission.objects.filter(group=group).delete()
    for codename in spec.get("page", []):
        GroupPagePermission.objects.create(
            group=group,
            page=root_page,
            permission=_permission(apps, "wagtailcore", "page", codename),
        )
    GroupCollectionPermission.objects.filter(group=group).delete()
    for app_label, model, key in [
        ("wagtailimages", "image", "images"),
        ("wagtaildocs", "document", "documents"),
    ]:
        for codename in spec.get(key, []):
            GroupCollectionPermission.objects.create(
                group=group,
                collection=root_collection,
                permission=_permission(apps, app_label, model, codename),
            )


def create_roles(apps, schema_editor):
    _make_permissions(apps)
    Group = apps.get_model("auth.Group")
    root_page = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
    root_collection = apps.get_model("wagtailcore", "Collection").objects.get(depth=1)
    for name, spec in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        _grant(apps, group, spec, root_page, root_collection)

    administrators, _ = Group.objects.get_or_create(name="Administrators")
    everything = {
        "model": [],
        "page": [p for p in ROLES["Editors"]["page"]],
        "images": IMAGES_ALL,
        "documents": DOCS_ALL,
    }
    _grant(apps, administrators, everything, root_page, root_collection)
    administrators.permissions.set(apps.get_model("auth.Permission").objects.all())

    editors = Group.objects.get(name="Editors")
    Task = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    for workflow in Workflow.objects.filter(name="Moderators approval"):
        workflow.name = "Editor review"
        workflow.save(update_fields=["name"])
    for task in Task.objects.filter(name="Moderators approval"):
        task.name = "Editor review"
        task.save(update_fields=["name"])
        task.groups.set([editors])


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_newsroom", "0006_bylined_permission"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
