"""Time from a click on Submit to the verdict shown in the candidate's page (headless
Chromium), side by side with the API's POST -> GRADED for the same code in the same run.

    .venv/bin/python bench/browser_latency.py [--runs 5]

Starts the platform with deploy/local/run.py (temporary folder, own Redis and SQLite), opens
the demo invitation it prints, starts the assessment, puts the reference kmeans in the editor,
then alternates: one Submit in the browser, one submission through the API. Prints the medians
and ranges of both; the difference is what the page adds (SSE, rendering). A measurement, not
a test.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time

from api_latency import time_api_submission
from local_platform import ROOT, local_platform
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    code = (ROOT / "exercises" / "kmeans" / "solution.py").read_text()
    browser_s: list[float] = []
    api_s: list[float] = []
    with (
        local_platform(TJ_SUBMISSIONS_PER_MINUTE="1000") as (base, output),
        sync_playwright() as playwright,
    ):
        token = re.search(r"demo token\s+(\w+)", output).group(1)
        link = re.search(r"candidate\s+(\S+/a/\S+)", output).group(1)
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(300_000)
        page.goto(link)
        page.click("#start-button")
        page.wait_for_function("window.tjEditor !== undefined")
        page.evaluate(
            "code => window.tjEditor.dispatch({changes: "
            "{from: 0, to: window.tjEditor.state.doc.length, insert: code}})",
            code,
        )
        for run in range(1, options.runs + 1):
            page.evaluate("document.querySelector('#results').replaceChildren()")
            started = time.monotonic()
            page.click("#submit-button")
            page.wait_for_selector("#results #verdict")  # #results was emptied before the click
            browser_s.append(time.monotonic() - started)
            verdict = page.inner_text("#verdict")
            seconds, body = time_api_submission(base, token, "kmeans", code)
            api_s.append(seconds)
            print(
                f"run {run}: browser {browser_s[-1]:.2f} s ({verdict})   "
                f"API {seconds:.2f} s ({body['verdict']})",
                file=sys.stderr,
            )
        browser.close()
    print(f"\nreference kmeans, hidden suite, {options.runs} runs each, interleaved")
    for name, values in (
        ("Submit click -> verdict shown", browser_s),
        ("API POST -> GRADED", api_s),
    ):
        print(
            f"{name:32} median {statistics.median(values):6.2f} s   "
            f"min {min(values):6.2f} s   max {max(values):6.2f} s"
        )


if __name__ == "__main__":
    main()
