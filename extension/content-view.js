// Shows content bought with a token whose receipt does not cover a later visit (an offer
// without duration): the body the service worker fetched, in a sandboxed frame (no scripts,
// an opaque origin).
const key = new URLSearchParams(location.search).get("key");
chrome.runtime.sendMessage({ type: "content-get", key }).then((content) => {
  if (!content) return;
  document.getElementById("url").textContent = content.url;
  document.getElementById("content").srcdoc = content.body || "";
});
