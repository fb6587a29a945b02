// The options page: the wallet's policy, history, receipts and trusted keys, the policy
// editor, and the import and export of the wallet. Every change goes through the service
// worker, the wallet's single writer.
const $ = (id) => document.getElementById(id);
const when = (t) => (t == null ? "" : new Date(t * 1000).toISOString().replace(".000Z", "Z"));

function status(text) {
  $("status").textContent = text;
}

async function send(message) {
  const answer = await chrome.runtime.sendMessage(message);
  if (answer && answer.error) throw new Error(answer.error);
  return answer;
}

async function refresh() {
  const { wallet, view } = await send({ type: "options-get" });
  document.body.dataset.wallet = wallet ? "imported" : "none";
  if (!view) {
    status("No wallet yet: import one.");
    return;
  }
  $("policy").value = JSON.stringify(view.policy, null, 2);
  const body = $("history").tBodies[0];
  body.replaceChildren(...view.history.map((s) => {
    const row = document.createElement("tr");
    for (const cell of [s.id, s.merchant_origin, s.scope, s.price, when(s.issued_at), when(s.receipt_access_until)]) {
      const td = document.createElement("td");
      td.textContent = String(cell);
      row.append(td);
    }
    return row;
  }));
  $("trusted").replaceChildren(...view.trusted_keys.map(([origin, how]) => {
    const li = document.createElement("li");
    li.textContent = `${origin} (${how})`;
    return li;
  }));
}

$("import-wallet").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    await send({ type: "options-import", text: await file.text() });
    status(`Imported ${file.name}.`);
    await refresh();
  } catch (e) {
    status(`Not imported: ${e.message}`);
  }
});

$("export-wallet").addEventListener("click", async () => {
  const { wallet } = await send({ type: "options-get" });
  if (!wallet) return status("No wallet to export.");
  const url = URL.createObjectURL(new Blob([wallet], { type: "application/json" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: "micropay-wallet.json" });
  a.click();
  URL.revokeObjectURL(url);
});

$("save-policy").addEventListener("click", async () => {
  try {
    await send({ type: "options-policy", policy: $("policy").value });
    status("Policy saved.");
    await refresh();
  } catch (e) {
    status(`Policy not saved: ${e.message}`);
  }
});

refresh().catch((e) => status(String(e.message || e)));
