"""Webhook targets must be public: a URL that resolves to loopback, private, link-local or other
special addresses is refused (at subscription and again before every delivery, against DNS
that changes in between). Hosts in WEBHOOK_ALLOWED_HOSTS are exempt, for an operator's own network."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from portal.i18n import gettext


def target_problem(url: str, allowed_hosts: tuple[str, ...] = ()) -> str | None:
    """None if `url` may receive webhooks, else the reason it may not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return gettext("not a valid URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return gettext("use an http:// or https:// URL with a host name")
    if parts.username or parts.password:
        return gettext("credentials in the URL are not allowed; the signature authenticates the sender")
    host = parts.hostname.lower().rstrip(".")
    if host in allowed_hosts:
        return None
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return gettext("the host %(host)s cannot be resolved", host=host)
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            return gettext("%(host)s resolves to %(address)s, a loopback, private or reserved address", host=host,
                           address=address)
    return None
