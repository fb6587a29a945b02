#!/usr/bin/env python3
"""The extension end to end: headless Chromium with the unpacked extension loaded, against
`micropay serve` on the loopback interface, driven over the DevTools protocol.

1. A wallet made by the CLI (`wallet init`, `wallet policy`, `wallet export`) is imported through
   the options page's file input `import-wallet`.
2. A page with a valid link, an invalid one and one over the budget shows the three states.
3. A trusted click on the valid link pays, records the spend, stores the receipt and opens the
   content; back on the page the link is `paid`, and a second click within `duration` opens the
   content again paying nothing (one spend, the merchant saw one token).
4. Two tabs click at once on two links when the budget has room for one: one pays.
5. A page script's synthetic click pays nothing.
Screenshots before and after go to OUT (default target/extension-e2e/).

Usage: e2e.py MICROPAY_BINARY EXTENSION_DIR [OUT]   (from the repository root)
Only the standard library: the WebSocket client of the DevTools protocol is below.
Exit 0 when every check holds, 1 when one fails, 2 when it cannot run.
"""

import base64
import json
import os
import pathlib
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

TIMEOUT = 30.0


class WebSocket:
    """A minimal RFC 6455 client: text frames, masked, as the DevTools protocol needs."""

    def __init__(self, url):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {m.group(3)} HTTP/1.1\r\nHost: {m.group(1)}:{m.group(2)}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise OSError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise OSError(f"websocket handshake refused: {head!r}")
        self.buffer = b""

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("websocket closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:  # ping
                continue
            if opcode == 0x8:
                raise OSError("websocket closed by the browser")
            message += payload
            if b0 & 0x80:
                return message.decode()


class Session:
    """One DevTools target (a page or the service worker)."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None
            if value:
                return value
            time.sleep(0.1)
        try:
            seen = self.evaluate(f"[location.href, {STATES}, document.body && document.body.innerText.slice(0, 300)]")
        except RuntimeError as e:
            seen = str(e)
        raise AssertionError(f"timed out waiting for {what}; the tab shows {str(seen)[:600]}")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        pathlib.Path(path).write_bytes(base64.b64decode(data))

    def click_at(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def link(name, price, extra=""):
    return f"""<p><object type="application/x-micropayment" id="{name}">
  <param name="price" value="{price}">
  <param name="textlink" value="The {name} story">
  <param name="title" value="The {name} story">
  <param name="requesturl" value="{name}.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="merchantname" value="Loopback News">
  <param name="duration" value="3600">{extra}
  <a href="{name}.html">The {name} story</a></object></p>
"""


def write_site(site):
    site.mkdir()
    (site / "index.html").write_text(
        "<!DOCTYPE html><title>Three links</title><h1>Today</h1>"
        + link("valid", "0.10USD") + link("invalid", "0.10 USD") + link("dear", "2USD"))
    (site / "race-a.html").write_text("<!DOCTYPE html><title>A</title>" + link("left", "0.60USD"))
    (site / "race-b.html").write_text("<!DOCTYPE html><title>B</title>" + link("right", "0.60USD"))
    for name in ("valid", "invalid", "dear", "left", "right"):
        (site / f"{name}.html").write_text(
            f"<!DOCTYPE html><title>{name}</title><p id=content>The {name} story, paid for.</p>")


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, extension = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    out = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else "target/extension-e2e").resolve()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not (extension / "manifest.json").exists():
        print("e2e: needs chromium and the built extension (scripts/build-extension.sh)",
              file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        site = tmp / "site"
        write_site(site)
        run([binary, "merchant", "init", "--key", str(tmp / "merchant.key")])
        server = subprocess.Popen(
            [binary, "serve", str(site), "--key", str(tmp / "merchant.key"),
             "--replay", str(tmp / "replay.db"), "--addr", "127.0.0.1:0"],
            stderr=subprocess.PIPE, text=True)
        browser = None
        try:
            line = server.stderr.readline()
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+/)", line)
            if not m:
                raise AssertionError(f"micropay serve did not start: {line}")
            base = m.group(1)
            ledger = str(tmp / "wallet.db")
            run([binary, "wallet", "init", "--ledger", ledger])
            run([binary, "wallet", "policy", "--ledger", ledger, "--accept",
                 "https://ps.example/=USD", "--allow-http", "--budget", "1USD/86400"])
            wallet_file = tmp / "wallet.json"
            wallet_file.write_text(run([binary, "wallet", "export", "--ledger", ledger]).stdout)

            profile = tmp / "profile"
            browser = subprocess.Popen(
                [chromium, "--headless=new", f"--user-data-dir={profile}",
                 "--remote-debugging-port=0", "--no-first-run", "--no-default-browser-check",
                 "--disable-gpu", "--no-sandbox", "--window-size=1000,700",
                 f"--load-extension={extension}", f"--disable-extensions-except={extension}",
                 "about:blank"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            checks(profile, base, wallet_file, out)
            server_log = []
        finally:
            if browser:
                browser.terminate()
                browser.wait(timeout=10)
            server.terminate()
            _, rest = server.communicate(timeout=10)
            server_log = rest.splitlines()
        paid = [l for l in server_log if re.search(r" 200 paid$", l)]
        assert len(paid) == 2, f"the merchant accepted {len(paid)} tokens, not 2: {server_log}"
    print(f"e2e: every check holds; screenshots in {out}")
    return 0


def devtools(profile):
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + TIMEOUT
    while not port_file.exists() or not port_file.read_text().strip():
        if time.monotonic() > deadline:
            raise AssertionError("Chromium did not open its DevTools port")
        time.sleep(0.1)
    return int(port_file.read_text().split()[0])


def targets(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as r:
        return json.load(r)


def new_tab(port, url):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?{url}", method="PUT")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as r:
        target = json.load(r)
    session = Session(target["webSocketDebuggerUrl"])
    session.call("Page.enable")
    session.call("Runtime.enable")
    return session, target["id"]


def extension_id(port):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for t in targets(port):
            m = re.match(r"chrome-extension://([a-p]{32})/background\.js", t.get("url", ""))
            if m and t.get("type") == "service_worker":
                return m.group(1), t["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise AssertionError("the extension's service worker did not start")


STATES = """[...document.querySelectorAll('object')].map(o =>
  [o.id, o.getAttribute('data-micropay-state'), o.getAttribute('data-micropay-reason')])"""


def marked(tab, count):
    return tab.wait_for(
        f"(() => {{ const s = {STATES}; return s.filter(x => x[1]).length === {count} && s; }})()",
        f"{count} marked links")


def centre_of_presentation(tab, object_id):
    rect = tab.evaluate(f"""(() => {{ const host = document.getElementById('{object_id}')
      .nextElementSibling; const r = host.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
    return rect


def spends(worker):
    return worker.evaluate(
        "chrome.storage.local.get('wallet').then(w => JSON.parse(w.wallet).history.length)")


def checks(profile, base, wallet_file, out):
    port = devtools(profile)
    ext, worker_url = extension_id(port)
    worker = Session(worker_url)

    # 1. Import the CLI's export through the options page.
    options, _ = new_tab(port, f"chrome-extension://{ext}/options.html")
    options.wait_for("document.body.dataset.wallet === 'none'", "the options page")
    document = options.call("DOM.getDocument")
    node = options.call("DOM.querySelector", nodeId=document["root"]["nodeId"],
                        selector="#import-wallet")
    options.call("DOM.setFileInputFiles", files=[str(wallet_file)], nodeId=node["nodeId"])
    options.wait_for("document.body.dataset.wallet === 'imported'", "the import")
    assert spends(worker) == 0

    # 2. Three links, three states.
    # The page at its own URL: the merchant's offers name the document URL of each page
    # (index.html), and the wallet signs the URL the browser shows.
    page = base + "index.html"
    tab, _ = new_tab(port, page)
    states = marked(tab, 3)
    assert states == [["valid", "payable", None], ["invalid", "invalid", "invalid-price"],
                      ["dear", "refused", "over-budget"]], states
    ms = float(tab.evaluate("document.documentElement.getAttribute('data-micropay-mark-ms')"))
    tab.screenshot(out / "1-page-before.png")

    # 5. A page's own synthetic click pays nothing (the presentation's shadow root is closed).
    tab.evaluate("""document.getElementById('valid').nextElementSibling.click();
      document.getElementById('valid').nextElementSibling.dispatchEvent(
        new MouseEvent('click', {bubbles: true, composed: true}))""")
    time.sleep(1)
    assert spends(worker) == 0, "a synthetic click paid"

    # 3. A trusted click pays and opens the content; a second one within duration pays nothing.
    tab.click_at(*centre_of_presentation(tab, "valid"))
    tab.wait_for(f"location.href === '{base}valid.html' && !!document.getElementById('content')",
                 "the bought content")
    tab.screenshot(out / "2-content-after-paying.png")
    assert spends(worker) == 1
    tab.call("Page.navigate", url=page)
    states = marked(tab, 3)
    assert states[0] == ["valid", "paid", "receipt"], states
    tab.screenshot(out / "3-page-after.png")
    tab.click_at(*centre_of_presentation(tab, "valid"))
    tab.wait_for(f"location.href === '{base}valid.html' && !!document.getElementById('content')",
                 "the content again")
    assert spends(worker) == 1, "paid twice within duration"

    # 4. Two tabs at once, room for one (0.10 spent of 1 USD; each asks 0.60).
    left, _ = new_tab(port, base + "race-a.html")
    right, _ = new_tab(port, base + "race-b.html")
    assert marked(left, 1)[0][1] == "payable" and marked(right, 1)[0][1] == "payable"
    a, b = centre_of_presentation(left, "left"), centre_of_presentation(right, "right")
    left.click_at(*a)
    right.click_at(*b)
    deadline = time.monotonic() + TIMEOUT
    outcomes = []
    while time.monotonic() < deadline:
        outcomes = []
        for t, name in ((left, "left"), (right, "right")):
            try:
                outcomes.append(t.evaluate(
                    f"document.getElementById('content') ? 'paid' : "
                    f"(document.getElementById('{name}') || {{}}).getAttribute?.('data-micropay-reason')"))
            except RuntimeError:
                outcomes.append(None)
        if sorted(map(str, outcomes)) == ["over-budget", "paid"]:
            break
        time.sleep(0.2)
    assert sorted(map(str, outcomes)) == ["over-budget", "paid"], outcomes
    left.screenshot(out / "4-race-left.png")
    right.screenshot(out / "4-race-right.png")
    assert spends(worker) == 2, "two tabs overspent"
    (out / "mark-ms.txt").write_text(f"{ms}\n")
    print(f"e2e: marking three links took {ms} ms")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print(f"e2e: FAILED: {e}", file=sys.stderr)
        if isinstance(e, subprocess.CalledProcessError):
            print(e.stderr, file=sys.stderr)
        sys.exit(1)
