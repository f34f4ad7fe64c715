#!/usr/bin/env python3
"""Opens report.html in headless Chromium through the DevTools protocol and checks it as a
reader would see it, at desktop (1280 px) and phone (390 px) width:

- no console message of level error or warning, no failed or attempted network request
  (the file must work offline: any request other than the file itself fails the test);
- every indicator's figure holds one drawn <svg> with bands and median lines, of a
  non-zero rendered size, and the page is not wider than the viewport (no sideways
  scrolling of the page itself at phone width; wide tables scroll in their own box);
- full-page screenshots at both widths, in which chart colours are actually painted.

Usage: browser.py REPORT_HTML SCREENSHOT_DIR [EXPECTED_FIGURES]
Exit 0 pass, 1 fail, 77 skip (no chromium or python3-websocket).
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

try:
    import websocket  # Debian python3-websocket
except ImportError:
    print("SKIP: python3-websocket is not installed (tools/setup.sh --test installs it)")
    sys.exit(77)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    print("SKIP: chromium is not installed (tools/setup.sh --test installs it)")
    sys.exit(77)

FAILURES = []


def fail(message):
    print("FAIL:", message)
    FAILURES.append(message)


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.ws.settimeout(max(0.1, deadline - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        raise RuntimeError(f"timed out waiting for {method}")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")


def png_pixels(data):
    """Decodes an 8-bit RGB(A) non-interlaced PNG (what Chromium writes) into rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def check_width(page, name, width, height, out_dir, expected_figures):
    page.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
              deviceScaleFactor=1, mobile=width < 600)
    page.call("Page.reload", ignoreCache=True)
    page.wait_for("Page.loadEventFired")
    time.sleep(0.3)
    state = page.evaluate("""(() => {
      const figures = [...document.querySelectorAll('figure.chart')];
      const drawn = figures.filter(f => {
        const svgs = f.querySelectorAll('svg.fan');
        if (svgs.length !== 1) return false;
        const r = svgs[0].getBoundingClientRect();
        return r.width > 100 && r.height > 50 &&
               svgs[0].querySelectorAll('path.band90').length > 0 &&
               svgs[0].querySelectorAll('path.band50').length > 0 &&
               svgs[0].querySelectorAll('polyline.median').length > 0;
      });
      const fan = document.querySelector('svg.fan');
      return {figures: figures.length, drawn: drawn.length,
              svgs: document.querySelectorAll('svg.fan').length,
              scorecards: document.querySelectorAll('table.scorecard').length,
              pageWidth: document.documentElement.scrollWidth,
              viewport: window.innerWidth,
              fanWidth: fan ? fan.getBoundingClientRect().width : 0,
              fontPx: fan ? parseFloat(getComputedStyle(fan.querySelector('text')).fontSize) *
                            fan.getBoundingClientRect().width / 480 : 0};
    })()""")
    print(f"{name}: {json.dumps(state)}")
    if state["figures"] == 0:
        fail(f"{name}: no chart figure at all")
    if expected_figures is not None and state["figures"] != expected_figures:
        fail(f"{name}: {state['figures']} figures, expected {expected_figures}")
    if state["drawn"] != state["figures"] or state["svgs"] != state["figures"]:
        fail(f"{name}: {state['drawn']} of {state['figures']} charts drawn ({state['svgs']} svg)")
    if state["scorecards"] == 0:
        fail(f"{name}: no scorecard table")
    if state["pageWidth"] > state["viewport"] + 1:
        fail(f"{name}: page is {state['pageWidth']} px wide in a {state['viewport']} px viewport")
    if state["fontPx"] < 8:
        fail(f"{name}: chart labels render at {state['fontPx']:.1f} px, too small to read")

    # Two screenshots per width: the top of the page (title, how to read, scorecard) and
    # the first charts; full pages are tens of thousands of pixels tall.
    # The first chart with uncertainty (a lever's fixed path has no band to see).
    pick = "document.querySelector('svg.fan[data-uncertain]')"
    first = page.evaluate(f"""(() => {{ const r = ({pick}).closest('figure')
        .getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY]; }})()""")
    shots = {}
    for part, y, tall in (("top", 0, 1400), ("charts", max(0, int(first[1]) - 40), 1100)):
        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": y, "width": width, "height": tall, "scale": 1})
        png = base64.b64decode(shot["data"])
        path = os.path.join(out_dir, f"report-{name}-{part}.png")
        with open(path, "wb") as f:
            f.write(png)
        shots[part] = (png, y)
        print(f"{name}: screenshot {path} ({len(png)} bytes)")

    # Pixel check on the first chart with bands: lines in the palette's colours and the bands'
    # tints must be painted, not a blank or grey box.
    box = page.evaluate(f"""(() => {{ const r = ({pick}).getBoundingClientRect();
        return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }})()""")
    png, y0 = shots["charts"]
    w, h, channels, rows = png_pixels(png)
    left, top, bw, bh = (int(v) for v in box)
    top -= y0
    lines = tinted = 0
    for y in range(max(0, top), min(h, top + bh)):
        row = rows[y]
        for x in range(max(0, left), min(w, left + bw)):
            r, g, b = row[x * channels:x * channels + 3]
            spread = max(r, g, b) - min(r, g, b)
            if spread > 90:
                lines += 1  # a saturated palette colour: a median line
            elif spread > 8 and min(r, g, b) > 150:
                tinted += 1  # a light tint: a band
    print(f"{name}: first chart has {lines} line and {tinted} band pixels")
    if lines < 200:
        fail(f"{name}: the first chart's median lines are not painted ({lines} pixels)")
    if tinted < 2000:
        fail(f"{name}: the first chart's bands are not painted ({tinted} pixels)")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    report = os.path.abspath(sys.argv[1])
    out_dir = sys.argv[2]
    expected = int(sys.argv[3]) if len(sys.argv) > 3 else None
    os.makedirs(out_dir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="tamnhin-chromium-")
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
    browser = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > deadline or browser.poll() is not None:
                print(browser.stderr.read().decode(errors="replace")[-2000:])
                fail("chromium did not start")
                return 1
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.loads(
            subprocess.run(["/usr/bin/env", "python3", "-c",
                            f"import urllib.request;print(urllib.request.urlopen("
                            f"'http://127.0.0.1:{port}/json/list').read().decode())"],
                           capture_output=True, text=True, check=True).stdout)
        page_target = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page_target["webSocketDebuggerUrl"], timeout=30)
        page = Page(ws)
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", url="file://" + report)
        page.wait_for("Page.loadEventFired")
        check_width(page, "desktop-1280", 1280, 900, out_dir, expected)
        check_width(page, "phone-390", 390, 844, out_dir, expected)

        report_url = "file://" + report
        for event in page.events:
            method = event.get("method")
            params = event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning",
                                                                                "assert"):
                fail(f"console {params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                fail(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                fail(f"log {params['entry']['level']}: {params['entry'].get('text')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if url != report_url and not url.startswith("data:"):
                    fail(f"network request: {url}")
            elif method == "Network.loadingFailed":
                fail(f"loading failed: {params.get('errorText')}")
        ws.close()
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
