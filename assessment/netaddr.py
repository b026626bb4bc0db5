"""The client's network address, for the store's per-address budget of wrong join codes.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as it was added by a
proxy named in the setting `ASSESSMENT_TRUSTED_PROXIES` (comma-separated addresses or networks, such as
"127.0.0.1" for a proxy on the same host). Read from the right: the socket's peer must be a trusted proxy, then
each address a trusted proxy added is skipped until the first one that is not trusted, which is the client.
Without the setting, or when the peer is not a trusted proxy, the socket's own address is the client. An address
that cannot be read never removes the budget: it falls back to the last address we could vouch for.

The server layer reads the header too. Streamlit 1.67 serves with uvicorn, whose proxy-headers middleware
replaces the socket's peer by an address from `X-Forwarded-For` whenever the peer is in `FORWARDED_ALLOW_IPS`
(by default 127.0.0.1 and ::1): any request over loopback (a proxy on the same host, an SSH tunnel, a port
forward) could choose the address the app sees, or a non-address. `assessment serve` turns that off (it starts
the server with `FORWARDED_ALLOW_IPS` empty), and `socket_peer` undoes it for a server started another way: when
the address reported is exactly the one uvicorn would have taken from the header, the peer was one uvicorn
trusts (loopback, by default), and that is the peer used here.

Streamlit reports no address for a connection from the same host: that peer is taken as 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

TRUSTED_PROXIES_ENV = "ASSESSMENT_TRUSTED_PROXIES"
LOOPBACK = "127.0.0.1"
UNREADABLE = "unreadable"  # the one bucket of every peer whose address cannot be read
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Not a setting of ours: uvicorn (Streamlit 1.67's server) reads FORWARDED_ALLOW_IPS, and believes X-Forwarded-For
# from those peers (default loopback) before the app sees the request (see the module docstring).
UVICORN_TRUST_ENV = "FORWARDED_ALLOW_IPS"
UVICORN_DEFAULT_TRUST = "127.0.0.1,::1"


class SettingError(ValueError):
    """A setting that cannot be read; the message names it and the value."""


def trusted_proxies(raw: str) -> list[Network]:
    """The networks of a value of `ASSESSMENT_TRUSTED_PROXIES`; a clear error for a value that is not one. The
    deployment's setting, read and checked with the others, is `Settings.proxy_networks` (settings.py)."""
    text = raw
    out: list[Network] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SettingError(
                f"{TRUSTED_PROXIES_ENV} must list IP addresses or networks separated by commas; '{part[:60]}' is "
                "neither."
            ) from None
    return out


def _parse(address: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((address or "").strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def forwarded_for(headers: Mapping[str, str]) -> str:
    return ", ".join(v for k, v in headers.items() if k.lower() == "x-forwarded-for")


def socket_peer(reported: str | None, headers: Mapping[str, str], trust: str) -> str | None:
    """The socket's peer, undoing the server layer's own reading of X-Forwarded-For (see the module docstring).
    `trust`: the peers whose header the server believes, its FORWARDED_ALLOW_IPS
    (`settings.server_forwarded_trust()`)."""
    forwarded = forwarded_for(headers)
    if not forwarded.strip() or not trust.strip():
        return reported
    from uvicorn.middleware.proxy_headers import _TrustedHosts  # the server's own rule, not a copy of it

    picked, _ = _TrustedHosts(trust).get_trusted_client_address(forwarded)
    if reported is not None and picked and picked == reported:
        named = [a for a in (_parse(t) for t in trust.split(",")) if a is not None]
        return str(named[0]) if named else LOOPBACK
    return reported


def client_address(peer: str | None, headers: Mapping[str, str], proxies: list[Network]) -> str:
    """The client's address: the socket's peer, or from X-Forwarded-For when the peer is a trusted proxy."""
    socket_address = _parse(peer) if peer else ipaddress.ip_address(LOOPBACK)
    if socket_address is None:
        return UNREADABLE
    if not proxies or not _trusted(socket_address, proxies):
        return str(socket_address)
    hops = [h.strip() for h in forwarded_for(headers).split(",") if h.strip()]
    client = socket_address
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # garbage in the header: stop at the last address we could vouch for
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def network_key(address: str) -> str:
    """The key of an address's budget: an IPv4 address, or an IPv6 address's /64 (one host or LAN holds a whole
    /64, so counting single IPv6 addresses would give one client billions of budgets)."""
    parsed = _parse(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return f"ip:{ipaddress.ip_network(f'{parsed}/64', strict=False)}"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return f"ip:{parsed.ipv4_mapped}"
    return f"ip:{address}"
