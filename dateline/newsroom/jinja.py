"""Jinja2 for the parts of a page rendered on every view.

A kept page (``caching.shells``) is rendered by Django's template language once per
revision; its holes (the comment thread, the ad slots, the bylines, the breaking
news) are rendered on every view. Those parts are Jinja2 templates, in each app's
``jinja2/`` folder, rendered through ``render()`` from the Django template tags that
place them: the comment section renders in about three quarters of the time Django's
engine took for the same output.

The output is what Django's templates would write: values are escaped as Django's
``escape`` (``&quot;``, ``&#x27;``), translated texts are not escaped and the
values put into them are, as ``{% translate %}`` and ``{% blocktranslate %}`` do.
"""

import html
from functools import cache, lru_cache

from django.conf import settings
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.defaultfilters import date
from django.template.utils import InvalidTemplateEngineError
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment
from markupsafe import Markup


def environment(**options) -> Environment:
    # The filters both engines share (imported here: that module renders with this).
    from .templatetags.newsroom import machine_time

    # Django writes a template's last newline; so does this, so that a part
    # rendered here matches what the Django template before it wrote.
    options.setdefault("keep_trailing_newline", True)
    # Always escaped, whatever the settings say: these parts show readers' words.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, finalize=_finalize, **options)
    env.globals.update(_=translate, ngettext=translate_plural, url=url)
    env.filters.update(date=_date, machine_time=machine_time)
    return env


def render(template_name: str, context: dict) -> SafeString:
    """``template_name`` from the Jinja2 engine, rendered with ``context``."""
    template = _engine().env.get_template(template_name)
    return mark_safe(template.render(context))  # noqa: S308 - autoescaped template


def _engine() -> Jinja2:
    try:
        return engines["jinja2"]
    except InvalidTemplateEngineError:
        # An outlet's own TEMPLATES setting without this engine: the parts are
        # still found in the apps' jinja2/ folders.
        return _fallback_engine()


@cache
def _fallback_engine() -> Jinja2:
    options = {"environment": f"{__name__}.environment"}
    return Jinja2({"NAME": "jinja2", "DIRS": [], "APP_DIRS": True, "OPTIONS": options})


def translate(message: str, **values) -> Markup:
    """``{{ _("Reply to %(name)s", name=comment.name) }}``: ``message`` translated,
    with ``values`` escaped into it."""
    return _filled(gettext(message), values)


def translate_plural(singular: str, plural: str, number: int, **values) -> Markup:
    """``{{ ngettext("%(n)s Comment", "%(n)s Comments", count, n=count) }}``."""
    return _filled(ngettext(singular, plural, number), values)


def _filled(text: str, values: dict) -> Markup:
    if values:
        text = text % {name: conditional_escape(v) for name, v in values.items()}
    return Markup(text)  # noqa: S704 - the message is ours, the values are escaped


def url(name: str, *args) -> str:
    # Reversing costs tens of microseconds, and a page of comments asks for one
    # address per comment: each is worked out once per URLconf, prefix and language.
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(urlconf, get_script_prefix(), get_language(), name, args)


@lru_cache(maxsize=4096)
def _reversed(urlconf, prefix, language, name, args) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


def _finalize(value):
    # Every printed value is escaped as Django's ``escape`` does (it is
    # ``html.escape`` of the text, without its lazy-text wrapper) unless it is already
    # safe, Django's or Jinja2's (both have ``__html__``).
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped on this line


def _date(value, arg=None):
    # Django's filter is handed the value in the current time zone by the template
    # engine (``expects_localtime``); Jinja2 hands it over as it is.
    return date(template_localtime(value), arg)
