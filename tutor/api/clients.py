"""Who is asking: the client address that rate limits count against.

Behind a reverse proxy every request comes from the proxy, so its
``X-Forwarded-For`` must name the learner; but anyone can send that header,
so it is believed only from the proxies the operator lists
(``TUTOR_TRUSTED_PROXIES``), and only up to the rightmost hop that is not one
of them (the address our own proxy saw). An IPv6 client usually owns a whole
/64, so its addresses share one bucket.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import Scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

IPV6_BUCKET_PREFIX = 64


def _address(text: str) -> IPAddress | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def bucket(address: IPAddress) -> str:
    """The rate-limit key for one address: itself for IPv4, its /64 for IPv6."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_BUCKET_PREFIX), strict=False))
    return str(address)


class ClientAddresses:
    def __init__(self, trusted_proxies: Iterable[str] = ()):
        self.trusted: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(entry, strict=False) for entry in trusted_proxies)

    def _is_trusted(self, address: IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self.trusted)

    def client(self, scope: Scope) -> IPAddress | None:
        """The address of the client, as far as the trusted proxies vouch for it."""
        peer_host = (scope.get("client") or ("", 0))[0]
        peer = _address(peer_host or "")
        if peer is None or not self.trusted or not self._is_trusted(peer):
            return peer
        hops = [hop for name, value in scope.get("headers", ()) if name == b"x-forwarded-for"
                for hop in value.decode("latin-1").split(",")]
        client = peer
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:  # garbage to the left of what our proxies wrote: stop believing
                break
            client = address
            if not self._is_trusted(address):
                break
        return client

    def key(self, scope: Scope) -> str:
        address = self.client(scope)
        return bucket(address) if address is not None else "unknown"
