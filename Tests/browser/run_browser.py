"""Drives the run browser (alphalab serve) in headless Chromium, as an analyst would.

    python run_browser.py BASE_URL SCREENSHOT_DIR

The store behind BASE_URL holds the runs RunBrowserTests saves: momentum_5, momentum_10
(they differ in top_n only), momentum_weekly and a run named <script>alert(1)</script>
whose config excludes a ticker called '"><img src=x onerror=...>'. Prints one line per
check and exits 1 at the first that fails.
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, shots = sys.argv[1], sys.argv[2]
os.makedirs(shots, exist_ok=True)
options = Options()
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1800"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check(condition, message):
    if not condition:
        print("FAIL: " + message, flush=True)
        driver.save_screenshot(os.path.join(shots, "failure.png"))
        driver.quit()
        sys.exit(1)
    print("ok: " + message, flush=True)


def eventually(condition, timeout=30):
    """The condition's value once it holds, polled for up to `timeout` seconds: a click
    that navigates returns before the new page is there when the machine is loaded."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # the old page's elements go stale while the new one loads
            value = False
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def shot(name):
    # The whole page: as tall as its content.
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, max(900, min(height + 100, 8000)))
    driver.save_screenshot(os.path.join(shots, name + ".png"))


def rows(table):
    return driver.find_elements(By.CSS_SELECTOR, "#" + table + " tbody tr")


def no_script_ran():
    return driver.execute_script("return window.__pwned === undefined") and driver.title != "pwned"


try:
    driver.get(base + "/")
    check(driver.title.startswith("Runs"), "the runs page opens: " + driver.title)
    check(len(rows("runs")) == 4, "it lists the 4 runs: %d" % len(rows("runs")))
    table = driver.find_element(By.ID, "runs").text
    check("<script>alert(1)</script>" in table, "a run named <script>alert(1)</script> shows as text")
    check(no_script_ran(), "and runs nothing")
    check("(4)" in table or "(3)" in table, "deflated Sharpe ratios carry their trial counts")
    shot("runs")

    driver.find_element(By.CSS_SELECTOR, "#filters input[name=name]").send_keys("momentum_")
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    check(eventually(lambda: "name=momentum_" in driver.current_url), "the filter is in the URL: " + driver.current_url)
    eventually(lambda: len(rows("runs")) == 3)
    names = [r.find_elements(By.TAG_NAME, "td")[2].text for r in rows("runs")]
    check(sorted(names) == ["momentum_10", "momentum_5", "momentum_weekly"], "the filter keeps the momentum runs: %s" % names)

    driver.find_element(By.LINK_TEXT, "Sharpe").click()
    check(eventually(lambda: "sort=sharpe" in driver.current_url and "name=momentum_" in driver.current_url),
          "sorting keeps the filter: " + driver.current_url)
    shot("runs-filtered")

    boxes = {r.find_elements(By.TAG_NAME, "td")[2].text: r.find_element(By.CSS_SELECTOR, "input[name=runs]") for r in rows("runs")}
    button = driver.find_element(By.ID, "compare-button")
    check(not button.is_enabled(), "compare waits for two runs")
    boxes["momentum_5"].click()
    boxes["momentum_10"].click()
    check(eventually(button.is_enabled), "two runs selected: " + button.text)
    button.click()
    check(eventually(lambda: "/compare?runs=" in driver.current_url and rows("config-diff")), "the comparison has its URL: " + driver.current_url)
    fields = [r.find_element(By.TAG_NAME, "td").text for r in rows("config-diff")]
    check(fields == ["top_n"], "only the differing config field shows: %s" % fields)
    chart = driver.find_element(By.CSS_SELECTOR, "#curves svg")
    curves = [p.find_element(By.TAG_NAME, "title").get_attribute("textContent") for p in chart.find_elements(By.TAG_NAME, "polyline")]
    runs = [c for c in curves if c != "SPY"]
    check(len(runs) == 2 and all("momentum_" in c for c in runs), "the overlaid equity chart has two run curves (and SPY): %s" % curves)
    check(len(rows("years")) >= 2, "yearly returns side by side")
    shot("compare")
    driver.find_element(By.ID, "toggle-fields").click()
    check(eventually(lambda: len(rows("config-diff")) > 30), "the switch shows every field: %d" % len(rows("config-diff")))
    check(eventually(lambda: "all=1" in driver.current_url), "and is in the URL")

    driver.get(base + "/")
    evil = [r for r in rows("runs") if "<script>" in r.text][0]
    evil.find_element(By.TAG_NAME, "a").click()
    check(eventually(lambda: "/runs/" in driver.current_url and driver.find_elements(By.ID, "config")), "a run page opens: " + driver.current_url)
    config = driver.find_element(By.ID, "config").text
    check('"><img src=x onerror=' in config, "the config's payload shows as text")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#config img")) == 0 and no_script_ran(), "and no element or script came of it")
    check("alphalab rerun" in driver.find_element(By.TAG_NAME, "pre").text, "the run page gives the rerun command")
    shot("run")
    driver.find_element(By.ID, "report-link").click()
    check(eventually(lambda: len(driver.find_elements(By.TAG_NAME, "svg")) >= 3), "its report opens with its charts")
    shot("report")

    driver.get(base + "/trials")
    families = rows("families")
    check(len(families) >= 1, "the trials page lists the families: %d" % len(families))
    families[0].find_element(By.TAG_NAME, "a").click()
    check(eventually(lambda: "Best:" in driver.find_element(By.ID, "best").text), "a family shows its best raw and deflated Sharpe")
    shot("trials")

    driver.get(base + "/runs/99999")
    check("no run with id 99999" in driver.find_element(By.TAG_NAME, "body").text, "an unknown run is a page that says so")
    driver.get(base + "/compare?runs=1,abc")
    check("must list run ids" in driver.find_element(By.TAG_NAME, "body").text, "a malformed query is a page that says so")
    shot("bad-request")

    # Every page at a desktop and a narrow width: nothing wider than the window, except
    # inside a box that scrolls on its own (a wide table, a script's text).
    overflowing = """
        var width = document.documentElement.clientWidth, found = [];
        document.querySelectorAll('body *').forEach(function (e) {
          var r = e.getBoundingClientRect();
          if (r.width === 0 || r.right <= width + 1) return;
          for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            var o = getComputedStyle(a).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return;
          }
          found.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(r.right) + 'px');
        });
        return [document.documentElement.scrollWidth, width, found.slice(0, 5)];
    """
    driver.get(base + "/trials")
    family = driver.find_elements(By.CSS_SELECTOR, "#families tbody tr a")[0].get_attribute("href")
    pages = {"runs": "/", "runs-sorted": "/?sort=sharpe&dir=asc", "run": "/runs/1", "run-weekly": "/runs/3",
             "report": "/runs/1/report", "compare-4": "/compare?runs=1,2,3,4&all=1", "trials": "/trials",
             "family": family.replace(base, ""), "not-found": "/runs/99999"}
    for width in (1400, 900):
        for name, path in pages.items():
            driver.set_window_size(width, 1000)
            driver.get(base + path)
            scroll, client, found = driver.execute_script(overflowing)
            check(scroll <= client and not found, "%s at %d px fits: page %d of %d px wide, too wide: %s" % (path, width, scroll, client, found))
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(width, max(900, min(height + 100, 8000)))
            driver.save_screenshot(os.path.join(shots, "%s-%d.png" % (name, width)))
finally:
    driver.quit()
print("all checks passed")
