"""Comment policies move from the newsroom's pages into the comments app.

Articles kept ``comments_open`` and ``comment_moderation``, sections
``comment_moderation``: each page that set either gets a ``CommentPolicy`` with the
same values (a page without one follows the defaults, as an empty field did). The
newsroom's migration that drops the old columns runs after this one; it is this
app, not the newsroom, that says so (``run_before``), since the newsroom names no
app above it.
"""

import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models


def carry_over(apps, schema_editor):
    ArticlePage = apps.get_model("dateline_newsroom", "ArticlePage")
    SectionPage = apps.get_model("dateline_newsroom", "SectionPage")
    CommentPolicy = apps.get_model("dateline_comments", "CommentPolicy")
    articles = ArticlePage.objects.exclude(comments_open=True, comment_moderation="")
    sections = SectionPage.objects.exclude(comment_moderation="")
    CommentPolicy.objects.bulk_create(
        [
            *(
                CommentPolicy(page_id=pk, comments_open=is_open, moderation=moderation)
                for pk, is_open, moderation in articles.values_list(
                    "pk", "comments_open", "comment_moderation"
                ).iterator()
            ),
            *(
                CommentPolicy(page_id=pk, moderation=moderation)
                for pk, moderation in sections.values_list(
                    "pk", "comment_moderation"
                ).iterator()
            ),
        ],
        batch_size=1000,
    )


def carry_back(apps, schema_editor):
    CommentPolicy = apps.get_model("dateline_comments", "CommentPolicy")
    for model in ["ArticlePage", "SectionPage"]:
        pages = apps.get_model("dateline_newsroom", model).objects
        for policy in CommentPolicy.objects.filter(page__in=pages.all()):
            changes = {"comment_moderation": policy.moderation}
            if model == "ArticlePage":
                changes["comments_open"] = policy.comments_open
            pages.filter(pk=policy.page_id).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_comments", "0003_moderators_comments_only"),
        ("dateline_newsroom", "0007_newsroom_roles"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]
    run_before = [
        ("dateline_newsroom", "0008_comment_policy_moved_to_comments"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "comments_open",
                    models.BooleanField(
                        default=True,
                        help_text="Untick to close this article's comments now.",
                        verbose_name="comments open",
                    ),
                ),
                (
                    "moderation",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("hold", "Hold every comment for a moderator"),
                            ("hold_first", "Hold first-time commenters only"),
                            ("publish", "Publish immediately"),
                        ],
                        help_text="Leave empty to follow the section, then the site.",
                        max_length=20,
                        verbose_name="comment moderation",
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comment_policy",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "comment policy",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page",), name="one_comment_policy_per_page"
                    )
                ],
            },
        ),
        migrations.RunPython(carry_over, carry_back),
    ]
