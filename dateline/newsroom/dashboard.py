"""The newsroom's panel on the Wagtail dashboard: what needs doing now.

It replaces Wagtail's "Awaiting your review" panel, which asks the database again
for every story in review; this one lists the same stories, and those scheduled or
under embargo with their times, in a fixed number of queries.
"""

from wagtail.admin.ui.components import Component

from . import queries


class NewsDeskPanel(Component):
    name = "dateline_news_desk"
    template_name = "newsroom/admin/dashboard_desk.html"
    order = 90

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            "awaiting_review": queries.awaiting_review(user),
            "scheduled": queries.scheduled_articles(),
            "embargoed": list(queries.embargoed_articles()),
        }
