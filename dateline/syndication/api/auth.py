"""Who may write: Wagtail's bearer tokens, narrowed to the scopes an integration holds.

Wagtail resolves ``Authorization: Bearer <token>`` to its ``APIToken`` and the account
it acts as (only live, unrevoked tokens of active accounts), so a revoked token stops
working on its next request. Here the token must also hold the operation's scope.
"""

from ninja.errors import HttpError
from ninja.throttling import AuthRateThrottle
from wagtail.api.v3.auth import BearerTokenAuth

from .. import conf


class ScopedToken(BearerTokenAuth):
    """A token holding ``scope``: 401 without a working token, 403 without the scope."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str):
        api_token = super().authenticate(request, token)
        if api_token is None:
            return None
        access = getattr(api_token, "content_api_access", None)
        if access is None or not access.allows(self.scope):
            raise HttpError(403, f"This token does not hold the {self.scope} scope.")
        return api_token


class WriteThrottle(AuthRateThrottle):
    """Writes per token, counted in Django's cache so every app process shares them."""

    scope = "content-api-writes"

    def __init__(self):
        count, seconds = conf.api_write_rate()
        super().__init__(rate=f"{count}/{seconds}")

    def allow_request(self, request) -> bool:
        # Read per request, not once at import, so the setting can change.
        self.num_requests, self.duration = conf.api_write_rate()
        return super().allow_request(request)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash}
