"""Room in the page editor for apps above the newsroom.

The newsroom must not name them, yet some keep a setting per page: the comments app
its open/closed switch and moderation mode. A page type puts ``ExtensionPanels()`` in
its panels; whatever the functions registered for the Wagtail hook
``PAGE_SETTINGS_PANELS_HOOK`` return for that page type appears there. Each function
takes the page class and returns a list of panels, empty when it has nothing for it.
"""

from wagtail import hooks
from wagtail.admin.panels import ObjectList

PAGE_SETTINGS_PANELS_HOOK = "dateline_page_settings_panels"


class ExtensionPanels(ObjectList):
    """The panels other apps register for this page type, each under its heading.

    Gathered when the editor is first built for the page type, after every app's
    ``wagtail_hooks`` has loaded, never at import time.
    """

    def __init__(self, *args, hook_name=PAGE_SETTINGS_PANELS_HOOK, **kwargs):
        super().__init__(*args, **kwargs)
        self.hook_name = hook_name

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "hook_name": self.hook_name}

    def on_model_bound(self):
        self.children = [
            *self.children,
            *(
                panel
                for panels_for in hooks.get_hooks(self.hook_name)
                for panel in panels_for(self.model)
            ),
        ]
        super().on_model_bound()
