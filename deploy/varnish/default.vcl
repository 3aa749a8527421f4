# Varnish in front of `dateline serve`: anonymous readers get stored pages; editors
# (with a session cookie), comment posts and the admin go straight through.
# The app sends PURGE for every address a change touches (DATELINE_PROXY_PURGE_URL).
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|comments|ads)/") {
        return (pass);
    }
    if (req.http.Cookie ~ "sessionid=") {
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
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    }
}
