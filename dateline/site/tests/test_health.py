"""``/healthz``: what a load balancer's probe gets from a node."""

import pytest


@pytest.mark.django_db
def test_the_probe_gets_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.11:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_post_to_the_probe_address_is_not_answered_by_it(client):
    response = client.post("/healthz")
    assert response.status_code != 200
