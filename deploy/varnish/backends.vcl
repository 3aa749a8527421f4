# One app node: `dateline serve` on this machine (the one-machine recipe).
# For several nodes, use backends-several.vcl in this file's place.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}
