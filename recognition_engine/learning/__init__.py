"""Learning from the institution's own decisions: precedents, a learned ranker, calibrated
confidence. Without a trained model the engine keeps its cold ranking.

- ``features``: what the ranker reads of each (credential, module) candidate;
- ``precedents``: the memory of decided credentials that votes for modules;
- ``ranker``: LightGBM LambdaRank; ``calibration``: softmax share → probability (Platt scaling);
- ``model``: training and the saved bundle; ``reranking``: a model bound to a catalogue index.
"""
