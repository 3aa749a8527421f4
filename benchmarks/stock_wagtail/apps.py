from django.apps import AppConfig


class StockWagtailConfig(AppConfig):
    name = "stock_wagtail"
    label = "dateline_bench_stock_wagtail"
    verbose_name = "Stock Wagtail serving (benchmark reference)"

    def ready(self):
        from wagtail.models import Page

        from dateline.newsroom.models import ArticlePage, HomePage

        # Wagtail's own: one query per path segment, then one for the specific page,
        # the view restrictions asked of the database on every view, and the whole
        # template rendered on every view (Page.serve), not kept with holes.
        HomePage.route = Page.route
        ArticlePage.get_view_restrictions = Page.get_view_restrictions
        ArticlePage.keeps_shell = False
