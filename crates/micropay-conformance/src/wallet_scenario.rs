//! The wallet scenarios of `spec-fixtures/wallet/scenarios/*.json` (format in
//! spec-fixtures/wallet/README.md, schema in spec-fixtures/schema/wallet-scenario.schema.json):
//! a purchase decided by the wallet controller, a token checked by the merchant's verifier, or
//! a receipt checked by the wallet, each with its expected JSON answer.

use std::path::{Path, PathBuf};

use micropay_cli::report::{BuyReport, ReceiptReport, VerifyReport};
use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Document, Extractor, Syntax, Url};
use micropay_wallet::{
    Ledger, MasterSecret, MerchantKey, MerchantOrigin, Policy, PurchaseOutcome, ReceiptRejection,
    ReplayStore, SignedReceipt, Verifier, WalletController,
};
use serde::Deserialize;
use serde_json::Value;

use crate::wallet_build::{
    DEFAULT_MASTER_SECRET, DEFAULT_MERCHANT_SEED, Prior, ReceiptSpec, SpendSpec, TokenContext,
    TokenSpec, instant, purchase_token, receipt_token, record_spends, unhex,
};

/// Makes a new, empty replay store for one scenario, given a temporary directory of its own.
pub type NewStore<'a> = dyn Fn(&Path) -> Result<ReplayStore, String> + Send + Sync + 'a;

/// The default store: a new SQLite file in the scenario's directory.
pub fn new_sqlite_store(dir: &Path) -> Result<ReplayStore, String> {
    ReplayStore::sqlite_create(&dir.join("replay.db")).map_err(|e| e.to_string())
}

/// The verifier's skew window when a scenario names none.
const DEFAULT_SKEW: u64 = 300;

/// Every (kind, answer, reason) the scenarios must show at least once: each decision, each
/// refusal of the wallet controller, each rejection of the verifier and of the wallet's
/// receipt check (docs/wallet.md).
pub const MUST_COVER: &[(&str, &str, &str)] = &[
    ("purchase", "paid", ""),
    (
        "purchase",
        "needs-confirmation",
        "above-confirmation-threshold",
    ),
    ("purchase", "already-paid", "receipt"),
    ("purchase", "already-paid", "pending-purchase"),
    ("purchase", "refused", "invalid-link"),
    ("purchase", "refused", "insecure-scheme"),
    ("purchase", "refused", "merchant-blocked"),
    ("purchase", "refused", "expired-offer"),
    ("purchase", "refused", "no-common-payment-system"),
    ("purchase", "refused", "currency-not-held"),
    ("purchase", "refused", "above-link-cap"),
    ("purchase", "refused", "over-budget"),
    ("purchase", "refused", "over-merchant-budget"),
    ("verify", "accepted", ""),
    ("verify", "rejected", "malformed-token"),
    ("verify", "rejected", "bad-signature"),
    ("verify", "rejected", "unknown-offer"),
    ("verify", "rejected", "offer-mismatch"),
    ("verify", "rejected", "payment-system-not-offered"),
    ("verify", "rejected", "expired-offer"),
    ("verify", "rejected", "stale-request"),
    ("verify", "rejected", "replayed-nonce"),
    ("receipt", "stored", ""),
    ("receipt", "not-stored", "malformed-receipt"),
    ("receipt", "not-stored", "bad-signature"),
    ("receipt", "not-stored", "origin-mismatch"),
    ("receipt", "not-stored", "untrusted-merchant-key"),
    ("receipt", "not-stored", "unknown-purchase"),
    ("receipt", "not-stored", "receipt-mismatch"),
    ("receipt", "not-stored", "duplicate-receipt"),
];

/// The entries of [`MUST_COVER`] that no scenario expects.
pub fn uncovered(scenarios: &[Value]) -> Vec<String> {
    let seen: Vec<(String, String, String)> = scenarios
        .iter()
        .map(|s| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            let expected = &s["expected"];
            let answer = match (
                &expected["decision"],
                &expected["verdict"],
                &expected["stored"],
            ) {
                (Value::String(d), _, _) | (_, Value::String(d), _) => d.clone(),
                (_, _, Value::Bool(true)) => "stored".to_owned(),
                _ => "not-stored".to_owned(),
            };
            (text(&s["kind"]), answer, text(&expected["reason"]))
        })
        .collect();
    MUST_COVER
        .iter()
        .filter(|(kind, answer, reason)| {
            !seen
                .iter()
                .any(|(k, a, r)| k == kind && a == answer && r == reason)
        })
        .map(|(kind, answer, reason)| format!("{kind}: {answer} {reason}"))
        .collect()
}

/// One scenario file.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file name without `.json`; the test is `wallet::<name>`.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// Every `*.json` under `root/wallet/scenarios`, sorted by name.
pub fn discover_scenarios(root: &Path) -> Result<Vec<Scenario>, String> {
    let dir = root.join("wallet/scenarios");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut scenarios = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        {
            scenarios.push(Scenario {
                name: name.to_owned(),
                path: path.clone(),
            });
        }
    }
    scenarios.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(scenarios)
}

/// The compiled JSON Schema of scenario files.
pub struct ScenarioSchema(jsonschema::Validator);

impl ScenarioSchema {
    /// Loads `root/schema/wallet-scenario.schema.json`.
    pub fn load(root: &Path) -> Result<Self, String> {
        let path = root.join("schema/wallet-scenario.schema.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let schema: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        jsonschema::validator_for(&schema)
            .map(ScenarioSchema)
            .map_err(|e| format!("{} is not a valid JSON Schema: {e}", path.display()))
    }

    fn check(&self, scenario: &Value) -> Result<(), String> {
        let violations: Vec<String> = self
            .0
            .iter_errors(scenario)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "does not follow the schema:\n  {}",
                violations.join("\n  ")
            ))
        }
    }
}

/// What a scenario does.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Purchase,
    Verify,
    Receipt,
}

/// A scenario file, as data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    description: String,
    kind: Kind,
    #[serde(default)]
    page: Option<PageSpec>,
    #[serde(default)]
    document_url: Option<Url>,
    #[serde(default)]
    link: usize,
    #[serde(default)]
    policy: Option<Policy>,
    #[serde(default)]
    ledger: LedgerSpec,
    #[serde(default)]
    now: Option<String>,
    #[serde(default)]
    confirmed: bool,
    #[serde(default)]
    merchant_seed: Option<String>,
    #[serde(default)]
    skew_seconds: Option<u64>,
    #[serde(default)]
    accepted_before: Vec<TokenSpec>,
    #[serde(default)]
    token: Option<TokenSpec>,
    #[serde(default)]
    trusted_keys: Option<Vec<TrustedKeySpec>>,
    #[serde(default)]
    stored_before: Vec<ReceiptSpec>,
    #[serde(default)]
    receipt: Option<ReceiptSpec>,
    expected: serde_json::Map<String, Value>,
}

/// A merchant key the user trusted (named) before the scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustedKeySpec {
    merchant_origin: MerchantOrigin,
    merchant_seed: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageSpec {
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    file: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerSpec {
    #[serde(default)]
    spends: Vec<SpendSpec>,
}

impl Scenario {
    /// The file, parsed.
    pub fn load(&self) -> Result<Value, String> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", self.path.display()))
    }

    /// Checks the file against the schema, runs it, and compares the answer with
    /// `expected`: every key listed there must be equal.
    pub fn run(&self, root: &Path, schema: &ScenarioSchema, value: &Value) -> Result<(), String> {
        self.run_with(root, schema, value, &new_sqlite_store)
    }

    /// [`Scenario::run`] with the verifier's replay store made by `store`.
    pub fn run_with(
        &self,
        root: &Path,
        schema: &ScenarioSchema,
        value: &Value,
        store: &NewStore<'_>,
    ) -> Result<(), String> {
        schema.check(value)?;
        let spec: Spec = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
        let actual = match spec.kind {
            Kind::Purchase => run_purchase(root, &spec)?,
            Kind::Verify => run_verify(root, &spec, store)?,
            Kind::Receipt => run_receipt(root, &spec)?,
        };
        let differences: Vec<String> = spec
            .expected
            .iter()
            .filter(|(key, want)| actual.get(key.as_str()).unwrap_or(&Value::Null) != *want)
            .map(|(key, want)| {
                let got = actual.get(key.as_str()).unwrap_or(&Value::Null);
                format!("{key}: expected {want}, got {got}")
            })
            .collect();
        if differences.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "scenario {}: {}\n\ndifferences:\n  {}\n\nactual answer:\n{}",
                self.path.display(),
                spec.description,
                differences.join("\n  "),
                serde_json::to_string_pretty(&actual).unwrap_or_default()
            ))
        }
    }
}

/// The name of every rejected vector of spec-fixtures/wallet/vectors.json (`rejected`).
pub fn rejected_vectors(root: &Path) -> Result<Vec<Value>, String> {
    Ok(crate::wallet_build::vectors(root)?["rejected"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// Runs one rejected vector: a purchase token through a verifier, a receipt through a
/// wallet; each must be refused with the vector's `reason`.
pub fn run_rejected_vector(vector: &Value) -> Result<(), String> {
    run_rejected_vector_with(vector, &new_sqlite_store)
}

/// [`run_rejected_vector`] with the verifier's replay store made by `store`.
pub fn run_rejected_vector_with(vector: &Value, store: &NewStore<'_>) -> Result<(), String> {
    let token = vector["token"]
        .as_str()
        .ok_or("a rejected vector needs `token`")?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let reason = match vector["kind"].as_str() {
        Some("purchase-request") => {
            let mut verifier = Verifier::new(
                MerchantKey::from_seed(&unhex(DEFAULT_MERCHANT_SEED)?),
                store(dir.path())?,
                DEFAULT_SKEW,
            );
            let now = OffsetDateTime::now_utc();
            let result = verifier.verify(token, now).map_err(|e| e.to_string())?;
            VerifyReport::of(&result).reason
        }
        Some("receipt") => {
            let ledger =
                Ledger::create(&dir.path().join("wallet.db")).map_err(|e| e.to_string())?;
            let mut wallet = WalletController::open(ledger).map_err(|e| e.to_string())?;
            let result = wallet.accept_receipt(token).map_err(|e| e.to_string())?;
            ReceiptReport::of(&result).reason
        }
        other => return Err(format!("unknown kind {other:?}")),
    };
    if reason == vector["reason"].as_str() {
        Ok(())
    } else {
        Err(format!(
            "expected {}, got {reason:?}: {}",
            vector["reason"], vector["description"]
        ))
    }
}

fn required<'a, T>(value: Option<&'a T>, key: &str) -> Result<&'a T, String> {
    value.ok_or_else(|| format!("this kind of scenario needs `{key}`"))
}

fn now_of(spec: &Spec) -> Result<OffsetDateTime, String> {
    instant(required(spec.now.as_ref(), "now")?)
}

/// The scenario's page, extracted at its document URL.
fn page(root: &Path, spec: &Spec) -> Result<(Document, Url), String> {
    let page = required(spec.page.as_ref(), "page")?;
    let document_url = required(spec.document_url.as_ref(), "document_url")?.clone();
    let (bytes, xhtml) = match (&page.html, &page.file) {
        (Some(html), None) => (html.clone().into_bytes(), false),
        (None, Some(file)) => {
            let path = root.join(file);
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let xhtml = Path::new(file)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xhtml"));
            (bytes, xhtml)
        }
        _ => return Err("`page` needs exactly one of `html` and `file`".into()),
    };
    let document = Extractor::new()
        .document_url(document_url.clone())
        .syntax(if xhtml { Syntax::Xhtml } else { Syntax::Html })
        .extract(&bytes)
        .map_err(|e| format!("extraction failed: {e}"))?;
    Ok((document, document_url))
}

/// A ledger in a temporary directory, with the scenario's earlier spends.
fn ledger(spec: &Spec) -> Result<(tempfile::TempDir, Ledger, Vec<Prior>), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let master = MasterSecret::from_bytes(DEFAULT_MASTER_SECRET);
    let mut ledger = Ledger::create_with_master_secret(&dir.path().join("wallet.db"), &master)
        .map_err(|e| e.to_string())?;
    let priors = record_spends(&mut ledger, &master, &spec.ledger.spends)?;
    Ok((dir, ledger, priors))
}

fn to_value(answer: &impl serde::Serialize) -> Result<Value, String> {
    serde_json::to_value(answer).map_err(|e| e.to_string())
}

fn run_purchase(root: &Path, spec: &Spec) -> Result<Value, String> {
    let (document, document_url) = page(root, spec)?;
    let link = document
        .links()
        .get(spec.link)
        .ok_or_else(|| format!("the page has no link {}", spec.link))?;
    let (_dir, mut ledger, priors) = ledger(spec)?;
    ledger
        .set_policy(required(spec.policy.as_ref(), "policy")?)
        .map_err(|e| e.to_string())?;
    let mut wallet = WalletController::open(ledger).map_err(|e| e.to_string())?;
    let before = wallet.ledger().history().map_err(|e| e.to_string())?.len();
    let outcome = wallet
        .purchase(link, &document_url, now_of(spec)?, spec.confirmed)
        .map_err(|e| e.to_string())?;
    let after = wallet.ledger().history().map_err(|e| e.to_string())?.len();
    let bought = usize::from(matches!(outcome, PurchaseOutcome::Purchased(_)));
    if after != before + bought {
        return Err(format!(
            "the ledger went from {before} to {after} spends; a purchase must record exactly one spend and anything else none"
        ));
    }
    let report =
        BuyReport::of(&outcome, link.price()).with_findings(spec.link, document.diagnostics());
    let mut actual = to_value(&report)?;
    if report.decision == "already-paid" {
        let covered_by = priors
            .iter()
            .position(|p| Some(&p.record.token) == report.token.as_ref());
        actual["covered_by"] = covered_by.map_or(Value::Null, Value::from);
    }
    Ok(actual)
}

fn run_verify(root: &Path, spec: &Spec, store: &NewStore<'_>) -> Result<Value, String> {
    let (document, document_url) = page(root, spec)?;
    let now = now_of(spec)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let seed = spec
        .merchant_seed
        .as_deref()
        .unwrap_or(DEFAULT_MERCHANT_SEED);
    let mut verifier = Verifier::new(
        MerchantKey::from_seed(&unhex(seed)?),
        store(dir.path())?,
        spec.skew_seconds.unwrap_or(DEFAULT_SKEW),
    );
    verifier.publish_document(&document, &document_url);
    let ctx = TokenContext {
        links: document.links(),
        document_url: &document_url,
        now,
        root,
    };
    for (i, earlier) in spec.accepted_before.iter().enumerate() {
        let token = purchase_token(earlier, &ctx)?;
        let at = earlier.verified_at.as_deref().map_or(Ok(now), instant)?;
        if let Err(rejection) = verifier.verify(&token, at).map_err(|e| e.to_string())? {
            return Err(format!("accepted_before[{i}] was rejected: {rejection}"));
        }
    }
    let token_spec = required(spec.token.as_ref(), "token")?;
    if token_spec.verified_at.is_some() {
        return Err("`verified_at` is for tokens of `accepted_before` only".into());
    }
    let token = purchase_token(token_spec, &ctx)?;
    let result = verifier.verify(&token, now).map_err(|e| e.to_string())?;
    to_value(&VerifyReport::of(&result))
}

fn run_receipt(root: &Path, spec: &Spec) -> Result<Value, String> {
    let (_dir, ledger, priors) = ledger(spec)?;
    let mut wallet = WalletController::new(Policy::default(), ledger).map_err(|e| e.to_string())?;
    // The keys the user named: those listed, else the default merchant key for the origin
    // of every earlier spend.
    let trusted: Vec<(MerchantOrigin, String)> = match &spec.trusted_keys {
        Some(keys) => keys
            .iter()
            .map(|k| (k.merchant_origin.clone(), k.merchant_seed.clone()))
            .collect(),
        None => priors
            .iter()
            .map(|p| {
                let origin = p.offer.merchant_origin().clone();
                (origin, DEFAULT_MERCHANT_SEED.to_owned())
            })
            .collect(),
    };
    for (origin, seed) in &trusted {
        let key = MerchantKey::from_seed(&unhex(seed)?).public_key();
        wallet
            .trust_merchant_key(origin, &key)
            .map_err(|e| e.to_string())?;
    }
    for (i, earlier) in spec.stored_before.iter().enumerate() {
        if let Err(rejection) = check_receipt(&mut wallet, earlier, &priors, root)? {
            return Err(format!("stored_before[{i}] was not stored: {rejection}"));
        }
    }
    let receipt = required(spec.receipt.as_ref(), "receipt")?;
    let result = check_receipt(&mut wallet, receipt, &priors, root)?;
    to_value(&ReceiptReport::of(&result))
}

/// Checks and stores the receipt `spec` describes, the way it says it arrived.
fn check_receipt(
    wallet: &mut WalletController,
    spec: &ReceiptSpec,
    priors: &[Prior],
    root: &Path,
) -> Result<Result<SignedReceipt, ReceiptRejection>, String> {
    let token = receipt_token(spec, priors, root)?;
    match (&spec.response_url, &spec.named_key) {
        (None, None) => wallet.accept_receipt(&token),
        (Some(url), None) => wallet.accept_receipt_from_response(&token, url),
        (None, Some(seed)) => {
            let key = MerchantKey::from_seed(&unhex(seed)?).public_key();
            wallet.accept_receipt_under_key(&token, &key)
        }
        (Some(_), Some(_)) => {
            return Err("a receipt has `response_url` or `named_key`, not both".into());
        }
    }
    .map_err(|e| e.to_string())
}
