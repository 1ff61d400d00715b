"""Completion callbacks of screenings: one signed POST to an allowed URL, retried with backoff.

The body is the screening's status (``ScreeningPublic`` as JSON). The signature is
``X-Recognition-Signature: sha256=<hex>``, the HMAC-SHA256 of the body under the SHA-256 (hex)
of the API key that asked for the screening: the client knows its key, the service stores only
that hash, and no other client can sign for it. ``X-Recognition-Screening`` names the screening.

Only URLs that start with a prefix of ``screening_callback_allowlist`` are taken (an
administrator's setting), so the service cannot be made to call any address. A delivery is tried
``ATTEMPTS`` times, waiting 1, 2, 4 … seconds between tries (cut short when the server stops);
a 2xx answer ends it. The lane that completes the screening delivers it, so it is called once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence

from api.problems import ApiProblem

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Recognition-Signature"
SCREENING_HEADER = "X-Recognition-Screening"
ATTEMPTS = 5
FIRST_DELAY = 1.0
TIMEOUT = 10.0


def check_allowed(url: str, allowlist: Sequence[str]) -> None:
    """Refuse (403) a callback URL that no allowed prefix starts."""
    if not any(url.startswith(prefix) for prefix in allowlist if prefix):
        raise ApiProblem(
            403, "callback-not-allowed", "Callback URL not allowed",
            "the callback_url does not start with a prefix the administrator allowed "
            "(screening_callback_allowlist)",
        )


def signature(key_hash: str, body: bytes) -> str:
    """``sha256=`` and the HMAC-SHA256 of ``body`` under the key's hash (hex)."""
    return "sha256=" + hmac.new(key_hash.encode(), body, hashlib.sha256).hexdigest()


def deliver(
    url: str, body: bytes, key_hash: str, screening_id: str, stopping: threading.Event
) -> int:
    """POST the body until a 2xx answer or ``ATTEMPTS`` tries; return the tries made (0 if
    the server stopped first), negative if none succeeded."""
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(key_hash, body),
        SCREENING_HEADER: screening_id,
    }
    delay = FIRST_DELAY
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
                if 200 <= answer.status < 300:
                    return attempt
        except (urllib.error.URLError, OSError) as error:
            logger.warning("callback of screening %s, try %d: %s", screening_id, attempt, error)
        if attempt < ATTEMPTS and stopping.wait(delay):
            return -attempt
        delay *= 2
    return -ATTEMPTS
