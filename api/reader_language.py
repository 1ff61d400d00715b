"""The reader's language of an answer: chosen from Accept-Language, said in Content-Language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

from api.schemas import ScreeningResults
from recognition_engine.domain import RecognitionProposal
from recognition_engine.messages import LANGUAGES, localise_proposal, negotiate_language

ACCEPT_LANGUAGE = (
    "The language of every finding's and reason's `message`: "
    + ", ".join(f"`{code}`" for code in LANGUAGES)
    + " (English when absent or none of these). `code` and `params` are the same in every "
    "language; the answer's Content-Language says which was used."
)


def reader_language(
    response: Response,
    accept_language: Annotated[
        str | None, Header(max_length=500, description=ACCEPT_LANGUAGE)
    ] = None,
) -> str:
    """Return the answer's language and say it in the answer's headers."""
    language = negotiate_language(accept_language)
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language"
    return language


ReaderLanguage = Annotated[str, Depends(reader_language)]


def for_reader(proposal: RecognitionProposal, language: str) -> RecognitionProposal:
    """The proposal with its messages in the reader's language."""
    return localise_proposal(proposal, language)


def results_for_reader(results: ScreeningResults, language: str) -> ScreeningResults:
    """A page of screening results with each proposal's messages in the reader's language."""
    items = [
        item.model_copy(update={"proposal": for_reader(item.proposal, language)})
        if item.proposal is not None else item
        for item in results.items
    ]
    return results.model_copy(update={"items": items})
