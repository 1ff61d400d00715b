"""Level estimation: the Bloom level of each learning outcome and the EQF/NQF level of a credential.

- ``verbs``: leading action verbs (coordinated ones too, British spellings normalised) and the
  Bloom verb lexicon;
- ``bloom``: the trained multi-label classifier (embeddings + verb features) and the lexicon
  fallback;
- ``frameworks``: the EQF descriptors and the EQF ↔ NQF (GE, AM) ↔ QF-EHEA table, read from data;
- ``eqf``: ``LevelEstimator``, the credential level with its confidence and evidence.
"""

from recognition_engine.domain import OutcomeLevel
from recognition_engine.levels.bloom import BloomClassifier, lexicon_outcome_level, train_classifier
from recognition_engine.levels.eqf import CLASSIFIER_FILE, LevelEstimator, bloom_profile
from recognition_engine.levels.frameworks import load_correspondence, load_eqf_descriptors
from recognition_engine.levels.verbs import extract_verbs


def analyse_outcome(text: str) -> OutcomeLevel:
    """Return the leading verbs and Bloom level(s) of one outcome, from the verb lexicon."""
    return lexicon_outcome_level(text)


__all__ = [
    "CLASSIFIER_FILE",
    "BloomClassifier",
    "LevelEstimator",
    "analyse_outcome",
    "bloom_profile",
    "extract_verbs",
    "lexicon_outcome_level",
    "load_correspondence",
    "load_eqf_descriptors",
    "train_classifier",
]
