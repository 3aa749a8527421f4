"""Page actions of our own in the admin, shown where Wagtail shows its own."""

from wagtail import hooks


def register_page_button(button_class):
    """Offer ``button_class`` (a ``PageMenuItem`` whose ``is_shown`` decides for
    which pages and users) in the page editor's header and in the page listing's
    "More" menu: the two places an editor looks for a page's actions."""

    def header(page, user, view_name, next_url=None):
        yield button_class(page=page)

    def listing(page, user, next_url=None):
        yield button_class(page=page)

    hooks.register("register_page_header_buttons", header)
    hooks.register("register_page_listing_more_buttons", listing)
    return button_class
