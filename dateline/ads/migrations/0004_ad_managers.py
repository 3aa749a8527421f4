"""The "Ad managers" group runs the ad desk: advertisers, campaigns, creatives,
placements, sponsored articles and the report (the house ad it had already), and
nothing else."""

from django.db import migrations

MODELS = ["advertiser", "campaign", "creative", "placement", "sponsoredarticle"]
PERMISSIONS = [
    (model, f"{action}_{model}")
    for model in MODELS
    for action in ("add", "change", "delete", "view")
] + [("addailycount", "view_addailycount")]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = [
        Permission.objects.get(
            content_type__app_label="dateline_ads",
            content_type__model=model,
            codename=codename,
        )
        for model, codename in PERMISSIONS
    ]
    ad_managers, _ = Group.objects.get_or_create(name="Ad managers")
    ad_managers.permissions.add(*permissions)
    # Administrators have every right. The roles migration gave them every right
    # that existed when it ran; depending on it here moved it before the comments
    # app's migrations, so give them again every right that exists now.
    administrators = Group.objects.get(name="Administrators")
    administrators.permissions.add(*Permission.objects.all())


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    codenames = [codename for _, codename in PERMISSIONS]
    permissions = Permission.objects.filter(
        content_type__app_label="dateline_ads", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=["Ad managers", "Administrators"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_ads", "0003_default_placements"),
        # After the migration that sets this group's rights (it replaces them), and
        # after the comments app's, whose rights the Administrators get here.
        ("dateline_newsroom", "0007_newsroom_roles"),
        ("dateline_comments", "0003_moderators_comments_only"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
