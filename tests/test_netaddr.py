"""Which address a wrong join code is counted against (finding 4: behind a proxy on the same host there was no
per-address limit at all; behind one on another host everyone shared one address)."""

from __future__ import annotations

import pytest

from assessment.netaddr import (
    UVICORN_TRUST_ENV,
    SettingError,
    client_address,
    network_key,
    socket_peer,
    trusted_proxies,
)
from assessment.settings import server_forwarded_trust

XFF = "X-Forwarded-For"


def test_without_trusted_proxies_the_socket_is_the_client_and_the_header_is_ignored() -> None:
    assert client_address("203.0.113.9", {XFF: "198.51.100.1"}, []) == "203.0.113.9"


def test_a_same_host_proxy_reports_no_peer_and_is_trusted_as_localhost() -> None:
    proxies = trusted_proxies("127.0.0.1, ::1")
    assert client_address(None, {XFF: "198.51.100.7"}, proxies) == "198.51.100.7"
    assert client_address(None, {}, []) == "127.0.0.1"  # no proxy configured: one local address, still limited


def test_a_proxy_on_another_host_passes_each_clients_address() -> None:
    proxies = trusted_proxies("10.0.0.0/8")
    assert client_address("10.1.2.3", {"x-forwarded-for": "198.51.100.1"}, proxies) == "198.51.100.1"
    assert client_address("10.1.2.3", {XFF: "198.51.100.2"}, proxies) == "198.51.100.2"


def test_a_spoofed_header_from_a_client_does_not_choose_its_address() -> None:
    proxies = trusted_proxies("10.0.0.0/8")
    # the client wrote "1.2.3.4" itself; the trusted proxy appended the real address
    assert client_address("10.0.0.5", {XFF: "1.2.3.4, 198.51.100.3"}, proxies) == "198.51.100.3"
    # a peer that is not a trusted proxy: its header means nothing
    assert client_address("198.51.100.4", {XFF: "10.0.0.1"}, proxies) == "198.51.100.4"
    # chained trusted proxies are skipped; garbage stops the walk at the last address vouched for
    assert client_address("10.0.0.5", {XFF: "198.51.100.5, 10.0.0.9"}, proxies) == "198.51.100.5"
    assert client_address("10.0.0.5", {XFF: "not-an-address"}, proxies) == "10.0.0.5"


def test_a_bad_setting_gets_a_clear_error() -> None:
    with pytest.raises(SettingError, match="ASSESSMENT_TRUSTED_PROXIES .* 'proxy.local' is neither"):
        trusted_proxies("10.0.0.1, proxy.local")


def test_the_server_layers_reading_of_the_header_is_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn (Streamlit's server) replaces a loopback peer by the header's right-most address: when the address
    reported is exactly that one, the peer was loopback; a direct client's own address is kept."""
    monkeypatch.delenv(UVICORN_TRUST_ENV, raising=False)
    trust = server_forwarded_trust()
    assert socket_peer("203.0.113.7", {XFF: "203.0.113.7"}, trust) == "127.0.0.1"
    assert socket_peer("not-an-address", {XFF: "not-an-address"}, trust) == "127.0.0.1"
    assert socket_peer("198.51.100.9", {XFF: "203.0.113.7"}, trust) == "198.51.100.9"  # not rewritten: a direct client
    assert socket_peer("198.51.100.9", {}, trust) == "198.51.100.9"
    assert socket_peer(None, {XFF: "203.0.113.7"}, trust) is None
    monkeypatch.setenv(UVICORN_TRUST_ENV, "")  # as `assessment serve` starts it: the server never rewrites
    assert socket_peer("203.0.113.7", {XFF: "203.0.113.7"}, server_forwarded_trust()) == "203.0.113.7"


def test_an_unreadable_address_keeps_a_budget() -> None:
    assert client_address("not-an-address", {}, []) == "unreadable"
    assert client_address("127.0.0.1", {XFF: "garbage"}, trusted_proxies("127.0.0.1")) == "127.0.0.1"


def test_ipv6_addresses_are_counted_by_their_64() -> None:
    assert network_key("2001:db8:1:2:aaaa::1") == network_key("2001:db8:1:2:bbbb::9") == "ip:2001:db8:1:2::/64"
    assert network_key("2001:db8:1:3::1") != network_key("2001:db8:1:2::1")
    assert network_key("::ffff:192.0.2.1") == network_key("192.0.2.1") == "ip:192.0.2.1"
    assert network_key("unreadable") == "ip:unreadable"
