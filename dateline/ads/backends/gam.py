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
    the site's Content-Security-Policy must then allow ``GAM_HOSTS`` (docs/ads.md).
    """

    @property
    def third_party_hosts(self):
        return GAM_HOSTS if conf.gam_network_code() else ()

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
