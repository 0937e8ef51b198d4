// The live terminal (/terminal): xterm.js in the page, a WebSocket to /terminal/ws carrying the
// same full-screen resume as `ssh HOST`. Served by resume-ssh (src/web/terminal/).
//
// Messages to the server are binary, tagged by their first byte: 0 = the keys, mouse reports and
// pastes xterm.js produces (its onData/onBinary), 1 = a new size as ASCII "cols,rows".
// Messages from the server are the terminal's bytes, written to xterm.js as they come.
'use strict';

// xterm.js writes its styles inline (<style> elements and style="" attributes), which the page's
// Content-Security-Policy forbids (style-src 'self', no 'unsafe-inline'). They are routed through
// the CSSOM instead, which the policy allows: a <style> xterm.js asks for becomes an inert
// <template> whose text goes into a constructed stylesheet, and a style attribute is set through
// element.style. Only style is affected: scripts stay limited to this origin's files.
(function routeInlineStyles() {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (tag, options) {
    if (String(tag).toLowerCase() !== 'style') {
      return create.call(this, tag, options);
    }
    const doc = this;
    const el = create.call(this, 'template');
    const sheet = new CSSStyleSheet();
    let css = '';
    const setText = (v) => {
      css = String(v);
      sheet.replaceSync(css);
      if (!doc.adoptedStyleSheets.includes(sheet)) {
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      }
    };
    for (const prop of ['textContent', 'innerText', 'innerHTML']) {
      Object.defineProperty(el, prop, { get: () => css, set: setText });
    }
    const remove = el.remove.bind(el);
    el.remove = () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      remove();
    };
    return el;
  };
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === 'style' && this.style) {
      this.style.cssText = String(value);
      return;
    }
    setAttribute.call(this, name, value);
  };
})();

(function main() {
  const host = document.getElementById('terminal');
  const ended = document.getElementById('ended');
  const endedWhy = document.getElementById('ended-why');
  const reload = document.getElementById('reload');
  if (!host || !window.Terminal || !window.FitAddon) {
    return;
  }
  reload.addEventListener('click', () => window.location.reload());

  const term = new window.Terminal({
    screenReaderMode: true,
    cursorBlink: false,
    convertEol: false,
    scrollback: 0,
    fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: window.innerWidth < 600 ? 13 : 15,
    theme: { background: '#111317', foreground: '#e6e8eb' },
    // OSC 8 links (the resume's e-mail, web pages) open in a new tab, never in this one.
    linkHandler: {
      activate: (_event, uri) => {
        if (/^(https?|mailto):/i.test(uri)) {
          window.open(uri, '_blank', 'noopener');
        }
      },
      allowNonHttpProtocols: true,
    },
  });
  const fit = new window.FitAddon.FitAddon();
  term.loadAddon(fit);
  // OSC 52 (the resume's "copy e-mail"): the server may write to the browser's clipboard, never
  // read it (a read is answered with nothing).
  if (window.ClipboardAddon && navigator.clipboard) {
    const provider = {
      readText: () => '',
      writeText: (_selection, text) => navigator.clipboard.writeText(text).catch(() => {}),
    };
    term.loadAddon(new window.ClipboardAddon.ClipboardAddon(undefined, provider));
  }
  term.open(host);
  fit.fit();

  const encoder = new TextEncoder();
  const tagged = (tag, bytes) => {
    const msg = new Uint8Array(bytes.length + 1);
    msg[0] = tag;
    msg.set(bytes, 1);
    return msg;
  };
  const showSize = () => {
    document.body.dataset.cols = String(term.cols);
    document.body.dataset.rows = String(term.rows);
  };
  showSize();

  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${window.location.host}/terminal/ws?cols=${term.cols}&rows=${term.rows}`;
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  let open = false;

  const send = (tag, bytes) => {
    if (open && ws.readyState === WebSocket.OPEN) {
      ws.send(tagged(tag, bytes));
    }
  };
  term.onData((data) => send(0, encoder.encode(data)));
  // Legacy mouse reports: one byte a character.
  term.onBinary((data) => send(0, Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
  term.onResize(({ cols, rows }) => {
    showSize();
    send(1, encoder.encode(`${cols},${rows}`));
  });

  let pending = 0;
  const refit = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => fit.fit());
  };
  window.addEventListener('resize', refit);
  if (window.visualViewport) {
    window.visualViewport.addEventListener('resize', refit);
  }

  ws.addEventListener('open', () => {
    open = true;
    document.body.dataset.state = 'open';
    term.focus();
  });
  ws.addEventListener('message', (event) => {
    if (event.data instanceof ArrayBuffer) {
      term.write(new Uint8Array(event.data));
    } else {
      term.write(String(event.data));
    }
  });
  ws.addEventListener('close', (event) => {
    open = false;
    document.body.dataset.state = 'closed';
    endedWhy.textContent = event.reason || 'The session ended.';
    ended.hidden = false;
    reload.focus();
  });
})();
