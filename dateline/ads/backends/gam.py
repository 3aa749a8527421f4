from .. import conf
from .direct import DirectProvider

GPT_SCRIPT = "https://securepubads.g.doubleclick.net/tag/js/gpt.js"
GAM_HOSTS = (
    "securepubads.g.doubleclick.net",
    "pagead2.googlesyndication.com",
    "tpc.googlesyndication.com",
    "googleads.g.doubleclick.net",
)


class GoogleAdManagerProvider(DirectProvider):
    """The outlet's own campaigns first; where none fits, Google Ad Manager fills the
    slot in the reader's browser, and only after the reader consents.

    Off until ``DATELINE_GAM_NETWORK_CODE`` and ``DATELINE_GAM_AD_UNITS`` are set;
    only then do slots ask for consent and the site's Content-Security-Policy allow
    ``GAM_HOSTS`` (``dateline.ads.csp``).
    """

    @property
    def third_party_hosts(self):
        configured = conf.gam_network_code() and conf.gam_ad_units()
        return GAM_HOSTS if configured else ()

    def network_slot(self, slot, page):
        code = conf.gam_network_code()
        unit = conf.gam_ad_units().get(slot.key)
        if not (code and unit):
            return None
        return {
            "network": "gam",
            "script": GPT_SCRIPT,
            "unit": f"/{code}/{unit.lstrip('/')}",
        }
