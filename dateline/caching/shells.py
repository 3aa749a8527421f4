"""A page kept as HTML with holes: what stays the same between views rendered once,
what changes per view rendered on each.

Most of an article page is the same for every reader until something it shows
changes: the layout, the head's metadata, the headline, the dates, the lead picture,
tags, corrections and share links. A template marks what must be rendered on every
view with ``{% per_view %}…{% endper_view %}`` (comments and their count, ad slots,
the byline, the breaking-news banner). The first view renders the rest once, with a
marker where each hole is, and keeps it (the *shell*) under the cache tags recorded
while it was built, with their versions: the same tags under which the page cache
would keep the whole page, so any change that would retire the page retires the
shell. Every other view reads the shell, renders the holes with the page's context
and joins the two.

What a hole may use: the page's own context (``page``, ``request``, the context
processors' ``settings``...), never a variable set around it by ``{% with %}`` or
``{% for %}``, which is gone by the time the hole is rendered on its own.

The shell's key holds the version of the code that renders it (``code_version``):
a deploy that changes a template, a template tag or a dependency starts afresh. A
hole's nodes are found by where they sit in their template; a process that has not
met that hole yet renders the page in full once.
"""

import hashlib
import json
import secrets
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.template import Node, TemplateSyntaxError
from django.template.context import make_context
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from wagtail import hooks

from .tags import Recording, merge_recorded, still_fresh

KEPT_SECONDS = 24 * 3600
# Query parameters that select a different page of the same thing (``?page=2``,
# ``?cpage=3``): the apps name them; a page cache or a shell keeps a copy per value
# of these and of no others, so junk cannot fill the cache.
QUERY_PARAMS_HOOK = "dateline_cacheable_query_params"
# Set in the context while a shell is built: where a hole goes, a marker.
BUILDING = "dateline_shell_building"

# Every hole of every compiled template, by where it sits (``_hole_key``).
_HOLES: dict[str, "PerViewNode"] = {}


class PerViewNode(Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        building = context.get(BUILDING)
        if building is not None:
            return building.hole(self)
        return self.nodelist.render(context)


def do_per_view(parser, token):
    """``{% per_view %}…{% endper_view %}``: rendered on every view, not kept with the
    rest of the page."""
    if len(token.split_contents()) != 1:
        raise TemplateSyntaxError("per_view takes no arguments")
    nodelist = parser.parse(("endper_view",))
    parser.delete_first_token()
    node = PerViewNode(nodelist, _hole_key(parser, token))
    _HOLES[node.key] = node
    return node


def _hole_key(parser, token) -> str:
    # Holes are numbered in the order their template is parsed, the same in every
    # process for the same file (token positions are kept only while debugging).
    parser.dateline_holes = getattr(parser, "dateline_holes", 0) + 1
    origin = getattr(parser, "origin", None)
    if origin is not None and origin.template_name:
        name = origin.name  # the file: an outlet's override is not the original
    else:
        # A template made from a string has no name to tell it from another: its
        # holes are its own, in this process only.
        name = f"<string {secrets.token_hex(4)}>"
    return f"{name}:{parser.dateline_holes}"


class _Build:
    """What a shell build records of its holes."""

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.holes: list[PerViewNode] = []

    def hole(self, node: "PerViewNode") -> str:
        # Known from here on in this process, however its template was compiled.
        _HOLES[node.key] = node
        self.holes.append(node)
        return f"\x00{self.nonce}:{len(self.holes) - 1}\x00"

    def split(self, html: str) -> list[str] | None:
        """The static parts between holes, one more than there are holes; None when
        a marker did not come through (a tag around a hole rewrote its output)."""
        parts = []
        for number in range(len(self.holes)):
            before, marker, html = html.partition(f"\x00{self.nonce}:{number}\x00")
            if not marker:
                return None
            parts.append(before)
        parts.append(html)
        return parts


class KeptTemplateResponse(TemplateResponse):
    """A ``TemplateResponse`` rendered from its kept shell and per-view holes.

    ``shell_key`` names the shell: it must hold everything the static parts depend
    on beyond what their cache tags say (the page's revision, the template, the
    language, the host); the code version is added here. ``tags`` are the page's
    own (``article:<id>``...), added before the view renders: the shell depends on
    them as well as on every tag its template's fragments record.
    """

    def __init__(self, request, template, context, shell_key, tags, **kwargs):
        super().__init__(request, template, context, **kwargs)
        self.shell_key = f"dateline:shell:{code_version()}:{shell_key}"
        self.shell_tags = tags

    @property
    def rendered_content(self):
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        stored = shared_cache.get(self.shell_key)
        if stored is not None and still_fresh(stored[0]):
            holes = _holes_of(stored[2])
            if holes is not None:
                merge_recorded(stored[1], stored[0])
                return _join(stored[3], self._render_holes(template, context, holes))
        return self._build(template, context)

    def _build(self, template, context):
        build = _Build()
        with Recording() as recorded:
            recorded.add(self.shell_tags)
            html = template.render({**context, BUILDING: build}, self._request)
        merge_recorded(recorded.tags, recorded.versions)
        static = build.split(html)
        if static is None:
            return template.render(context, self._request)
        shared_cache.set(
            self.shell_key,
            (
                recorded.versions,
                list(recorded.tags),
                [n.key for n in build.holes],
                static,
            ),
            KEPT_SECONDS,
        )
        return _join(static, self._render_holes(template, context, build.holes))

    def _render_holes(self, template, context, holes):
        # As Django's Template.render binds a template: the context processors run
        # and the engine is there for the holes' includes.
        compiled = template.template
        bound = make_context(
            context, self._request, autoescape=compiled.engine.autoescape
        )
        with bound.render_context.push_state(compiled), bound.bind_template(compiled):
            return [hole.nodelist.render(bound) for hole in holes]


def _holes_of(keys):
    """The hole nodes named ``keys``; None when this process has not met one of them
    yet (the page is then built in full, which meets them)."""
    try:
        return [_HOLES[key] for key in keys]
    except KeyError:
        return None


def _join(static, holes) -> str:
    pieces = [static[0]]
    for hole, after in zip(holes, static[1:], strict=True):
        pieces.append(hole)
        pieces.append(after)
    return mark_safe("".join(pieces))  # noqa: S308 - both sides rendered by templates


def cacheable_params() -> set[str]:
    names = set()
    for fn in hooks.get_hooks(QUERY_PARAMS_HOOK):
        names.update(fn())
    return names


@cache
def code_version() -> str:
    """A digest of what renders pages, as this process runs it: Dateline's templates
    and Python modules, the template folders the site adds (an outlet's overrides),
    the static files' hashed names (a new stylesheet is a new address in the page),
    the ``DATELINE_*`` settings, and the versions of Wagtail and Django. Worked out
    once per process: a deploy or a changed setting (new processes) starts afresh."""
    import django
    import wagtail

    package = Path(sys.modules["dateline"].__file__).parent
    folders = [package, *_template_dirs()]
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "tests" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    digest.update(_described(_static_names()).encode())
    digest.update(_described(_dateline_settings()).encode())
    versions = (_installed("dateline"), wagtail.__version__, django.__version__)
    digest.update(" ".join(versions).encode())
    return digest.hexdigest()[:16]


def _static_names() -> dict:
    from django.contrib.staticfiles.storage import staticfiles_storage

    # A manifest storage's names as it read them from its manifest; none otherwise.
    return dict(getattr(staticfiles_storage, "hashed_files", None) or {})


def _dateline_settings() -> dict:
    names = (name for name in dir(settings) if name.startswith("DATELINE_"))
    return {name: getattr(settings, name) for name in names}


def _described(value) -> str:
    # The same in every process for the same values: an object that is not plain
    # data is named by its type, never by its address in memory.
    return json.dumps(value, sort_keys=True, default=lambda other: type(other).__name__)


def _template_dirs():
    for engine in settings.TEMPLATES:
        for folder in engine.get("DIRS", []):
            if Path(folder).is_dir():
                yield Path(folder)


def _installed(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "source"
