#!/usr/bin/env python3
"""How long the extension takes to mark a page of 1,000 per-fee-links in headless Chromium:
the content script's own measure (`data-micropay-mark-ms` on the root element: reading the
carriers from the DOM, the service worker's validation and decision in WebAssembly, and the
presentation of every link), over ten loads after a first one that wakes the service worker
and compiles the WebAssembly. A wallet with a budget is imported first, so that every link is
decided on, not only validated. Prints the times and the wasm bundle's size.

Usage: bench.py MICROPAY_BINARY EXTENSION_DIR   (from the repository root)
"""

import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

import e2e

LINKS = 1000


def main():
    binary, extension = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        site = tmp / "site"
        site.mkdir()
        links = "".join(e2e.link(f"item{i}", f"0.{i % 90 + 10}USD") for i in range(LINKS))
        (site / "many.html").write_text(f"<!DOCTYPE html><title>Many</title>{links}")
        e2e.run([binary, "merchant", "init", "--key", str(tmp / "m.key")])
        server = subprocess.Popen(
            [binary, "serve", str(site), "--key", str(tmp / "m.key"), "--replay",
             str(tmp / "r.db"), "--addr", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
        browser = None
        try:
            base = re.search(r"(http://127\.0\.0\.1:\d+/)", server.stderr.readline()).group(1)
            ledger = str(tmp / "w.db")
            e2e.run([binary, "wallet", "init", "--ledger", ledger])
            e2e.run([binary, "wallet", "policy", "--ledger", ledger, "--accept",
                     "https://ps.example/=USD", "--allow-http", "--budget", "1USD/86400"])
            wallet = tmp / "wallet.json"
            wallet.write_text(e2e.run([binary, "wallet", "export", "--ledger", ledger]).stdout)
            profile = tmp / "profile"
            browser = subprocess.Popen(
                [shutil.which("chromium"), "--headless=new", f"--user-data-dir={profile}",
                 "--remote-debugging-port=0", "--no-first-run", "--disable-gpu", "--no-sandbox",
                 f"--load-extension={extension}", f"--disable-extensions-except={extension}",
                 "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            port = e2e.devtools(profile)
            ext, _ = e2e.extension_id(port)
            options, _ = e2e.new_tab(port, f"chrome-extension://{ext}/options.html")
            options.wait_for("document.body.dataset.wallet === 'none'", "the options page")
            root = options.call("DOM.getDocument")["root"]["nodeId"]
            node = options.call("DOM.querySelector", nodeId=root, selector="#import-wallet")
            options.call("DOM.setFileInputFiles", files=[str(wallet)], nodeId=node["nodeId"])
            options.wait_for("document.body.dataset.wallet === 'imported'", "the import")
            tab, _ = e2e.new_tab(port, base + "many.html")
            times = []
            for _ in range(11):
                tab.call("Page.navigate", url=base + "many.html")
                time.sleep(0.2)
                ms = tab.wait_for(
                    "document.documentElement.getAttribute('data-micropay-mark-ms')", "marking")
                count = tab.evaluate(
                    "document.querySelectorAll('object[data-micropay-state]').length")
                assert count == LINKS, count
                times.append(float(ms))
                print(tab.evaluate("document.documentElement.getAttribute('data-micropay-mark-phases')"))
            times = sorted(times[1:])
            size = (extension / "wasm" / "micropay_wasm_bg.wasm").stat().st_size
            print(f"{LINKS} links marked in {times[0]:.1f}-{times[-1]:.1f} ms "
                  f"(median {times[len(times) // 2]:.1f} ms); wasm bundle {size} bytes")
        finally:
            if browser:
                browser.terminate()
                browser.wait(timeout=10)
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
