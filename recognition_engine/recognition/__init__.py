"""The rooms of one recognition, wired together by ``recognition_engine.service``.

- ``catalogue``: a model's catalogues: their indexes, lexical indexes and learned models;
- ``reading``: which outcomes the model reads, and the texts matching compares;
- ``checks``: the provider registers' and the national policy's findings, assembled once;
- ``learned``: the model learned from the institution's decisions: learning, reranking;
- ``judgement``: the confidence in the best match, from the model that proposed;
- ``level_signal``: the credential's level, read with the programme's scale;
- ``evidence``: what the proposal says of the model that proposed and of the languages read.
"""
