"""Files and payloads → validated domain objects.

``read_credentials`` is the one way into the engine for a credential, whatever surface it comes
through (``ingestion.credentials``).
"""

from recognition_engine.ingestion.credentials import (
    CredentialDocument,
    Syntax,
    parse_credentials,
    read_credentials,
)

__all__ = ["CredentialDocument", "Syntax", "parse_credentials", "read_credentials"]
