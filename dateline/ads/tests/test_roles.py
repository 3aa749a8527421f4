"""The "Ad managers" group comes from the ads app's own migrations."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from wagtail.models import GroupCollectionPermission

pytestmark = pytest.mark.django_db

ROLE = importlib.import_module("dateline.ads.migrations.0005_ad_managers_role")


def rights(group):
    model = {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
    }
    images = {
        (p.collection.depth, p.permission.codename)
        for p in GroupCollectionPermission.objects.filter(group=group)
    }
    return model, images


def test_after_migrate_ad_managers_reach_the_admin_house_ad_and_images():
    model, images = rights(Group.objects.get(name="Ad managers"))
    assert {
        "wagtailadmin.access_admin",
        "dateline_ads.change_housead",
        "dateline_ads.view_housead",
        "dateline_ads.add_campaign",
        "dateline_ads.view_addailycount",
    } <= model
    assert not any(name.startswith("dateline_newsroom.") for name in model)
    assert images == {(1, "add_image"), (1, "choose_image")}


def test_making_the_role_again_changes_nothing():
    """A database where the newsroom's migration made the group runs this too."""
    group = Group.objects.get(name="Ad managers")
    before = rights(group)
    state = MigrationLoader(connection).project_state(
        ("dateline_ads", "0005_ad_managers_role")
    )
    ROLE.make_role(state.apps, None)
    assert rights(group) == before
    assert Group.objects.filter(name="Ad managers").count() == 1
