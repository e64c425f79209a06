"""The chat page in a real browser (Playwright driving Debian's Chromium): logging in as a reader
and as an editor, what each may see and do, the answered / related / not-found states on a desktop
and a phone screen with the answer's first line in view and no English word on the page, uploads
with a title and date, and axe-core's accessibility rules.

Screenshots go to a temporary folder (`VA_SCREENSHOTS=DIR` keeps them in DIR). axe-core is
installed from npm into .cache/axe-core on first use; without npm that test is skipped, saying so.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ui.auth import Access

from .conftest import EDITOR_LOGIN, READER_LOGIN

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update"]
AXE_VERSION = "4.14.1"
AXE_SCRIPT = ROOT / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
STATES = [("answered", "Ai là Chủ tịch UBND phường Tân Mỹ?", "Nguyễn Thị Bé Ngoan"),
          ("related", "Dân số phường Phú Thuận là bao nhiêu?", "Chưa chắc chắn"),
          ("not_found", "Giá vàng SJC hôm nay là bao nhiêu?", "Không tìm thấy")]
SEED_ID = "000_dbd6872183af7f42"
BRIDGE_ARTICLE = "Cầu Ánh Sao dài 500 mét, nối hai bờ kênh ở quận 7.\n\nCây cầu được khánh thành vào cuối tuần.\n"

# A Vietnamese syllable written without its accents: onset, vowels, final consonant. A word of
# Latin letters that is none (and no acronym) is taken for English: "Drop", "File", "Upload",
# "Click", "Loading", "Built", "with", "Settings", "queue" all fail it; Vietnamese words pass.
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?")
# File types and sizes the page names itself.
ALLOWED = {"txt", "md", "mb"}


def english_words(text: str) -> list[str]:
    """The words of `text` that cannot be Vietnamese (acronyms, numbers and ids aside)."""
    from assistant.text.normalize import fold

    found = []
    for token in text.split():
        if any(character.isdigit() for character in token):
            continue  # dates, amounts, document ids
        for word in re.findall(r"[^\W\d_]+", token):
            if word.isupper() or word.lower() in ALLOWED:
                continue
            if not _SYLLABLE.fullmatch(fold(word).lower().replace("đ", "d")):
                found.append(word)
    return found


def shown_text(page) -> str:
    """What the page shows or reads out: its visible text, labels, titles and placeholders."""
    return page.evaluate("""() => [document.body.innerText,
        ...Array.from(document.querySelectorAll('[aria-label],[title],[placeholder],[alt]'))
           .filter(e => e.getClientRects().length)
           .flatMap(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''))
        ].join('\\n')""")


def assert_vietnamese(page, names: tuple[str, ...] = ()) -> None:
    """No English word on the page; `names` are file names the user chose, shown as they are."""
    assert [word for word in english_words(shown_text(page)) if word not in names] == []


def test_english_words_are_told_from_vietnamese():
    assert english_words("Drop File Here - or - Click to Upload") == ["Drop", "File", "Here", "or", "Click", "Upload"]
    assert english_words("Built with Gradio · Use via API · Settings") == ["Built", "with", "Gradio", "Use", "Settings"]
    assert english_words("Nguyễn Thị Bé Ngoan, Chủ tịch UBND phường Tân Mỹ, 12.000 m² (.txt hoặc .md, 2 MB) "
                         "000_dbd6872183af7f42 khuya trưởng nghiêng quyền") == []


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("VA_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser script, installed with npm into .cache/axe-core once."""
    if not AXE_SCRIPT.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("the accessibility check needs npm to install axe-core (apt-get install npm)")
        prefix = AXE_SCRIPT.parents[2]
        prefix.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run([npm, "install", "--prefix", str(prefix), f"axe-core@{AXE_VERSION}", "--no-audit",
                                    "--no-fund", "--silent"], capture_output=True, text=True, timeout=300)
        if installed.returncode != 0 or not AXE_SCRIPT.is_file():
            pytest.skip(f"npm could not install axe-core@{AXE_VERSION}: {installed.stderr.strip()[-300:]}")
    return AXE_SCRIPT


def log_in(browser, server, login, screen="desktop"):
    """A new page logged in as `login` (name, password) through the login page."""
    context = browser.new_context(viewport=SCREENS[screen], locale="en-US")
    page = context.new_page()
    page.goto(server.local_url)
    assert page.url.endswith("/login?next=/")
    assert_vietnamese(page)
    page.get_by_label("Tên đăng nhập").fill(login[0])
    page.get_by_label("Mật khẩu").fill(login[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator("#question textarea").wait_for(timeout=30_000)
    return page


def ask(page, question: str, status: str, expected: str):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    answer = page.locator(f"#chat .va-status-{status}").last
    expect(answer).to_contain_text(expected, timeout=20_000)


FIRST_LINE_IN_VIEW = """() => {
    const answer = [...document.querySelectorAll('#chat .va-answer')].pop();
    const first = answer && (answer.querySelector('p') || answer);
    if (!first) return false;
    const line = first.getClientRects()[0] || first.getBoundingClientRect();
    return line.top >= 0 && Math.min(line.bottom, line.top + 40) <= window.innerHeight;
}"""


def first_line_in_view(page) -> bool:
    """Whether the last answer's first line is within the window (waiting a little for the scroll)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(FIRST_LINE_IN_VIEW, timeout=5_000)
    except PlaywrightTimeout:
        return False
    return True


@pytest.mark.parametrize("screen", SCREENS)
def test_a_reader_sees_every_state_in_vietnamese_with_the_answer_in_view(chromium, serve, users_file, screenshots,
                                                                         screen):
    from playwright.sync_api import expect

    server = serve(Access(users_file))
    page = log_in(chromium, server, READER_LOGIN, screen)
    expect(page.locator("#user")).to_contain_text("Đang đăng nhập: minh (bạn đọc)")
    for status, question, expected in STATES:
        ask(page, question, status, expected)
        assert first_line_in_view(page), f"{status} on the {screen}: the answer's first line is out of view"
        page.screenshot(path=str(screenshots / f"{status}-{screen}.png"))
        assert_vietnamese(page)
    assert page.locator("#chat .va-status-answered .va-passage mark:not(.va-light)").count() == 1  # the quotation only
    assert page.locator("#chat .va-status-not_found .va-citation").count() == 0
    page.context.close()
    for status, _question, _expected in STATES:
        assert (screenshots / f"{status}-{screen}.png").stat().st_size > 10_000


def test_a_reader_has_no_upload_or_remove_controls_and_the_server_refuses_their_removal(chromium, serve, users_file):
    server = serve(Access(users_file))
    page = log_in(chromium, server, READER_LOGIN)
    page.get_by_role("tab", name="Tài liệu").click()
    page.locator("#documents").get_by_text("Tổ công tác số 5").wait_for()
    for control in ("#upload", "#add", "#remove", "#remove-choice"):
        assert page.locator(control).count() == 0 or not page.locator(control).is_visible()
    assert_vietnamese(page)
    refused = page.request.delete(server.local_url + f"api/v1/documents/{SEED_ID}")  # with the reader's session
    assert refused.status == 403 and "bạn đọc" in refused.json()["error"]
    assert page.request.get(server.local_url + "api/v1/documents").json()[0]["id"] == SEED_ID
    page.context.close()


def test_an_editor_uploads_with_title_and_date_and_sees_the_projects_refusals(chromium, serve, users_file, tmp_path):
    from playwright.sync_api import expect

    article, wrong, huge = tmp_path / "cau-anh-sao.txt", tmp_path / "ghichu.docx", tmp_path / "lon.txt"
    article.write_text(BRIDGE_ARTICLE, encoding="utf-8")
    wrong.write_bytes(b"PK\x03\x04 not an article")
    huge.write_bytes(b"a" * 11_000_000)  # over Gradio's own limit too
    server = serve(Access(users_file))
    page = log_in(chromium, server, EDITOR_LOGIN)
    page.get_by_role("tab", name="Tài liệu").click()
    page.locator("#upload input[type=file]").set_input_files(str(wrong))
    page.locator("#add").click()
    expect(page.locator("#status")).to_contain_text("ghichu.docx: chỉ nhận tệp .txt hoặc .md", timeout=20_000)
    assert_vietnamese(page, names=("ghichu", "docx"))
    page.locator("#upload input[type=file]").set_input_files(str(huge))
    expect(page.get_by_text("lon.txt vượt giới hạn 2 MB").first).to_be_visible(timeout=20_000)
    assert_vietnamese(page, names=("ghichu", "docx"))
    page.locator("#upload input[type=file]").set_input_files(str(article))
    page.get_by_label("Tiêu đề (không bắt buộc)").fill("Cầu Ánh Sao khánh thành")
    page.get_by_label("Ngày đăng (không bắt buộc, ví dụ 24/10/2025)").fill("2/11/2025")
    assert_vietnamese(page, names=("ghichu", "docx", "cau", "anh", "sao"))  # with a file chosen
    page.locator("#add").click()
    expect(page.locator("#status")).to_contain_text("Đã thêm", timeout=20_000)
    expect(page.locator("#documents")).to_contain_text("Cầu Ánh Sao khánh thành")
    expect(page.locator("#documents")).to_contain_text("02/11/2025")
    page.context.close()


def test_chat_and_documents_pass_axe_with_no_serious_or_critical_violation(chromium, serve, users_file, axe_script):
    server = serve(Access(users_file))
    page = log_in(chromium, server, EDITOR_LOGIN)
    violations = {"login": [], "chat": [], "documents": []}
    for status, question, expected in STATES:
        ask(page, question, status, expected)
    page.add_script_tag(path=str(axe_script))
    violations["chat"] = serious_violations(page)
    page.get_by_role("tab", name="Tài liệu").click()
    page.locator("#upload").wait_for()
    violations["documents"] = serious_violations(page)
    page.goto(server.local_url + "logout")
    page.add_script_tag(path=str(axe_script))
    violations["login"] = serious_violations(page)
    page.context.close()
    assert violations == {"login": [], "chat": [], "documents": []}


def serious_violations(page) -> list[str]:
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['target']}"
            for violation in results["violations"] if violation["impact"] in ("serious", "critical")]
