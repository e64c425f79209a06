"""The command line (`cli.py`) through its real entry point (`python -m assistant`, the `run_cli`
fixture): its output, exit codes and one-line errors, batch input, restoring, and an installed copy.
The tests marked slow load the bundled model."""

import json
import subprocess
import sys

import pytest

from assistant import Assistant
from assistant.cli import main
from assistant.testing import HashingEmbedder

ARTICLE = "title: Cầu Ánh Sao\n\nCầu Ánh Sao ở phường Bình Thạnh dài 500 mét.\n\nCây cầu khánh thành cuối tuần.\n"

@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, run_cli, bundled_model, bundled_documents):
    folder = tmp_path_factory.mktemp("cli") / "index"
    result = run_cli("index", bundled_documents, "--index-dir", folder)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    return folder


@pytest.mark.slow
def test_help_is_fast_and_lists_commands(run_cli, bundled_documents):
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("index", "ask", "documents", "chat"):
        assert command in result.stdout
    # --help must not import the heavy libraries
    probe = subprocess.run([sys.executable, "-c", "import sys; from assistant.cli import build_parser; "
                            "build_parser(); print(sorted(m for m in ('torch', 'faiss', 'gradio', 'bm25s') if m in sys.modules))"],
                           capture_output=True, text=True, cwd=bundled_documents.parent)
    assert probe.stdout.strip() == "[]"


@pytest.mark.slow
def test_ask_json_has_the_documented_shape_and_exact_offsets(run_cli, index_dir, seed_article):
    result = run_cli("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--index-dir", str(index_dir), "--json", "-k", "3")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= {"question", "rewritten_question", "status", "answered", "answer", "passages"}
    assert payload["status"] == "answered" and payload["answered"] is True
    assert payload["answer"].endswith("[1]")
    assert 1 <= len(payload["passages"]) <= 3
    text = seed_article.read_text(encoding="utf-8")
    for passage in payload["passages"]:
        assert set(passage) >= {"rank", "text", "score", "document", "paragraph", "start", "end", "highlights"}
        assert set(passage["document"]) == {"id", "title", "date", "path"}
        assert passage["document"]["date"] == "2025-10-24"
        body_offset = text.index("Ngày 24-10")  # the header line is not part of the document text
        assert text[body_offset + passage["start"]:body_offset + passage["end"]] == passage["text"]
        for start, end in passage["highlights"]:
            assert passage["start"] <= start < end <= passage["end"]
    assert "Nguyễn Thị Bé Ngoan" in payload["passages"][0]["text"]


@pytest.mark.slow
def test_ask_without_json_prints_the_quotation_and_numbered_citations(run_cli, index_dir):
    result = run_cli("ask", "dien tich khu dat xay trung tam hanh chinh", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout and "đoạn 7" in result.stdout and "12.000 m²" in result.stdout
    assert "liên quan nhất" in result.stdout and "điểm" not in result.stdout  # a plain word, no raw score


@pytest.mark.slow
def test_batch_mode_reads_lines_and_json_with_history(run_cli, index_dir):
    lines = "\n".join([
        "Ai là Bí thư Đảng ủy phường Tân Mỹ?",
        json.dumps({"question": "Còn phường Phú Thuận thì sao?", "history": ["Ai là Bí thư Đảng ủy phường Tân Mỹ?"]},
                   ensure_ascii=False),
        "   ",
        json.dumps({"history": []}),
    ])
    result = run_cli("ask", "--index-dir", str(index_dir), "--json", stdin=lines)
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == 3
    assert outputs[0]["answered"] and "Trần Chí Dũng" in outputs[0]["passages"][0]["text"]
    assert outputs[1]["rewritten_question"] and "Phú Thuận" in outputs[1]["rewritten_question"]
    assert "error" in outputs[2]
    assert result.returncode == 1  # one line failed, the others were answered


@pytest.mark.slow
def test_user_errors_are_one_line_and_non_zero(run_cli, index_dir, tmp_path, tree_digest):
    before = tree_digest(index_dir)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    cases = [
        run_cli("ask", "   ", "--index-dir", str(index_dir)),
        run_cli("index", str(bad), "--index-dir", str(index_dir)),
        run_cli("index", str(tmp_path / "missing.txt"), "--index-dir", str(index_dir)),
        run_cli("documents", "--index-dir", str(tmp_path / "nowhere")),
    ]
    for result in cases:
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert tree_digest(index_dir) == before


@pytest.mark.slow
def test_an_explicit_index_dir_without_an_index_is_an_error_not_a_new_index(run_cli, tmp_path):
    empty = tmp_path / "typo-index"
    for args in (["ask", "Ai là Chủ tịch UBND phường Tân Mỹ?"], ["chat"]):
        result = run_cli(*args, "--index-dir", str(empty))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: no index in ") and "assistant index" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not empty.exists() or not any(empty.iterdir())


@pytest.mark.slow
def test_related_and_not_found_answers_in_json(run_cli, index_dir):
    lines = "\n".join(["Dân số phường Phú Thuận là bao nhiêu?", "Giá vàng SJC hôm nay là bao nhiêu?"])
    result = run_cli("ask", "--index-dir", str(index_dir), "--json", stdin=lines)
    related, not_found = (json.loads(line) for line in result.stdout.splitlines())
    assert related["status"] == "related" and related["answered"] is False and related["passages"]
    assert related["answer"].startswith("Chưa chắc chắn")
    assert not_found["status"] == "not_found" and not_found["passages"] == []


@pytest.mark.slow
def test_documents_lists_the_article(run_cli, index_dir):
    result = run_cli("documents", "--index-dir", str(index_dir), "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["000_dbd6872183af7f42"]
    assert rows[0]["date"] == "2025-10-24"


@pytest.mark.slow
def test_development_questions_have_evidence_in_top_three(development_questions, run_cli, index_dir, recall_at_k,
                                                          quotes_evidence):
    answerable = [r for r in development_questions if r["kind"] == "answerable"]
    stdin = "\n".join(json.dumps({"question": r["question"]}, ensure_ascii=False) for r in answerable)
    result = run_cli("ask", "--index-dir", index_dir, "-k", "3", "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(answerable)
    for row, answer in zip(answerable, answers, strict=True):
        texts = [passage["text"] for passage in answer["passages"]]
        assert recall_at_k([texts], [[row["evidence"]]], 3, quotes_evidence) == 1.0, row["id"]


@pytest.mark.slow
def test_main_returns_exit_codes_in_process(capsys):
    assert main(["ask", "   ", "--index-dir", "/nonexistent/dir/for/test"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.slow
def test_an_installed_copy_keeps_its_index_in_the_working_directory(tmp_path, run_cli, bundled_model, seed_article):
    """A plain (non-editable) install has no source checkout around it: the default index and
    documents folders are the working directory's, never the installed package's."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(seed_article.parents[1])], check=True, capture_output=True)
    work = tmp_path / "work"
    work.mkdir()

    def installed(*args):
        return run_cli(*args, cwd=work, env={"PYTHONPATH": str(site)})

    nothing = installed("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?")
    assert nothing.returncode == 2 and "no articles to index" in nothing.stderr and "assistant index" in nothing.stderr
    assert list(work.iterdir()) == []  # nothing written for a question that cannot be answered
    (work / "bai.txt").write_bytes(seed_article.read_bytes())
    assert installed("index", "bai.txt", "-q").returncode == 0
    answer = installed("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--json")
    assert answer.returncode == 0 and json.loads(answer.stdout)["status"] == "answered"
    assert (work / "index" / "CURRENT").is_file()
    assert not any(path.name == "CURRENT" for path in site.rglob("CURRENT"))


def test_cli_restore_and_lost_current_messages(tmp_path, corpus_dir, run_cli):
    index_dir = tmp_path / "index"
    generation = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder()).snapshot.generation
    (index_dir / "CURRENT").unlink()
    assert "assistant index --restore" in run_cli("documents", "--index-dir", index_dir).error_line()
    assert "assistant index --restore" in run_cli("ask", "Ai?", "--index-dir", index_dir).error_line()
    restored = run_cli("index", "--restore", generation.name, "--index-dir", index_dir)
    assert restored.returncode == 0 and "Restored" in restored.stdout
    assert run_cli("documents", "--index-dir", index_dir).returncode == 0


@pytest.mark.slow
def test_terminal_output_escapes_control_characters_and_keeps_one_line_per_document(tmp_path, run_cli, bundled_model):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tin\nmới.txt").write_text(ARTICLE, encoding="utf-8")
    (docs / "tin2.txt").write_text("Tin \u202eđảo\u202c mới\n\nCầu Ánh Sao dài 500 mét.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    assert run_cli("index", docs, "--index-dir", index_dir, "-q").returncode == 0
    listing = run_cli("documents", "--index-dir", index_dir)
    lines = listing.stdout.splitlines()
    assert len(lines) == 2 and all(len(line.split("\t")) == 4 for line in lines)
    assert "\u202e" not in listing.stdout and "\tTin đảo mới\t" in listing.stdout
    answer = run_cli("ask", "Cầu Ánh Sao dài bao nhiêu?", "--index-dir", index_dir)
    assert answer.returncode == 0 and "\u202e" not in answer.stdout


@pytest.mark.slow
def test_invalid_utf8_on_standard_input_is_an_error_line_not_dropped_bytes(tmp_path, corpus_dir, run_cli,
                                                                           bundled_model):
    index_dir = tmp_path / "index"
    assert run_cli("index", corpus_dir, "--index-dir", index_dir, "-q").returncode == 0
    result = run_cli("ask", "--index-dir", index_dir, "--json",
                     stdin="Ai là Chủ tịch UBND phường Tân Mỹ?\n".encode() + b"Ch\xff t\xe1ch?\n")
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert good["status"] == "answered" and bad == {"line": 2, "error": bad["error"]}
    assert "not valid UTF-8" in bad["error"] and result.returncode == 1


def test_terminal_text_drops_invisible_characters_and_json_escapes_them():
    from assistant.cli import json_line, shown

    assert shown("Ti\u200bêu \u202eđề\u202c\x1b[2J") == "Tiêu đề\\x1b[2J"
    assert json.loads(json_line({"text": "a\u202eb\u200bc"}))["text"] == "a\u202eb\u200bc"  # exact, as offsets count it
    assert "\u202e" not in json_line({"text": "a\u202eb"}) and "\\u202e" in json_line({"text": "a\u202eb"})


# --- reading never writes; every failure is one line ------------------------------------------------
# These run the command line on an index the fake embedder built and ask lexically, so the real
# model is never loaded.

@pytest.fixture
def watched_index(tmp_path, corpus_dir):
    """An index (fake embedder) watching `documents/`, its directory and that folder."""
    index_dir = tmp_path / "index"
    Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    return index_dir, corpus_dir


def _lexical_ask(run_cli, *args, **options):
    return run_cli("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--mode", "lexical", "--json", *args, **options)


def test_a_missing_watched_folder_is_one_line_for_index_and_no_change_for_ask(run_cli, watched_index, tree_digest):
    index_dir, folder = watched_index
    before = tree_digest(index_dir)
    folder.rename(folder.with_name("documents-moved"))
    refused = run_cli("index", "--index-dir", index_dir)
    line = refused.error_line()
    assert f"watched folder {folder.resolve()} is missing" in line and "--remove" in line
    asked = _lexical_ask(run_cli, "--index-dir", index_dir)
    assert asked.returncode == 0 and json.loads(asked.stdout)["status"] == "answered", asked.stderr
    assert run_cli("documents", "--index-dir", index_dir).stdout.count("\n") == 1
    assert tree_digest(index_dir) == before


def test_ask_on_the_default_index_while_an_indexer_holds_it_answers_from_the_live_generation(
        run_cli, watched_index, write_article, tree_digest):
    index_dir, folder = watched_index
    write_article(folder, "moi.txt", "Tin mới về cầu Bình Triệu.")  # an update is due
    default = {"ASSISTANT_INDEX_DIR": str(index_dir)}
    with Assistant(index_dir, embedder=HashingEmbedder()).index_directory.writer_lock():  # `assistant index` runs
        before = tree_digest(index_dir)
        asked = _lexical_ask(run_cli, env=default)
        assert tree_digest(index_dir) == before
    assert asked.returncode == 0 and json.loads(asked.stdout)["status"] == "answered", asked.stderr
    assert "being indexed by process" in asked.stderr and len(asked.stderr.strip().splitlines()) == 1


@pytest.fixture
def read_only(tmp_path):
    """A function making a folder read-only for everyone, root included (a read-only bind mount;
    root only, else the test is skipped: chmod does not stop root)."""
    mounted = []

    def make(folder):
        for command in (["mount", "--bind", str(folder), str(folder)],
                        ["mount", "-o", "remount,ro,bind", str(folder)]):
            if subprocess.run(command, capture_output=True).returncode != 0:
                pytest.skip("cannot bind-mount a folder read-only here (needs root)")
            mounted.append(folder)

    yield make
    for folder in mounted[:1]:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_ask_on_a_read_only_index_whose_folder_has_a_new_file_answers(run_cli, watched_index, write_article,
                                                                      read_only):
    index_dir, folder = watched_index
    write_article(folder, "moi.txt", "Tin mới về cầu Bình Triệu.")
    read_only(index_dir)
    for args, env in (([ "--index-dir", index_dir], None), ([], {"ASSISTANT_INDEX_DIR": str(index_dir)})):
        asked = _lexical_ask(run_cli, *args, env=env)
        assert asked.returncode == 0 and json.loads(asked.stdout)["status"] == "answered", asked.stderr
        assert "Traceback" not in asked.stderr and len(asked.stderr.strip().splitlines()) <= 1
    assert "is not writable" in asked.stderr


def test_a_closed_output_pipe_ends_the_command_quietly(watched_index):
    index_dir, _folder = watched_index
    title = "Tin về phường " * 16  # 300 documents of long titles: well over a pipe's 64 KiB buffer
    for number in range(300):
        (_folder / f"tin-{number}.txt").write_text(f"title: {title}{number}\n\nTin số {number} về phường.",
                                                   encoding="utf-8")
    Assistant(index_dir, embedder=HashingEmbedder()).index()
    reader = subprocess.Popen([sys.executable, "-m", "assistant", "documents", "--json", "--index-dir", str(index_dir)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert len(reader.stdout.read(20)) == 20  # `| head -c 20`
    reader.stdout.close()
    stderr = reader.stderr.read()
    assert reader.wait(timeout=60) == 141 and stderr == b""


def test_a_history_that_is_not_a_list_is_an_error_line(run_cli, watched_index):
    index_dir, _folder = watched_index
    lines = [json.dumps({"question": "Ai là Chủ tịch UBND phường Tân Mỹ?", "history": history}, ensure_ascii=False)
             for history in ("not a list", {"question": "x"}, [1, 2], ["Phường Tân Mỹ ở đâu?"])]
    result = run_cli("ask", "--index-dir", index_dir, "--mode", "lexical", stdin="\n".join(lines))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("error", "")[:20] for row in rows[:3]] == ["history must be a li", "history must be a li",
                                                               "each history item mu"]
    assert rows[0]["question"] == "Ai là Chủ tịch UBND phường Tân Mỹ?" and rows[3]["status"] == "answered"
    assert result.returncode == 1
