#!/usr/bin/env python3
"""The web page in a real browser (Debian's Chromium driven by Playwright, no browser download).

Starts `resume-ssh serve --http 127.0.0.1:0`, then at 390x844 (a phone) and 1366x900 (a laptop),
light and dark: every line of `resume-ssh export plain` is in the page's visible text, the page
does not scroll sideways, nothing is logged to the console (CSP violations included), no request
leaves the server, and the copy button copies the ssh command. Screenshots go to target/web-*.png.

The live terminal (/terminal, xterm.js over a WebSocket) at both sizes: the name is on the screen
within 5 s (in the DOM: screen-reader mode), c copies the e-mail into the browser's clipboard
(OSC 52), the right arrow switches to the next section, a click (a tap on the phone) on a tab
switches to it, a new
viewport size changes the terminal's columns and rows and the server redraws at the new width, and
nothing is logged to the console. Screenshots go to target/terminal-*.png.

    python tests/web/browser.py --bin target/release/resume-ssh [--chromium /usr/bin/chromium]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIZES = [(390, 844), (1366, 900)]


def collapse(s):
    return " ".join(s.replace("\u00a0", " ").split())


def facts(binary, resume):
    """The plain export's lines, without heading marks and bullets, keyword lists split."""
    out = subprocess.run(
        [binary, "export", "plain", "--width", "200", "--resume", resume],
        check=True, capture_output=True, text=True,
    ).stdout
    pieces = []
    for line in out.splitlines():
        line = line.strip().lstrip("#").strip()
        if line.startswith("- "):
            line = line[2:]
        pieces += [collapse(p) for p in line.split(", ") if collapse(p)]
    return pieces


def start(binary, resume):
    """The server and its HTTP base URL (read from the banner on stderr)."""
    tmp = tempfile.mkdtemp(prefix="resume-web-")
    proc = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0",
         "--resume", resume, "--host-key", os.path.join(tmp, "key"), "--no-watch",
         "--public-command", "ssh resume.example.com"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    found = {}
    ready = threading.Event()

    def drain():
        for line in proc.stderr:
            m = re.search(r"resume-ssh http on (\S+)", line)
            if m and "url" not in found:
                found["url"] = "http://" + m.group(1)
                ready.set()

    threading.Thread(target=drain, daemon=True).start()
    if not ready.wait(30):
        proc.kill()
        sys.exit("FAIL: no 'resume-ssh http on' line within 30 s")
    return proc, found["url"]


def check(browser, base, want, width, height, scheme, shots):
    failures = []
    ctx = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme,
        device_scale_factor=1, is_mobile=width < 600, has_touch=width < 600,
    )
    try:
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    except Exception as e:  # an older Chromium without clipboard permissions
        print(f"  (no clipboard permission: {e})")
    page = ctx.new_page()
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    res = page.goto(base + "/", wait_until="load")
    if res is None or res.status != 200:
        failures.append(f"GET / gave {res.status if res else 'nothing'}")
    page.wait_for_timeout(300)
    text = collapse(page.evaluate("document.body.innerText"))
    missing = [f for f in want if f not in text]
    if missing:
        failures.append(f"{len(missing)} facts not shown, e.g. {missing[:3]}")
    sw = page.evaluate("document.scrollingElement.scrollWidth")
    iw = page.evaluate("window.innerWidth")
    if sw > iw:
        failures.append(f"scrolls sideways: scrollWidth {sw} > innerWidth {iw}")
    # The copy button shows (the script ran) and copies the command.
    button = page.locator("button[data-copy]")
    if not button.is_visible():
        failures.append("the copy button is not shown (did copy.js run?)")
    else:
        button.click()
        page.wait_for_timeout(200)
        try:
            copied = page.evaluate("navigator.clipboard.readText()")
            if copied != "ssh resume.example.com":
                failures.append(f"copied {copied!r}")
        except Exception as e:
            print(f"  (clipboard not readable here: {e})")
        label = button.text_content()
        if label not in ("Copied", "Press Ctrl+C"):
            failures.append(f"the button says {label!r} after a click")
    # The og:image the page names is there.
    og = page.locator("meta[property='og:image']").get_attribute("content")
    if not og or page.request.get(og).status != 200:
        failures.append(f"og:image {og!r} not served")
    if errors:
        failures.append(f"console errors: {errors}")
    if outside:
        failures.append(f"requests elsewhere: {outside}")
    for where in ("top", "experience", "case-studies", "skills", "contact"):
        if where != "top":
            page.evaluate(f"document.getElementById('{where}').scrollIntoView()")
            page.wait_for_timeout(100)
        path = os.path.join(ROOT, "target", f"web-{width}x{height}-{scheme}-{where}.png")
        page.screenshot(path=path)
        shots.append(path)
    ctx.close()
    return failures


ROWS_JS = "() => Array.from(document.querySelectorAll('.xterm-rows > div'), r => r.textContent)"

# The centre of the cell where `text` first shows on the terminal, in page pixels (cells from the
# screen's box and the terminal's columns and rows).
CELL_JS = """(text) => {
  const rows = Array.from(document.querySelectorAll('.xterm-rows > div'));
  const box = document.querySelector('.xterm-screen').getBoundingClientRect();
  const cw = box.width / +document.body.dataset.cols, ch = box.height / +document.body.dataset.rows;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r].textContent.indexOf(text);
    if (i >= 0) { return [box.left + (i + 0.5) * cw, box.top + (r + 0.5) * ch]; }
  }
  return null;
}"""

SECTION_JS = ("(s) => Array.from(document.querySelectorAll('.xterm-rows > div'), r => r.textContent)"
              ".some(t => t.includes('\u256d ' + s) || new RegExp('\\\\d/\\\\d+ ' + s).test(t))")


def check_terminal(browser, base, name, width, height, shots):
    failures = []
    ctx = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme="dark",
        device_scale_factor=1, is_mobile=width < 600, has_touch=width < 600,
    )
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = ctx.new_page()
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base.replace("http", "ws", 1)) and not r.url.startswith(base) else None)
    t0 = time.monotonic()
    res = page.goto(base + "/terminal", wait_until="load")
    if res is None or res.status != 200:
        failures.append(f"GET /terminal gave {res.status if res else 'nothing'}")
    rows_text = lambda: "\n".join(page.evaluate(ROWS_JS))
    try:
        page.wait_for_function(
            "n => Array.from(document.querySelectorAll('.xterm-rows > div'),"
            " r => r.textContent).join('\\n').includes(n)", arg=name, timeout=5000)
        print(f"  name on the terminal after {time.monotonic() - t0:.2f}s")
    except Exception:
        failures.append(f"the name is not on the terminal within 5 s; rows: {rows_text()[:300]!r}")
        ctx.close()
        return failures + ([f"console errors: {errors}"] if errors else [])
    # Screen-reader mode: the text is in the accessibility tree too.
    try:
        page.wait_for_function(
            "n => (document.querySelector('.xterm-accessibility-tree') || {}).textContent"
            "?.includes(n)", arg=name, timeout=3000)
    except Exception:
        failures.append("the name is not in the accessibility tree (screenReaderMode)")
    page.wait_for_timeout(300)
    path = os.path.join(ROOT, "target", f"terminal-{width}x{height}.png")
    page.screenshot(path=path)
    shots.append(path)
    # c copies the e-mail: OSC 52 through the clipboard addon into the browser's clipboard.
    page.keyboard.press("c")
    copied, end = "", time.monotonic() + 3
    while time.monotonic() < end and not re.fullmatch(r"[^@\s]+@[^@\s]+", copied):
        page.wait_for_timeout(100)
        copied = page.evaluate("navigator.clipboard.readText()")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+", copied):
        failures.append(f"c did not copy the e-mail to the clipboard (it holds {copied!r})")
    page.wait_for_timeout(300)
    # A key: the next section.
    page.keyboard.press("ArrowRight")
    try:
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.xterm-rows > div'),"
            " r => r.textContent).some(t => /\u256d\\s*Experience|\\d\\/\\d+ Experience/.test(t))",
            timeout=3000)
    except Exception:
        failures.append(f"ArrowRight did not switch to Experience; rows: {rows_text()[:400]!r}")
    # The tabs answer the mouse (a click on a laptop, a tap on a phone's "next" arrow).
    target, shows = ("5 Skills", "Skills") if width >= 600 else ("\u203a", "Case Studies")
    at = page.evaluate(CELL_JS, target)
    if at is None:
        failures.append(f"no {target!r} on the terminal; rows: {rows_text()[:400]!r}")
    else:
        if width < 600:
            page.touchscreen.tap(at[0], at[1])
        else:
            page.mouse.click(at[0], at[1])
        try:
            page.wait_for_function(SECTION_JS, arg=shows, timeout=3000)
        except Exception:
            failures.append(f"a tap on {target!r} did not show {shows}; rows: {rows_text()[:400]!r}")
    # A new viewport: new columns and rows, and the server redraws at the new width.
    before = page.evaluate("() => [+document.body.dataset.cols, +document.body.dataset.rows]")
    new_w, new_h = (width + 300, height - 200) if width < 600 else (width - 500, height - 300)
    page.set_viewport_size({"width": new_w, "height": new_h})
    try:
        page.wait_for_function(
            "([c, r]) => +document.body.dataset.cols !== c && +document.body.dataset.rows !== r",
            arg=before, timeout=3000)
        after = page.evaluate("() => [+document.body.dataset.cols, +document.body.dataset.rows]")
        print(f"  {before[0]}x{before[1]} -> {after[0]}x{after[1]} at {new_w}x{new_h}")
        page.wait_for_function(
            "c => Array.from(document.querySelectorAll('.xterm-rows > div'),"
            " r => r.textContent.replace(/\\s+$/, '')).some(t => t.length === c && t.endsWith('\u256e'))",
            arg=after[0], timeout=3000)
    except Exception:
        failures.append(f"the UI did not follow the viewport ({before}); rows: {rows_text()[:400]!r}")
    page.wait_for_timeout(300)
    if errors:
        failures.append(f"console errors: {errors}")
    if outside:
        failures.append(f"requests elsewhere: {outside}")
    ctx.close()
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "resume-ssh"))
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--resume", default=os.path.join(ROOT, "resume.toml"))
    args = ap.parse_args()
    os.makedirs(os.path.join(ROOT, "target"), exist_ok=True)
    want = facts(args.bin, args.resume)
    proc, base = start(args.bin, args.resume)
    failed = 0
    shots = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            print(f"{browser.version} against {base}; {len(want)} facts")
            for width, height in SIZES:
                for scheme in ("light", "dark"):
                    t0 = time.monotonic()
                    fails = check(browser, base, want, width, height, scheme, shots)
                    took = time.monotonic() - t0
                    status = "PASS" if not fails else "FAIL"
                    print(f"{status} {width}x{height} {scheme} ({took:.1f}s)")
                    for f in fails:
                        print(f"  {f}")
                    failed += bool(fails)
            name = want[0]
            for width, height in SIZES:
                t0 = time.monotonic()
                fails = check_terminal(browser, base, name, width, height, shots)
                took = time.monotonic() - t0
                status = "PASS" if not fails else "FAIL"
                print(f"{status} /terminal {width}x{height} ({took:.1f}s)")
                for f in fails:
                    print(f"  {f}")
                failed += bool(fails)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    print("screenshots: " + " ".join(os.path.relpath(s, ROOT) for s in shots))
    print(f"browser: {len(SIZES) * 3 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
