// The content script: reads the per-fee-links of the page from the live DOM (P-1.6), has the
// service worker validate and decide on them (the Rust parser and wallet, in WebAssembly),
// marks each link's object element with data-micropay-state and data-micropay-reason, and
// shows each link as the wallet sees it. It holds no wallet state: a click is a message to the
// service worker, sent only for a trusted click on the extension's own button.
(() => {
  "use strict";
  const HTML = "http://www.w3.org/1999/xhtml";

  // The object's direct param children, its fallback content, its first a[href] (P-1.1, P-1.4).
  function read(object) {
    const params = [];
    let hasFallback = false;
    for (const node of object.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.localName === "param" && node.namespaceURI === HTML) {
        params.push([node.getAttribute("name") ?? "", node.getAttribute("value") ?? ""]);
      } else if (node.nodeType === Node.ELEMENT_NODE ||
        (node.nodeType === Node.TEXT_NODE && /[^\t\n\f\r ]/.test(node.data))) {
        hasFallback = true;
      }
    }
    const anchor = object.querySelector("a[href]");
    return { params, has_fallback: hasFallback, fallback_href: anchor ? anchor.getAttribute("href") : null };
  }

  const STYLE = `
    :host { display: inline-block; font: 14px/1.4 system-ui, sans-serif; }
    button, span.box { display: inline-flex; gap: .5em; align-items: center; padding: .3em .6em;
      border: 1px solid #2b6cb0; border-radius: 4px; background: #ebf4ff; color: #1a365d; cursor: pointer;
      font: inherit; }
    button[data-state="paid"] { border-color: #2f855a; background: #f0fff4; color: #22543d; }
    button[data-state="refused"] { border-color: #9b2c2c; background: #fff5f5; color: #742a2a; }
    button[data-state="needs-confirmation"] { border-color: #b7791f; background: #fffff0; }
    span.box { border-color: #a0aec0; background: #edf2f7; color: #4a5568; cursor: not-allowed; }
    span.box .text { text-decoration: line-through; }
    .price { font-weight: 600; } .merchant, .status { font-size: 85%; opacity: .8; }
    img { max-height: 3em; }`;

  // One style sheet, shared by every link's shadow root.
  let shared = null;
  function sheet() {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(STYLE);
    }
    return shared;
  }

  const LABELS = {
    payable: "buy", "needs-confirmation": "buy (asks first)", paid: "paid", refused: "refused",
  };

  function setState(object, button, status, state, reason) {
    object.setAttribute("data-micropay-state", state);
    if (reason) object.setAttribute("data-micropay-reason", reason);
    else object.removeAttribute("data-micropay-reason");
    if (button) {
      button.dataset.state = state;
      status.textContent = reason ? `${LABELS[state] || state}: ${reason}` : (LABELS[state] || state);
    }
  }

  function present(object, marked, index, input) {
    if (!marked || !marked.state || !marked.link) return;
    const link = marked.link;
    const host = document.createElement("span");
    host.className = "micropay-link";
    const root = host.attachShadow({ mode: "closed" });
    root.adoptedStyleSheets = [sheet()];
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = link.textlink || "";
    let label = text;
    if (link.imagelink && marked.state !== "invalid") {
      const img = document.createElement("img");
      img.src = link.imagelink;
      img.alt = link.textlink || "";
      label = img;
    }
    const price = document.createElement("span");
    price.className = "price";
    price.textContent = link.price ? `${link.price.amount} ${link.price.currency}` : "";
    const merchant = document.createElement("span");
    merchant.className = "merchant";
    merchant.textContent = link.merchantname ? `${link.merchantname} (${marked.merchant})` : (marked.merchant || "");
    const status = document.createElement("span");
    status.className = "status";
    if (marked.state === "invalid") {
      const box = document.createElement("span");
      box.className = "box";
      box.title = "This per-fee-link is broken and cannot be bought";
      status.textContent = `cannot be bought: ${marked.reason || "invalid"}`;
      box.append(label, price, status);
      root.append(box);
      setState(object, null, null, "invalid", marked.reason);
    } else {
      const button = document.createElement("button");
      button.type = "button";
      if (link.title) button.title = link.title;
      button.append(label, price, merchant, status);
      root.append(button);
      setState(object, button, status, marked.state, marked.reason);
      button.addEventListener("click", async (event) => {
        // Only the user's own click: a page's script can neither reach this closed shadow
        // root nor make a trusted event.
        if (!event.isTrusted) return;
        event.preventDefault();
        event.stopPropagation();
        button.disabled = true;
        try {
          const answer = await chrome.runtime.sendMessage({ type: "click", index, input });
          if (answer && answer.state) setState(object, button, status, answer.state, answer.reason);
          else if (answer && answer.error) setState(object, button, status, "refused", "error");
        } finally {
          button.disabled = false;
        }
      }, true);
    }
    // The presentation takes the place of the fallback, which stays in the document.
    object.style.setProperty("display", "none", "important");
    object.after(host);
  }

  async function mark() {
    const started = performance.now();
    const objects = [...document.querySelectorAll("object, applet")].filter((o) =>
      o.namespaceURI === HTML && [...o.children].some((c) => c.localName === "param"));
    if (objects.length === 0) return;
    const base = document.querySelector("base[href]");
    // What the user sees is what is bought: the click sends this snapshot, not the DOM as a
    // script may have changed it since.
    const input = { base_href: base ? base.getAttribute("href") : null, carriers: objects.map(read) };
    const readAt = performance.now();
    const marked = await chrome.runtime.sendMessage({ type: "mark", input });
    if (!Array.isArray(marked)) return;
    const answeredAt = performance.now();
    marked.forEach((m, i) => present(objects[i], m, i, input));
    const done = performance.now();
    document.documentElement.setAttribute("data-micropay-mark-ms", (done - started).toFixed(1));
    document.documentElement.setAttribute("data-micropay-mark-phases",
      [readAt - started, answeredAt - readAt, done - answeredAt].map((t) => t.toFixed(1)).join(" "));
  }

  mark().catch(() => {});
})();
