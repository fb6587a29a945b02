// The confirmation dialog: a window of the extension, which no page can draw over or script.
const query = new URLSearchParams(location.search);
for (const field of ["price", "merchant", "requesturl", "threshold"]) {
  document.getElementById(field).textContent = query.get(field) || "";
}
function answer(yes) {
  chrome.runtime.sendMessage({ type: "confirm-answer", id: query.get("id"), yes });
}
document.getElementById("pay").addEventListener("click", (e) => { if (e.isTrusted) answer(true); });
document.getElementById("cancel").addEventListener("click", () => answer(false));
