"""The client's network address, for the store's per-address budget of wrong join codes.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as it was added by a
proxy named in the setting `ASSESSMENT_TRUSTED_PROXIES` (comma-separated addresses or networks, such as
"127.0.0.1, 10.0.0.0/8"). Read from the right: the socket's peer must be a trusted proxy, then each address a
trusted proxy added is skipped until the first one that is not trusted, which is the client. Without the
setting, or when the peer is not a trusted proxy, the socket's own address is the client.

Streamlit reports no address for a connection from the same host (a reverse proxy on localhost): that peer is
taken as 127.0.0.1, so trusting 127.0.0.1 makes a local proxy work.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

TRUSTED_PROXIES_ENV = "ASSESSMENT_TRUSTED_PROXIES"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingError(ValueError):
    """A setting that cannot be read; the message names it and the value."""


def trusted_proxies(raw: str | None = None) -> list[Network]:
    """The networks of `ASSESSMENT_TRUSTED_PROXIES` (or `raw`); a clear error for a value that is not one."""
    if raw is None:  # the deployment's setting, read and checked with the others (settings.py)
        from .settings import get_settings

        raw = get_settings().trusted_proxies
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


def client_address(peer: str | None, headers: Mapping[str, str], proxies: list[Network]) -> str | None:
    """The client's address: the socket's peer, or from X-Forwarded-For when the peer is a trusted proxy."""
    socket_address = _parse(peer) if peer else ipaddress.ip_address("127.0.0.1")
    if socket_address is None:
        return None
    if not proxies or not _trusted(socket_address, proxies):
        return str(socket_address)
    forwarded = ",".join(v for k, v in headers.items() if k.lower() == "x-forwarded-for")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    client = socket_address
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # garbage in the header: stop at the last address we could vouch for
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)
