"""Lexical similarity: TF-IDF cosine between a credential and the catalogue's modules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class LexicalIndex:
    """TF-IDF vectors of the catalogue (sublinear tf, English stop words), fitted on it."""

    def __init__(self, keys: Sequence[str], texts: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer: TfidfVectorizer | None = TfidfVectorizer(
            sublinear_tf=True, stop_words="english"
        )
        try:
            self.matrix = self.vectorizer.fit_transform(list(texts))
        except ValueError:  # no word in the catalogue but stop words (or none): no similarity
            self.vectorizer = None
        self.position = {key: i for i, key in enumerate(keys)}

    def similarity(self, text: str, keys: Sequence[str]) -> np.ndarray:
        """Return the TF-IDF cosine of ``text`` with each module of ``keys``, shape (len(keys),)."""
        if self.vectorizer is None:
            return np.zeros(len(keys))
        query = self.vectorizer.transform([text])
        rows = [self.position[key] for key in keys]
        return np.asarray((self.matrix[rows] @ query.T).toarray()).ravel()
