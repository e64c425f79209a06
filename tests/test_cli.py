"""The command line through its real entry point (`python -m assistant`), with the bundled model."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def run(*args, stdin=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "index"
    result = run("index", str(ROOT / "documents"), "--index-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    return folder


def test_help_is_fast_and_lists_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("index", "ask", "documents", "chat"):
        assert command in result.stdout
    # --help must not import the heavy libraries
    probe = subprocess.run([sys.executable, "-c", "import sys; from assistant.cli import build_parser; "
                            "build_parser(); print(sorted(m for m in ('torch', 'faiss', 'gradio', 'bm25s') if m in sys.modules))"],
                           capture_output=True, text=True, cwd=ROOT)
    assert probe.stdout.strip() == "[]"


def test_ask_json_has_the_documented_shape_and_exact_offsets(index_dir):
    result = run("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--index-dir", str(index_dir), "--json", "-k", "3")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= {"question", "rewritten_question", "status", "answered", "answer", "passages"}
    assert payload["status"] == "answered" and payload["answered"] is True
    assert payload["answer"].endswith("[1]")
    assert 1 <= len(payload["passages"]) <= 3
    text = (ROOT / "documents" / "000_dbd6872183af7f42.txt").read_text(encoding="utf-8")
    for passage in payload["passages"]:
        assert set(passage) >= {"rank", "text", "score", "document", "paragraph", "start", "end", "highlights"}
        assert set(passage["document"]) == {"id", "title", "date", "path"}
        assert passage["document"]["date"] == "2025-10-24"
        body_offset = text.index("Ngày 24-10")  # the header line is not part of the document text
        assert text[body_offset + passage["start"]:body_offset + passage["end"]] == passage["text"]
        for start, end in passage["highlights"]:
            assert passage["start"] <= start < end <= passage["end"]
    assert "Nguyễn Thị Bé Ngoan" in payload["passages"][0]["text"]


def test_ask_without_json_prints_the_quotation_and_numbered_citations(index_dir):
    result = run("ask", "dien tich khu dat xay trung tam hanh chinh", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout and "đoạn 7" in result.stdout and "12.000 m²" in result.stdout


def test_batch_mode_reads_lines_and_json_with_history(index_dir):
    lines = "\n".join([
        "Ai là Bí thư Đảng ủy phường Tân Mỹ?",
        json.dumps({"question": "Còn phường Phú Thuận thì sao?", "history": ["Ai là Bí thư Đảng ủy phường Tân Mỹ?"]},
                   ensure_ascii=False),
        "   ",
        json.dumps({"history": []}),
    ])
    result = run("ask", "--index-dir", str(index_dir), "--json", stdin=lines)
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == 3
    assert outputs[0]["answered"] and "Trần Chí Dũng" in outputs[0]["passages"][0]["text"]
    assert outputs[1]["rewritten_question"] and "Phú Thuận" in outputs[1]["rewritten_question"]
    assert "error" in outputs[2]
    assert result.returncode == 1  # one line failed, the others were answered


def test_user_errors_are_one_line_and_non_zero(index_dir, tmp_path, tree_digest):
    before = tree_digest(index_dir)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    cases = [
        run("ask", "   ", "--index-dir", str(index_dir)),
        run("index", str(bad), "--index-dir", str(index_dir)),
        run("index", str(tmp_path / "missing.txt"), "--index-dir", str(index_dir)),
        run("documents", "--index-dir", str(tmp_path / "nowhere")),
    ]
    for result in cases:
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert tree_digest(index_dir) == before


def test_an_explicit_index_dir_without_an_index_is_an_error_not_a_new_index(tmp_path):
    empty = tmp_path / "typo-index"
    for args in (["ask", "Ai là Chủ tịch UBND phường Tân Mỹ?"], ["chat"]):
        result = run(*args, "--index-dir", str(empty))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: no index in ") and "assistant index" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not empty.exists() or not any(empty.iterdir())


def test_related_and_not_found_answers_in_json(index_dir):
    lines = "\n".join(["Dân số phường Phú Thuận là bao nhiêu?", "Giá vàng SJC hôm nay là bao nhiêu?"])
    result = run("ask", "--index-dir", str(index_dir), "--json", stdin=lines)
    related, not_found = (json.loads(line) for line in result.stdout.splitlines())
    assert related["status"] == "related" and related["answered"] is False and related["passages"]
    assert related["answer"].startswith("Chưa chắc chắn")
    assert not_found["status"] == "not_found" and not_found["passages"] == []


def test_documents_lists_the_article(index_dir):
    result = run("documents", "--index-dir", str(index_dir), "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["000_dbd6872183af7f42"]
    assert rows[0]["date"] == "2025-10-24"


def test_development_questions_have_evidence_in_top_three(index_dir, development_questions):
    answerable = [r for r in development_questions if r["kind"] == "answerable"]
    stdin = "\n".join(json.dumps({"question": r["question"]}, ensure_ascii=False) for r in answerable)
    result = run("ask", "--index-dir", str(index_dir), "-k", "3", "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    for row, line in zip(answerable, result.stdout.splitlines(), strict=True):
        payload = json.loads(line)
        assert any(e in p["text"] for p in payload["passages"] for e in row["evidence"]), row["id"]


def test_main_returns_exit_codes_in_process(capsys):
    assert main(["ask", "   ", "--index-dir", "/nonexistent/dir/for/test"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_an_installed_copy_keeps_its_index_in_the_working_directory(tmp_path):
    """A plain (non-editable) install has no source checkout around it: the default index and
    documents folders are the working directory's, never the installed package's."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(ROOT)], check=True, capture_output=True)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def installed(*args):
        return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)

    nothing = installed("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?")
    assert nothing.returncode == 2 and "no articles to index" in nothing.stderr and "assistant index" in nothing.stderr
    assert list(work.iterdir()) == []  # nothing written for a question that cannot be answered
    (work / "bai.txt").write_bytes((ROOT / "documents" / "000_dbd6872183af7f42.txt").read_bytes())
    assert installed("index", "bai.txt", "-q").returncode == 0
    answer = installed("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--json")
    assert answer.returncode == 0 and json.loads(answer.stdout)["status"] == "answered"
    assert (work / "index" / "CURRENT").is_file()
    assert not any(path.name == "CURRENT" for path in site.rglob("CURRENT"))
