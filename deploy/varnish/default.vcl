# Varnish in front of `dateline serve`: anonymous readers get stored pages; editors
# (with a session cookie), comment posts and the admin go straight through.
# Pages carry their cache tags in an `xkey` header; a change sends one PURGE naming
# the tags it affects (`xkey-purge: article:12 front`) and every stored page with any
# of them goes, whatever its address (the xkey vmod, Debian's varnish-modules).
# A PURGE without that header purges its own address (DATELINE_PROXY_XKEY=0).
vcl 4.1;

import xkey;

# Where requests go: one `dateline serve` on this machine (backends.vcl), or a
# director over several app nodes with a health probe each (backends-several.vcl,
# copied over backends.vcl). Everything below is the same for both.
include "./backends.vcl";

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.X-Purged));
        }
        # The second purge a moment after a change: what it finds goes stale rather
        # than away, so the next reader is not kept waiting for a build (in grace,
        # Varnish refetches in the background).
        if (req.http.xkey-softpurge) {
            set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Soft-purged " + req.http.X-Purged));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|comments|ads)/") {
        return (pass);
    }
    # Editors, and for a few seconds a reader who just wrote (a comment, say: the
    # app reads their pages from the primary database so they see their own write).
    if (req.http.Cookie ~ "(sessionid|dateline_primary)=") {
        return (pass);
    }
    # Readers' cookies (analytics of other sites, etc.) never reach or split the cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # An error from the app (its database down, say) while refreshing a stored page
    # must not replace that page: keep serving it in grace and ask again next time.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Text is stored compressed and sent so to every reader who accepts gzip (nearly
    # all): an article page is a quarter of its size on the wire.
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript|ld\+json))") {
        set beresp.do_gzip = true;
    }
    # Serve a stored copy for a day while the app is slow or down (stale-if-error).
    set beresp.grace = 24h;
}

sub vcl_deliver {
    # The tags are for this cache only.
    unset resp.http.xkey;
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    }
}
