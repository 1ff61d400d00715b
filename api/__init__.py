"""The HTTP service: ``create_app(settings)`` builds a FastAPI app over the recognition engine.

Routers only parse, call the engine and shape the answer; storage, security and the mapping of
errors to RFC 9457 problem responses each live in one module.
"""

from api.app import create_app

__all__ = ["create_app"]
