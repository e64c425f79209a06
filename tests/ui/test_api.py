"""The JSON API (`ui/api.py`) over real HTTP on 127.0.0.1 with httpx: the same answers as
`assistant ask --json`, documents listed, added and removed by editors only, HTTP Basic (401
without, 403 for a reader's write), every error one Vietnamese line, the OpenAPI description."""

import httpx
import pytest

from ui.auth import Access

from .conftest import EDITOR_LOGIN, READER_LOGIN

pytestmark = pytest.mark.slow

QUESTION = "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
SEED_ID = "000_dbd6872183af7f42"
ARTICLE = "Cầu Ánh Sao dài 500 mét, nối hai bờ kênh ở quận 7.\n\nCây cầu được khánh thành vào cuối tuần.\n"


def client(server, login=None) -> httpx.Client:
    return httpx.Client(base_url=server.local_url + "api/v1/", auth=login, timeout=30)


def assert_error(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and words in body["error"] and "\n" not in body["error"]


def test_ask_returns_the_object_of_ask_json_without_server_paths(served_with_logins, lexical_assistant):
    with client(served_with_logins, READER_LOGIN) as api:
        response = api.post("ask", json={"question": QUESTION, "k": 3})
    assert response.status_code == 200
    expected = lexical_assistant.ask(QUESTION, k=3).to_dict(include_paths=False)
    assert response.json() == expected
    assert response.json()["status"] == "answered" and response.json()["passages"][0]["paragraph"] == 9


def test_ask_follows_a_conversation(served):
    with client(served) as api:
        first = api.post("ask", json={"question": "Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?"}).json()
        follow = api.post("ask", json={"question": "Còn phường Tân Mỹ thì sao?",
                                       "history": [{"question": first["question"], "answer": first}]}).json()
    assert follow["rewritten_question"] == QUESTION


def test_search_and_documents(served_with_logins):
    with client(served_with_logins, READER_LOGIN) as api:
        found = api.get("search", params={"q": "trụ sở phường Tân Mỹ", "k": 2}).json()
        documents = api.get("documents").json()
    assert found["question"] == "trụ sở phường Tân Mỹ" and len(found["passages"]) == 2
    assert {"rank", "text", "score", "document", "paragraph", "start", "end", "highlights"} == set(found["passages"][0])
    assert "path" not in found["passages"][0]["document"]
    assert documents == [{"id": SEED_ID, "title": "Tổ công tác số 5 làm việc với phường Phú Thuận và phường Tân Mỹ",
                          "date": "2025-10-24", "characters": 3491, "encoding": "utf-8"}]


def test_an_editor_adds_an_article_with_title_and_date_then_removes_it(served_with_logins):
    with client(served_with_logins, EDITOR_LOGIN) as api:
        added = api.post("documents", files={"file": ("cau-anh-sao.txt", ARTICLE.encode())},
                         data={"title": "Cầu Ánh Sao", "date": "02/11/2025"})
        assert added.status_code == 201, added.text
        assert added.json()["documents"] == [{"id": "cau-anh-sao", "title": "Cầu Ánh Sao", "date": "2025-11-02",
                                              "characters": len(ARTICLE.strip()), "encoding": "utf-8"}]
        answer = api.post("ask", json={"question": "Cầu Ánh Sao dài bao nhiêu mét?"}).json()
        assert answer["passages"][0]["document"]["id"] == "cau-anh-sao"
        removed = api.delete("documents/cau-anh-sao")
        assert removed.status_code == 200 and removed.json()["removed"] == "cau-anh-sao"
        assert_error(api.delete("documents/cau-anh-sao"), 404, "Không có tài liệu cau-anh-sao")


def test_logins_and_roles_are_enforced_on_every_route(served_with_logins):
    with client(served_with_logins) as anonymous:
        for method, path in [("POST", "ask"), ("GET", "search?q=x"), ("GET", "documents"), ("POST", "documents"),
                             ("DELETE", f"documents/{SEED_ID}")]:
            response = anonymous.request(method, path)
            assert_error(response, 401, "Cần đăng nhập")
            assert response.headers["www-authenticate"].startswith("Basic")
    with client(served_with_logins, ("lan", "sai mật khẩu")) as wrong:
        assert_error(wrong.get("documents"), 401, "Tên đăng nhập hoặc mật khẩu không đúng.")
    with client(served_with_logins, READER_LOGIN) as reader:
        assert_error(reader.delete(f"documents/{SEED_ID}"), 403, "Tài khoản minh là bạn đọc")
        assert_error(reader.post("documents", files={"file": ("a.txt", ARTICLE.encode())}), 403, "biên tập viên")
        assert [document["id"] for document in reader.get("documents").json()] == [SEED_ID]


def test_read_only_refuses_every_write(serve):
    with client(serve(Access(read_only=True))) as api:
        assert api.post("ask", json={"question": QUESTION}).json()["status"] == "answered"
        assert_error(api.delete(f"documents/{SEED_ID}"), 403, "chế độ chỉ đọc")


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), [
    ("POST", "ask", {"question": "   "}, 400, "Câu hỏi trống"),
    ("POST", "ask", {}, 422, "“question” thiếu"),
    ("POST", "ask", {"question": QUESTION, "k": 0}, 422, "“k” nhỏ quá (giới hạn 1)"),
    ("POST", "ask", {"question": QUESTION, "k": "năm"}, 422, "“k” cần là số nguyên"),
    ("POST", "ask", {"question": 5}, 422, "“question” cần là chuỗi văn bản"),
    ("GET", "search", None, 422, "“q” thiếu"),
    ("GET", "nowhere", None, 404, "API không có GET /api/v1/nowhere"),
])
def test_malformed_requests_get_one_vietnamese_line(served, method, path, body, status, words):
    with client(served) as api:
        assert_error(api.request(method, path, json=body), status, words)


@pytest.mark.parametrize(("name", "content", "status", "words"), [
    ("ghichu.docx", b"PK\x03\x04", 400, "ghichu.docx: chỉ nhận tệp .txt hoặc .md, không nhận .docx"),
    ("lon.txt", b"a" * 2_000_001, 413, "2.000.001 byte, vượt giới hạn 2.000.000 byte"),
    ("rong.txt", b"", 400, "Không thêm được tài liệu: rong.txt: tệp không có nội dung"),
])
def test_refused_uploads_say_why_and_keep_nothing(served, tmp_path, name, content, status, words):
    with client(served) as api:
        assert_error(api.post("documents", files={"file": (name, content)}), status, words)
        assert [document["id"] for document in api.get("documents").json()] == [SEED_ID]
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_openapi_describes_every_route_and_basic_auth(served):
    description = httpx.get(served.local_url + "api/v1/openapi.json", timeout=30).json()
    assert set(description["paths"]) == {"/api/v1/ask", "/api/v1/search", "/api/v1/documents",
                                         "/api/v1/documents/{document_id}"}
    assert set(description["paths"]["/api/v1/documents"]) == {"get", "post"}
    assert description["components"]["securitySchemes"]["HTTPBasic"]["scheme"] == "basic"
