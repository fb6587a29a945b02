// The extension's service worker: the only writer of the wallet's state, and the only part of
// the extension that holds it. The decisions, the keys, the signatures and the checks of
// receipts are the Rust wallet compiled to WebAssembly (crates/micropay-wasm); this file
// keeps the state in chrome.storage.local, runs one wallet operation at a time, asks for
// confirmation in a window of its own, and talks to merchants. docs/browser.md says why.

import init, * as wasm from "./wasm/micropay_wasm.js";

const ready = init({ module_or_path: chrome.runtime.getURL("wasm/micropay_wasm_bg.wasm") });
const ownPrefix = chrome.runtime.getURL("");

// One operation on the wallet at a time (two tabs clicking at once are served in turn, each on
// the state the previous one stored).
let queue = Promise.resolve();
function serially(operation) {
  const result = queue.then(operation, operation);
  queue = result.catch(() => {});
  return result;
}

async function storedWallet() {
  const { wallet } = await chrome.storage.local.get("wallet");
  return typeof wallet === "string" ? wallet : "";
}

// Written, and awaited, before any token leaves (chrome.storage.local is on disk once the
// promise resolves).
async function storeWallet(wallet) {
  await chrome.storage.local.set({ wallet });
}

function call(fn, ...args) {
  const answer = JSON.parse(fn(...args));
  if (answer && answer.error !== undefined && !Array.isArray(answer)) {
    throw new Error(answer.error);
  }
  return answer;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

// The page as the content script read it, with the document URL the browser gives for the
// sender (not the one the page's renderer claims).
function pageOf(message, sender) {
  const input = message.input || {};
  return {
    document_url: sender.url || null,
    base_href: typeof input.base_href === "string" ? input.base_href : null,
    now: nowSeconds(),
    carriers: Array.isArray(input.carriers) ? input.carriers : [],
  };
}

// ---- confirmation, in the extension's own window ----

const pendingConfirmations = new Map();

async function confirmInWindow(details) {
  const id = crypto.randomUUID();
  const query = new URLSearchParams({ id, ...details });
  const win = await chrome.windows.create({
    url: chrome.runtime.getURL(`confirm.html?${query}`),
    type: "popup",
    width: 460,
    height: 340,
    focused: true,
  });
  return new Promise((resolve) => {
    pendingConfirmations.set(id, { resolve, windowId: win.id });
  });
}

chrome.windows.onRemoved.addListener((windowId) => {
  for (const [id, pending] of pendingConfirmations) {
    if (pending.windowId === windowId) {
      pendingConfirmations.delete(id);
      pending.resolve(false);
    }
  }
});

// ---- showing what was bought ----

function escapeRegex(text) {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

// The tab's navigations to `url` carry the receipt (the merchant serves a URL a receipt
// covers), so that the content opens as an ordinary page. One rule per tab and URL.
async function presentReceipt(tabId, url, receipt) {
  const regexFilter = `^${escapeRegex(url)}$`;
  const existing = await chrome.declarativeNetRequest.getSessionRules();
  const stale = existing
    .filter((r) => r.condition.regexFilter === regexFilter && r.condition.tabIds?.includes(tabId))
    .map((r) => r.id);
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: stale,
    addRules: [{
      id: Math.max(0, ...existing.map((r) => r.id)) + 1,
      priority: 1,
      action: {
        type: "modifyHeaders",
        requestHeaders: [{ header: "Authorization", operation: "set", value: `Micropay receipt="${receipt}"` }],
      },
      condition: { regexFilter, resourceTypes: ["main_frame"], tabIds: [tabId] },
    }],
  });
}

async function openContent(tab, url, target, receipt, body) {
  const newTab = target && !["_self", "_parent", "_top"].includes(target.toLowerCase());
  if (receipt) {
    const opened = newTab
      ? await chrome.tabs.create({ url: "about:blank", openerTabId: tab.id, active: true })
      : tab;
    await presentReceipt(opened.id, url, receipt);
    await chrome.tabs.update(opened.id, { url });
    return;
  }
  // No receipt that covers the URL now (an offer without duration): the content fetched with
  // the token is shown by the extension, without scripts.
  const key = `content-${crypto.randomUUID()}`;
  await chrome.storage.session.set({ [key]: { url, body } });
  const viewer = chrome.runtime.getURL(`content.html?key=${encodeURIComponent(key)}`);
  if (newTab) {
    await chrome.tabs.create({ url: viewer, openerTabId: tab.id });
  } else {
    await chrome.tabs.update(tab.id, { url: viewer });
  }
}

// ---- a click ----

async function fetchWith(url, credential) {
  return fetch(url, {
    headers: { Authorization: credential, Accept: "text/html,*/*" },
    credentials: "omit",
    redirect: "manual",
    cache: "no-store",
  });
}

async function click(message, sender) {
  const input = pageOf(message, sender);
  const index = Number(message.index);
  let wallet = await storedWallet();
  if (!wallet) return { state: "refused", reason: "no-wallet" };
  let answer = call(wasm.purchase, wallet, JSON.stringify(input), index, false);
  if (answer.outcome === "needs-confirmation") {
    const yes = await confirmInWindow({
      price: answer.price, threshold: answer.threshold, merchant: answer.merchant,
      requesturl: answer.requesturl,
    });
    if (!yes) return { state: "needs-confirmation", reason: "not-confirmed" };
    // Decided again on the state as it is now: the budget may have moved meanwhile.
    wallet = await storedWallet();
    input.now = nowSeconds();
    answer = call(wasm.purchase, wallet, JSON.stringify(input), index, true);
  }
  if (answer.outcome === "paid") {
    await openContent(sender.tab, answer.requesturl, answer.target, answer.receipt);
    return { state: "paid", reason: "receipt" };
  }
  if (answer.outcome !== "purchased") {
    const state = answer.outcome === "pending" ? "paid" : answer.outcome;
    return { state, reason: answer.reason || null, message: answer.message };
  }
  // The spend is on disk before the token leaves.
  await storeWallet(answer.wallet);
  wallet = answer.wallet;
  const response = await fetchWith(answer.requesturl, `Micropay token="${answer.token}"`);
  const receipt = response.headers.get("Micropay-Receipt");
  if (!response.ok || !receipt) {
    // Spent and kept as a pending purchase: the merchant's code says why it did not serve.
    const code = response.headers.get("Micropay-Code");
    return { state: "paid", reason: `merchant-${response.status}${code ? `-${code}` : ""}` };
  }
  const stored = call(wasm.acceptReceipt, wallet, receipt.trim(), response.url || answer.requesturl, nowSeconds());
  if (stored.rejection) {
    return { state: "paid", reason: stored.rejection };
  }
  await storeWallet(stored.wallet);
  const covers = stored.access_until > nowSeconds();
  const body = covers ? null : await response.text();
  await openContent(sender.tab, answer.requesturl, answer.target, covers ? receipt.trim() : null, body);
  return { state: "paid", reason: "receipt" };
}

// ---- messages ----

function fromContentScript(sender) {
  return sender.id === chrome.runtime.id && sender.tab && !String(sender.url || "").startsWith(ownPrefix);
}

function fromPage(sender, page) {
  return sender.id === chrome.runtime.id && String(sender.url || "").startsWith(ownPrefix + page);
}

async function handle(message, sender) {
  await ready;
  switch (message && message.type) {
    case "mark": {
      if (!fromContentScript(sender)) break;
      const wallet = await storedWallet();
      return call(wasm.markLinks, JSON.stringify(pageOf(message, sender)), wallet);
    }
    case "click":
      if (!fromContentScript(sender)) break;
      return serially(() => click(message, sender));
    case "confirm-answer": {
      if (!fromPage(sender, "confirm.html")) break;
      const pending = pendingConfirmations.get(message.id);
      if (pending) {
        pendingConfirmations.delete(message.id);
        pending.resolve(message.yes === true);
        chrome.windows.remove(pending.windowId).catch(() => {});
      }
      return { ok: true };
    }
    case "options-get":
      if (!fromPage(sender, "options.html")) break;
      return serially(async () => {
        const wallet = await storedWallet();
        return { wallet, view: wallet ? call(wasm.describeWallet, wallet) : null };
      });
    case "options-import":
      if (!fromPage(sender, "options.html")) break;
      return serially(async () => {
        const { wallet } = call(wasm.importWallet, String(message.text));
        await storeWallet(wallet);
        return { ok: true };
      });
    case "options-policy":
      if (!fromPage(sender, "options.html")) break;
      return serially(async () => {
        const { wallet } = call(wasm.setPolicy, await storedWallet(), String(message.policy));
        await storeWallet(wallet);
        return { ok: true };
      });
    case "content-get":
      if (!fromPage(sender, "content.html")) break;
      return (await chrome.storage.session.get(message.key))[message.key] || null;
    default:
      break;
  }
  return { error: "not allowed" };
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse, (e) => sendResponse({ error: String(e && e.message || e) }));
  return true;
});
