"""The console in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

A steward signs in with a token, opens the queue, works through three cases with the keyboard only,
and sees the queue shrink. The case page is saved as a screenshot (bench/out/, git-ignored) so a person
can look at what stewards see.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkage.console import start_console

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[2] / "bench" / "out" / "console-case.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: apt-get install chromium (CI installs it)")


@pytest.fixture
def browser_page(world) -> Iterator[tuple[object, str]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    running = start_console(world.console(), port=0)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            try:
                context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 1000})
                # Nothing may come from outside the console: fail any request to another origin.
                outside: list[str] = []
                context.route("**/*", lambda route: (
                    route.continue_() if route.request.url.startswith(running.url)
                    else (outside.append(route.request.url), route.abort())))
                page = context.new_page()
                page.set_default_timeout(10_000)
                yield page, running.url
                assert outside == [], f"the console fetched outside assets: {outside}"
            finally:
                browser.close()
    finally:
        running.stop()


def test_sign_in_and_decide_three_cases_with_the_keyboard(world, browser_page) -> None:
    page, url = browser_page
    page.goto(f"{url}/queue")
    assert page.url.endswith("/login")
    page.fill("#token", world.token("steward-lan"))
    page.click("#sign-in")
    page.wait_for_url(f"{url}/queue")
    assert page.inner_text("#queue-total") == "4"
    assert page.locator("tr.case-row").count() == 4

    page.keyboard.press("Enter")  # start: the most urgent case
    page.wait_for_url(f"{url}/cases/*")
    assert page.locator("#compare mark.mark").count() >= 2  # "Lan" / "Lân": the tone mark is highlighted
    assert "Nguyễn Thị Lân" in page.inner_text("#compare")
    assert page.locator("#weights rect").count() == 5
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    decided = []
    for _ in range(3):
        case_id = page.get_attribute("#case", "data-case")
        decided.append(case_id)
        with page.expect_navigation():
            page.keyboard.press("m")
        page.wait_for_load_state()
    assert len(set(decided)) == 3
    page.keyboard.press("q")
    page.wait_for_url(f"{url}/queue")
    assert page.inner_text("#queue-total") == "1"
    assert page.inner_text("#decided-today") == "3"
    with world.app.uow() as uow:
        assert [len(uow.reviews.decisions(c)) for c in decided] == [1, 1, 1]


def test_screenshot_dir_is_ignored_by_git() -> None:
    """The screenshot must never be committed: bench/out/ is git-ignored."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    result = subprocess.run([git, "check-ignore", "-q", str(SCREENSHOT)], cwd=SCREENSHOT.parents[2],
                            check=False)
    assert result.returncode == 0
