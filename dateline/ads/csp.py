"""The site's Content-Security-Policy, widened for an ad provider's hosts only while an
operator has turned that provider on: by default no page may load anything from
another site, and a policy fixed in settings would have to allow the network's hosts
whether it is on or not."""

from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .backends import get_provider

# What a view may set on its response to change its own policy (django-csp's
# decorators): a response carrying one of them has its policy built for it alone.
PER_VIEW = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
# The two headers as built for a response that changed nothing, by the provider's
# sources: the same for every such response until a setting changes.
_BUILT: dict[tuple, tuple[str, str]] = {}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the sources the ad provider says it needs.

    django-csp builds both headers anew for every response, a sixth of what a page
    cache hit cost. A response whose view set nothing of its own and used no nonce
    gets the headers built once per process for the provider's sources; any other
    is built by django-csp as before.
    """

    def process_response(self, request, response):
        if settings.DEBUG or nonce_used(request):
            return super().process_response(request, response)
        if any(hasattr(response, name) for name in PER_VIEW):
            return super().process_response(request, response)
        needed = get_provider().csp_sources()
        key = tuple(sorted((name, tuple(hosts)) for name, hosts in needed.items()))
        built = _BUILT.get(key)
        if built is None:
            built = _BUILT[key] = (
                self._built(request, response, False),
                self._built(request, response, True),
            )
        policy, report_only = built
        if policy and _applies(request, response, HEADER, "_csp_exempt", False):
            response[HEADER] = policy
        if report_only and _applies(
            request, response, HEADER_REPORT_ONLY, "_csp_exempt_ro", True
        ):
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header went out is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _built(self, request, response, report_only: bool) -> str:
        parts = self.get_policy_parts(request, response, report_only=report_only)
        return build_policy(**asdict(parts), report_only=report_only)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        needed = get_provider().csp_sources()
        if needed:
            widened = _widen(parts.config or _configured(report_only), needed)
            # What a view set for itself (csp_replace) still has the last word.
            parts.replace = {**widened, **(parts.replace or {})}
        return parts


def nonce_used(request) -> bool:
    """Whether the response to ``request`` carries a nonce (django-csp makes one
    the first time a template asks for ``request.csp_nonce``)."""
    return isinstance(getattr(request, "_csp_nonce", None), str)


def _applies(request, response, header, exempt, report_only) -> bool:
    # django-csp's rules: a header the view set stays, an exempted view gets none,
    # and neither does a path the settings exclude.
    if header in response or getattr(response, exempt, False):
        return False
    prefixes = _policy_settings(report_only).get("EXCLUDE_URL_PREFIXES") or ()
    return not request.path_info.startswith(tuple(prefixes))


@receiver(setting_changed)
def _forget_built(setting, **kwargs):
    if setting.startswith(("CONTENT_SECURITY_POLICY", "DATELINE_AD")):
        _BUILT.clear()


def _policy_settings(report_only: bool) -> dict:
    name = "CONTENT_SECURITY_POLICY"
    if report_only:
        name += "_REPORT_ONLY"
    return getattr(settings, name, None) or {}


def _configured(report_only: bool) -> dict:
    return _policy_settings(report_only).get("DIRECTIVES", {})


def _widen(directives: dict, needed: dict) -> dict:
    widened = {}
    for directive, sources in needed.items():
        current = directives.get(directive) or directives.get("default-src") or ()
        # 'none' beside a source is ignored by browsers and reads as a contradiction.
        kept = [source for source in current if source != "'none'"]
        widened[directive] = [*kept, *(s for s in sources if s not in kept)]
    return widened
