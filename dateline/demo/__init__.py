"""The demo outlet: its content (``content.json``), pictures drawn on the fly
(``images.py``) and the loader that publishes them through the apps' own actions.

It sits above the apps, as ``site`` does, because the demo shows all of them at once:
articles, reader comments and a house ad. It is an installed app only so that
Django finds its ``load_demo_content`` command; it has no models.
"""
