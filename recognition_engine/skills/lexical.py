"""The lexical stage: ESCO skills whose words an outcome shares, by TF-IDF cosine."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recognition_engine.skills.taxonomy import EscoTaxonomy


class SkillLexicon:
    """TF-IDF vectors (sublinear tf, English stop words) of each skill's labels, alternative
    labels and description, fitted on the taxonomy. Words alone by default: word pairs add
    little to the tagger's recall (0.44 against 0.43) and make fitting seven times slower."""

    def __init__(self, taxonomy: EscoTaxonomy, *, longest_ngram: int = 1) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            stop_words="english",
            ngram_range=(1, longest_ngram),
            dtype=np.float32,
        )
        self.matrix = self.vectorizer.fit_transform([s.document() for s in taxonomy.skills])
        self._by_skill = self.matrix.T.tocsr()  # (terms, skills): a query touches its terms

    def similarity(self, texts: Sequence[str]) -> np.ndarray:
        """Return the TF-IDF cosine of each text with every skill, shape (texts, skills)."""
        queries = self.vectorizer.transform(list(texts))
        return np.asarray((queries @ self._by_skill).toarray(), dtype=np.float32)


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``k`` best columns of each row: positions and scores, best first."""
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    top_scores = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-top_scores, axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(top_scores, order, axis=1)
