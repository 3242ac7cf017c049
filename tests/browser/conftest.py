"""Browser tests drive Debian's Chromium through Playwright; never a downloaded browser.

Without /usr/bin/chromium the tests are skipped, and the run says so in its summary.
"""

import os
from pathlib import Path

import pytest

from .seeding import reseed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = (
    f"浏览器测试已跳过：未找到 {CHROMIUM}（以 root 运行 `make browser` 或 `apt-get install -y chromium` 安装后即可运行）"
)


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{SKIP_REASON}；共 {len(skipped)} 项", yellow=True, bold=True)


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        print(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    # Playwright's sync API runs an event loop in this thread; Django's ORM must be allowed here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    path = Path(os.environ.get("JIANGUAN_SCREENSHOT_DIR", "/tmp"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _seeded(request):
    """Every test with the live server starts from what the migrations seeded, whatever ran before it."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        reseed()
