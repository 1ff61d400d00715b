"""URL allowlists, parsed and compared part by part, never as strings.

An entry is a scheme, a host, a port (the scheme's default when it names none) and a path
prefix. A URL is admitted by an entry when its scheme, host and port are the entry's and its path
is the entry's path or goes on from it after a ``/``: ``https://intake.example/hooks`` admits
``https://intake.example/hooks/screening`` but neither ``https://intake.example/hooksmith``,
``https://intake.example:8443/hooks``, ``https://intake.example.evil/hooks`` nor
``https://intake.example@evil/hooks`` (whose host is ``evil``: a URL that carries credentials is
refused outright).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class HttpLocation:
    """A parsed http(s) URL or allowlist entry: what comparisons look at, normalised."""

    scheme: str
    host: str  # lower case, ASCII (IDNA), no trailing dot; an IP address in its compressed form
    port: int
    path: str  # percent-encoded as given, without a trailing "/" (the root is "")

    @property
    def address(self) -> IPAddress | None:
        """The host as an IP address, when the URL names one rather than a host name."""
        try:
            return ipaddress.ip_address(self.host)
        except ValueError:
            return None

    def admits(self, other: HttpLocation) -> bool:
        """Whether ``other`` is on this entry: same origin, and a path under this one."""
        same_origin = (self.scheme, self.host, self.port) == (other.scheme, other.host, other.port)
        under = not self.path or other.path == self.path or other.path.startswith(self.path + "/")
        return same_origin and under


def parse_location(url: str, *, entry: bool = False) -> HttpLocation:
    """Return the parsed URL; ValueError saying why when it is not a plain http(s) URL (an
    allowlist ``entry`` may carry no query nor fragment either)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ValueError(f"not a URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("the scheme must be http or https")
    if "@" in parts.netloc:
        raise ValueError("a URL with credentials (user@host) is not taken")
    if entry and (parts.query or parts.fragment):
        raise ValueError("an allowlist entry has no query nor fragment")
    return HttpLocation(
        scheme=scheme,
        host=_host(parts.hostname or ""),
        port=DEFAULT_PORTS[scheme] if port is None else port,
        path=_path(parts.path),
    )


def _host(host: str) -> str:
    host = host.rstrip(".")
    if not host:
        raise ValueError("the URL names no host")
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError("the host is not a valid name") from None
    if not _HOST_NAME.fullmatch(ascii_host):
        raise ValueError("the host is not a valid name")
    return ascii_host


def _path(path: str) -> str:
    # A receiver may decode %2e, %2f or a backslash and walk up: refuse what could, rather than
    # guess how the receiver reads it.
    segments = unquote(path).replace("\\", "/").split("/")
    if any(segment in (".", "..") for segment in segments):
        raise ValueError("the path has '.' or '..' segments")
    return path.rstrip("/")
