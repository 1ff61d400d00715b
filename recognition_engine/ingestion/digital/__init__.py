"""Digital credentials in: Europass EDC (European Learning Model) and Open Badges 3.0.

``read_digital_credential`` turns one (a parsed JSON-LD object, a JWS envelope or a compact
JWT) into a ``MicroCredential`` with its provenance (format, signature check, validity) and the
report of the EU 2022 mandatory elements it carries. ``detect`` tells the formats apart.
"""

from recognition_engine.ingestion.digital.detect import looks_like_jwt
from recognition_engine.ingestion.digital.reader import (
    is_digital_credential,
    read_digital_credential,
)

__all__ = ["is_digital_credential", "looks_like_jwt", "read_digital_credential"]
