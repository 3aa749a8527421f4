"""The Content-Security-Policy allows Google Ad Manager's hosts only while an operator
has it configured; otherwise pages may load nothing from another site."""

import pytest

from dateline.ads.backends.gam import GAM_HOSTS
from dateline.testing.factories import make_article

pytestmark = pytest.mark.django_db

GAM = "dateline.ads.backends.gam.GoogleAdManagerProvider"


def policy(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return {
        name: sources
        for name, *sources in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }


@pytest.fixture
def gam_configured(settings):
    settings.DATELINE_AD_PROVIDER = GAM
    settings.DATELINE_GAM_NETWORK_CODE = "1234"
    settings.DATELINE_GAM_AD_UNITS = {"article-inline-3": "news/inline"}


def test_default_policy_allows_only_this_site(client):
    csp = policy(client, make_article().url)
    assert csp["script-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-src"] == ["'none'"]
    assert not any("doubleclick" in s or "google" in s for v in csp.values() for s in v)


@pytest.mark.parametrize(
    "configured",
    [
        {},
        {"DATELINE_GAM_NETWORK_CODE": "1234"},
        {"DATELINE_GAM_AD_UNITS": {"article-inline-3": "news/inline"}},
    ],
    ids=["nothing", "code-only", "units-only"],
)
def test_gam_chosen_but_not_configured_leaves_the_policy_alone(
    client, settings, configured
):
    settings.DATELINE_AD_PROVIDER = GAM
    for name, value in configured.items():
        setattr(settings, name, value)
    article = make_article()
    csp = policy(client, article.url)
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-src"] == ["'none'"]
    assert "data-ad-consent" not in client.get(article.url).content.decode()


def test_gam_configured_widens_the_policy_for_its_hosts_only(client, gam_configured):
    hosts = [f"https://{host}" for host in GAM_HOSTS]
    for url in ["/", make_article().url]:
        csp = policy(client, url)
        assert csp["script-src"] == ["'self'", *hosts]
        assert csp["img-src"] == ["'self'", "data:", *hosts]
        assert csp["connect-src"] == ["'self'", *hosts]
        assert csp["frame-src"] == hosts  # 'none' would contradict them
        # Everything else keeps the site's own policy.
        assert csp["style-src"] == ["'self'"]
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert not any("unsafe" in s for v in csp.values() for s in v)


def test_admin_stays_outside_the_policy(client, gam_configured):
    assert "Content-Security-Policy" not in client.get("/admin/login/")


def test_the_header_kept_for_plain_responses_is_what_django_csp_builds(
    rf, settings, gam_configured
):
    # django-csp's own middleware, asked for every response, against ours, which
    # builds it once per process for responses that changed nothing.
    from csp.constants import HEADER, HEADER_REPORT_ONLY
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from dateline.ads.csp import ContentSecurityPolicyMiddleware

    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"}
    }

    class BuiltEveryTime(ContentSecurityPolicyMiddleware):
        process_response = CSPMiddleware.process_response

    ours = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("ok"))
    reference = BuiltEveryTime(lambda request: HttpResponse("ok"))
    for _ in range(2):  # built, then kept
        response, expected = ours(rf.get("/")), reference(rf.get("/"))
        for header in (HEADER, HEADER_REPORT_ONLY):
            assert response[header] == expected[header]
    assert "google" in response["Content-Security-Policy"]


def test_a_view_that_sets_its_own_policy_or_uses_a_nonce_keeps_it(rf, settings):
    from csp.constants import NONCE, SELF
    from csp.decorators import csp_exempt, csp_update
    from django.http import HttpResponse

    from dateline.ads.csp import ContentSecurityPolicyMiddleware

    def middleware(view):
        return ContentSecurityPolicyMiddleware(view)

    plain = middleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert "https://media.example" not in plain["Content-Security-Policy"]

    widened = csp_update({"img-src": "https://media.example"})(
        lambda request: HttpResponse("ok")
    )
    response = middleware(widened)(rf.get("/"))
    assert "https://media.example" in response["Content-Security-Policy"]

    exempt = csp_exempt()(lambda request: HttpResponse("ok"))
    assert "Content-Security-Policy" not in middleware(exempt)(rf.get("/"))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    def with_nonce(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    response = middleware(with_nonce)(rf.get("/"))
    nonce = response.content.decode().split('"')[1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    # The next plain response does not carry that nonce.
    again = middleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert nonce not in again["Content-Security-Policy"]


def test_turning_the_ad_network_on_changes_the_next_response(client, settings):
    article = make_article()
    assert "google" not in client.get(article.url)["Content-Security-Policy"]
    settings.DATELINE_AD_PROVIDER = GAM
    settings.DATELINE_GAM_NETWORK_CODE = "1234"
    settings.DATELINE_GAM_AD_UNITS = {"article-inline-3": "news/inline"}
    assert "google" in client.get(article.url)["Content-Security-Policy"]
