"""Which model reads an equivalence set: the one the deployment gives its languages.

``evaluate`` scores a set as the engine would recognise its credentials. Under the setting
``multilingual`` (``recognition_engine/multilingual.py``), a set whose credentials or catalogue
are not in English is read by the multilingual model (credentials as e5's queries, modules as
its passages) with that model's own cosine thresholds; an English set stays on the English
model. A set is read by one model: the one for its dominant languages, each record's declared
``language`` first, else detected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from evaluation.datasets import ItemText, RetrievalTask
from recognition_engine.config import Settings
from recognition_engine.ingestion.language import language_of
from recognition_engine.models import Embedder, create_embedder
from recognition_engine.multilingual import (
    catalogue_embedder,
    matching_thresholds,
    multilingual_embedder,
    uses_multilingual,
)

# Enough records to tell a set's language; detecting all of a 5,000-module catalogue adds time
# and no information.
_SAMPLE = 200


@dataclass(frozen=True)
class Reading:
    """The model that reads a set, on each side, and the settings on that model's scale."""

    embedder: Embedder  # the credentials
    catalogue: Embedder  # the modules
    settings: Settings  # outcome_match_threshold and min_proposal_score of that model
    credential_language: str | None
    catalogue_language: str | None

    def note(self) -> str:
        """Return the line the report gives the reading."""
        return (
            f"read by {self.embedder.model_id} (deployment "
            f"'{self.settings.multilingual}'): credentials in "
            f"{self.credential_language or 'an undetected language'}, catalogue in "
            f"{self.catalogue_language or 'an undetected language'}"
        )


def dominant_language(items: Sequence[ItemText]) -> str | None:
    """Return the most common language of the items (declared, else detected), None if none."""
    step = max(1, len(items) // _SAMPLE)
    found = Counter(
        language_of([item.title, item.text], declared=item.language) for item in items[::step]
    )
    found.pop(None, None)
    return found.most_common(1)[0][0] if found else None


def reading(task: RetrievalTask, settings: Settings) -> Reading:
    """Return the model the deployment gives this set, and the settings on its scale."""
    credential_language = dominant_language(task.credentials)
    catalogue_language = dominant_language(task.modules)
    if uses_multilingual(settings.multilingual, [credential_language, catalogue_language]):
        embedder = multilingual_embedder(settings)
    else:
        embedder = create_embedder(settings)
    # the language pair's thresholds on the multilingual model, as the engine applies them
    pair = f"{credential_language or 'en'}-{catalogue_language or 'en'}"
    on_scale = settings.model_copy(update=matching_thresholds(embedder, settings, [pair]))
    return Reading(
        embedder,
        catalogue_embedder(embedder, settings),
        on_scale,
        credential_language,
        catalogue_language,
    )
