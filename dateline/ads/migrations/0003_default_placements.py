"""The slots a new site starts with; the ad desk changes them in the admin."""

from django.db import migrations

DEFAULTS = [
    # key, name, kind, position, (width, height), small size on phones
    ("article-inline-3", "Article, after paragraph 3", "after_paragraph", 3, (300, 250), None),
    ("article-inline-8", "Article, after paragraph 8", "after_paragraph", 8, (300, 250), None),
    ("article-end", "Article, after the story", "article_end", 0, (300, 250), None),
    ("home", "Home page, after the latest stories", "home", 3, (728, 90), (320, 100)),
    ("section-top", "Section page, top", "section_top", 0, (728, 90), (320, 100)),
]


def seed(apps, schema_editor):
    Placement = apps.get_model("dateline_ads", "Placement")
    for key, name, kind, position, (width, height), small in DEFAULTS:
        small_width, small_height = small or (None, None)
        Placement.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "kind": kind,
                "position": position,
                "width": width,
                "height": height,
                "small_width": small_width,
                "small_height": small_height,
            },
        )


def unseed(apps, schema_editor):
    keys = [key for key, *_ in DEFAULTS]
    apps.get_model("dateline_ads", "Placement").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("dateline_ads", "0002_campaigns")]

    operations = [migrations.RunPython(seed, unseed)]
