"""Words the user reads: coded messages rendered in the reader's language.

The engine's checks emit a code and typed parameters (``codes`` is the registry of every code);
this package turns them into sentences through gettext catalogues (Babel) in English, Georgian
and Armenian, with numbers written for the locale. It is the one renderer: the API, the
workbench and the CLI localise a proposal with ``localise_proposal``; the decision code calls
``coded`` so that a proposal reads in English as it comes out of the engine.
"""

from recognition_engine.messages.localise import localise_proposal
from recognition_engine.messages.render import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    coded,
    negotiate_language,
    render,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "coded",
    "localise_proposal",
    "negotiate_language",
    "render",
]
