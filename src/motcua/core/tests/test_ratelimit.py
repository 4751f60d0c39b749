import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from motcua.core import ratelimit


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # nobody trusted: the header is ignored
        (1, "203.0.113.7", "203.0.113.7"),  # our proxy added the client's address
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # a forged first hop is skipped
        (2, "198.51.100.9, 203.0.113.7", "198.51.100.9"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_believes_forwarded_for_only_as_far_as_our_proxies(
    settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_ip(request) == expected


def test_allow_counts_per_client_and_scope(settings) -> None:
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "tracking": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    one = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    two = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert [ratelimit.allow(one, "tracking") for _ in range(3)] == [True, True, False]
    assert ratelimit.allow(two, "tracking") is True
    assert ratelimit.parse_rate("60/minute") == (60, 60)
    cache.clear()


def test_allow_counts_in_redis_when_it_is_configured(settings) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = url
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "tracking": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    address = f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    one = RequestFactory().get("/", REMOTE_ADDR=address)
    assert [ratelimit.allow(one, "tracking") for _ in range(3)] == [True, True, False]
    client = redis.Redis.from_url(url)
    keys = client.keys(f"motcua:ratelimit:tracking:{address}:*")
    assert len(keys) == 1
    assert 0 < client.ttl(keys[0]) <= 60  # the window's counter expires with the window
    client.delete(*keys)
