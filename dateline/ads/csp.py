"""The site's Content-Security-Policy, widened for an ad provider's hosts only while an
operator has turned that provider on: by default no page may load anything from
another site, and a policy fixed in settings would have to allow the network's hosts
whether it is on or not."""

from csp.middleware import CSPMiddleware
from django.conf import settings

from .backends import get_provider


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the sources the ad provider says it needs."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        needed = get_provider().csp_sources()
        if needed:
            widened = _widen(parts.config or _configured(report_only), needed)
            # What a view set for itself (csp_replace) still has the last word.
            parts.replace = {**widened, **(parts.replace or {})}
        return parts


def _configured(report_only: bool) -> dict:
    name = "CONTENT_SECURITY_POLICY"
    if report_only:
        name += "_REPORT_ONLY"
    return (getattr(settings, name, None) or {}).get("DIRECTIVES", {})


def _widen(directives: dict, needed: dict) -> dict:
    widened = {}
    for directive, sources in needed.items():
        current = directives.get(directive) or directives.get("default-src") or ()
        # 'none' beside a source is ignored by browsers and reads as a contradiction.
        kept = [source for source in current if source != "'none'"]
        widened[directive] = [*kept, *(s for s in sources if s not in kept)]
    return widened
