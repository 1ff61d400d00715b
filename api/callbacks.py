"""Completion callbacks of screenings: one signed POST to an allowed receiver, tried once here.

**Where.** Only URLs on ``screening_callback_allowlist`` are taken, matched on scheme, host, port
and path (``recognition_engine/url_allowlist.py``). The host is resolved once; if an address is
private, loopback, link-local or otherwise not global, the call is refused unless the allowlist
entry names that address itself (``http://10.0.0.5:8080/hooks/``). The connection goes to the
address that was checked, with the original ``Host`` header and TLS server name (httpx's
``sni_hostname``, so the certificate is checked against the host name): a DNS answer that
changes between the check and the connection (rebinding) cannot move the call. Redirects are
never followed (a 3xx is a failed try), and proxies from the environment are not used.

**Signature.** Like Stripe's and the Standard Webhooks': ``X-Recognition-Signature:
t=<unix time>,v1=<hex>``, the HMAC-SHA256 of ``"<t>." + body`` under the screening's callback
secret, so a receiver can refuse a replayed or stale call by its time. Each screening has its own
secret, returned once, when the screening is created: the HMAC of its id under the signing key
of the data folder (``callback-signing.key``, readable by its owner only), so no secret is kept
in the database and no client can sign for another's screenings.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from api.problems import ApiProblem
from recognition_engine.url_allowlist import HttpLocation, IPAddress, parse_location

SIGNATURE_HEADER = "X-Recognition-Signature"
SCREENING_HEADER = "X-Recognition-Screening"
SIGNING_KEY_FILE = "callback-signing.key"

Resolver = Callable[[str, int], list[IPAddress]]


@dataclass(frozen=True)
class Allowlist:
    """The administrator's allowed callback locations, parsed."""

    entries: tuple[HttpLocation, ...]

    @classmethod
    def parse(cls, entries: Sequence[str]) -> Allowlist:
        return cls(tuple(parse_location(entry, entry=True) for entry in entries))

    def entry_for(self, url: str) -> HttpLocation | None:
        """The entry that admits ``url``, if one does (a URL that does not parse: none)."""
        try:
            location = parse_location(url)
        except ValueError:
            return None
        return next((entry for entry in self.entries if entry.admits(location)), None)

    def check(self, url: str) -> None:
        """Refuse (403) a callback URL that no entry admits."""
        if self.entry_for(url) is None:
            raise ApiProblem(
                403,
                "callback-not-allowed",
                "Callback URL not allowed",
                "the callback_url is not on the administrator's allowlist "
                "(screening_callback_allowlist: scheme, host, port and path must match)",
            )


# --- signing -------------------------------------------------------------------------------


def load_signing_key(data_dir: Path) -> bytes:
    """Return the data folder's callback signing key, making it on first use."""
    path = data_dir / SIGNING_KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip().encode()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip().encode()


def screening_secret(signing_key: bytes, screening_id: str) -> str:
    """The screening's own callback secret (``whsec_`` and 64 hex digits)."""
    digest = hmac.new(signing_key, b"screening-callback:" + screening_id.encode(), hashlib.sha256)
    return "whsec_" + digest.hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>." + body under the secret>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# --- one try -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """How one try went: never the receiver's answer text, only its status or a short reason."""

    delivered: bool
    status: int | None = None
    error: str | None = None
    final: bool = False  # refused by policy: trying again cannot help


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: IPAddress) -> bool:
    """Whether the address is globally routable unicast (not private, loopback, link-local,
    shared, reserved, multicast ...); an IPv6 address that carries an IPv4 one (mapped, 6to4,
    NAT64) is judged by that IPv4 address too."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and address in NAT64:
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None and not is_public(carried):
            return False
    return address.is_global and not address.is_multicast


def post_once(
    url: str,
    body: bytes,
    headers: dict[str, str],
    allowlist: Allowlist,
    timeout: float,
    *,
    resolver: Resolver = resolve,
    transport: httpx.BaseTransport | None = None,
) -> Attempt:
    """POST ``body`` to ``url`` once, at the address checked; the outcome, never raising."""
    entry = allowlist.entry_for(url)
    if entry is None:
        return Attempt(False, error="not on the allowlist", final=True)
    location = parse_location(url)
    if entry.address is not None:  # the administrator named this very address
        address = entry.address
    else:
        try:
            addresses = resolver(location.host, location.port)
        except (OSError, UnicodeError):
            return Attempt(False, error="host not resolved")
        if not addresses:
            return Attempt(False, error="host not resolved")
        if not all(is_public(found) for found in addresses):
            return Attempt(False, error="host resolves to a non-public address", final=True)
        address = addresses[0]
    original = httpx.URL(url)
    extensions = {"sni_hostname": location.host} if location.scheme == "https" else {}
    try:
        with (
            httpx.Client(
                transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
            ) as client,
            client.stream(
                "POST",
                original.copy_with(host=address.compressed),
                content=body,
                headers=headers | {"Host": original.netloc.decode("ascii")},
                extensions=extensions,
            ) as answer,
        ):
            status = answer.status_code  # the body is never read: only the status counts
    except httpx.TimeoutException:
        return Attempt(False, error="timed out")
    except httpx.HTTPError:
        return Attempt(False, error="connection failed")
    if 200 <= status < 300:
        return Attempt(True, status=status)
    if 300 <= status < 400:
        return Attempt(False, status=status, error="redirect not followed")
    return Attempt(False, status=status, error=f"answered {status}")
