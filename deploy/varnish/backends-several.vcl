# Several app nodes behind this Varnish: copy this file over backends.vcl, with one
# `backend` block and one `add_backend` line per node (docs/operations.md, "Several
# machines"). Every Varnish in front of the site gets the same list.
import directors;

# Each node is asked for /healthz every second; three failed answers in the last
# five mark it sick and no new request goes to it until it answers again. A busy node
# answers the probe after the requests queued before it: two seconds' patience keeps
# a node that is only slow in the director (a sick one would send its load to the
# others, which would then be slow in turn). /healthz says
# only that the process serves (no database query): a database outage must not make
# every node sick, or comment posts would get Varnish's error instead of the app's
# "not saved yet" page.
probe node_alive {
    .url = "/healthz";
    .interval = 1s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend node1 {
    .host = "10.0.0.11";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .probe = node_alive;
}

backend node2 {
    .host = "10.0.0.12";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .probe = node_alive;
}

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node1);
    nodes.add_backend(node2);
}

sub vcl_recv {
    set req.backend_hint = nodes.backend();
}

# A node that died since its last probe refuses the connection or drops it: a read
# goes to the next node instead (the director moves on at each attempt). Other
# requests move the director on too, so under load a retry can land on the dead node
# again until the probes mark it sick: up to six tries, which needs varnishd started
# with `-p max_retries=6` (its default, 4, stops sooner). A POST is never sent twice,
# since the first node may have stored it: the reader gets the error and their
# browser keeps the form.
sub vcl_backend_error {
    if ((bereq.method == "GET" || bereq.method == "HEAD") && bereq.retries < 6) {
        return (retry);
    }
}
