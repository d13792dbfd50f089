"""Drive headless Chromium over the built site: search, open a tactic, follow links, stay local.

Chromium and chromedriver come from Debian (`chromium`, `chromium-driver`; .ci/run installs
them). Locally the test is skipped when they are absent; in CI (CI=true) it fails instead.
Screenshots of the home page and a tactic page are written to tests/site/artifacts/.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from greentactics.catalog import load_catalog

ARTIFACTS = Path(__file__).parent / "artifacts"
TACTIC = "use-checkpoints-during-training"
SEARCH_QUERY = "checkpoints during training"
WAIT_S = 15
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
# Inactive tabs rest at opacity 0.7, the active one at 1; lower means still fading in.
TABS_SETTLED = """
const tabs = [...document.querySelectorAll('.md-tabs__link')];
return tabs.length > 0 && tabs.every(t => Number(getComputedStyle(t).opacity) >= 0.7);
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site, served on a free port of 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    reason = (
        "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser test")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium that logs every network request and console message."""
    binary, driver_path = _chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        # Belt and braces: any host but 127.0.0.1 fails to resolve (the log still records it).
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _requested_urls(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _leaves_the_machine(url: str, site_url: str) -> bool:
    """Whether a request goes over the network anywhere but to the test server.

    data:, blob:, about: and chrome:// (the browser's own start page) never touch the network.
    """
    scheme = urlsplit(url).scheme
    return scheme in NETWORK_SCHEMES and not url.startswith(site_url)


def _screenshot(driver: Any, name: str) -> Path:
    """A PNG of the whole page: the window is made as tall as the page for the shot.

    Material fades the navigation tabs in after a load or resize; wait until they are settled.
    """
    from selenium.webdriver.support.ui import WebDriverWait

    def settled() -> None:
        WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script(TABS_SETTLED))

    settled()
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    page_height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(height, page_height + 100))
    settled()
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)
    return path


def _click(driver: Any, element: Any) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


@pytest.mark.slow
def test_search_open_a_tactic_and_follow_its_links_without_leaving_localhost(
    browser: Any, site_url: str
) -> None:
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT_S)
    browser.get(site_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "greentactics"
    _screenshot(browser, "home.png")

    # Search from the header and open the tactic from the results.
    search = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input")))
    search.click()
    search.send_keys(SEARCH_QUERY)
    result = f".md-search-result__list a[href*='tactics/{TACTIC}/']"

    def open_result(driver: Any) -> bool:
        # The result list re-renders as the query is typed: a link found a moment ago may be
        # gone (stale) or covered; look it up again until one click lands.
        try:
            link = driver.find_element(By.CSS_SELECTOR, result)
            if not link.is_displayed():
                return False
            link.click()
        except (StaleElementReferenceException, ElementClickInterceptedException):
            return False
        return True

    wait.until(open_result)
    wait.until(ec.url_contains(f"/tactics/{TACTIC}/"))
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == load_catalog().get(TACTIC).name
    tactic_url = browser.current_url.split("#")[0].split("?")[0]
    browser.get(tactic_url)  # reload without the search highlighting, for the screenshot
    _screenshot(browser, "tactic.png")

    # Follow a related-tactic link.
    related = browser.find_element(
        By.XPATH, "//h2[@id='related-tactics']/following-sibling::ul[1]//a"
    )
    related_href = related.get_attribute("href")
    _click(browser, related)
    wait.until(ec.url_to_be(related_href))
    assert "/tactics/" in browser.current_url
    assert TACTIC not in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text

    # Back on the tactic page, follow a rule link to the rule's page.
    browser.back()
    wait.until(ec.url_to_be(tactic_url))
    rule = browser.find_element(
        By.XPATH, "//h2[@id='linter-rules']/following-sibling::h3[1]/a[contains(@href, 'rules/')]"
    )
    rule_href = rule.get_attribute("href")
    _click(browser, rule)
    wait.until(ec.url_to_be(rule_href))
    rule_heading = browser.find_element(By.TAG_NAME, "h1").text
    assert "(GT" in rule_heading
    assert browser.find_element(By.ID, "what-it-does")

    urls = _requested_urls(browser)
    assert any(url.endswith("search/search_index.json") for url in urls), urls
    foreign = [url for url in urls if _leaves_the_machine(url, site_url)]
    assert not foreign, f"requests left localhost: {foreign}"
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, f"console errors: {errors}"
