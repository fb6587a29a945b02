//! One named test per case of spec-fixtures/, plus the checks that keep the corpus honest.

use std::path::Path;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use micropay_conformance::wallet_scenario::{
    NewStore, ScenarioSchema, discover_scenarios, rejected_vectors, run_rejected_vector,
    run_rejected_vector_with, uncovered,
};
use micropay_conformance::{Case, compare, corpus_root, coverage, discover, schema::Schema, xfail};
use micropay_wallet::ReplayStore;
use serde_json::Value;

/// How much of a page a failure report shows.
const PAGE_SHOWN: usize = 4000;

fn main() {
    let args = Arguments::from_args();
    let root = corpus_root();
    let trials = match setup(&root) {
        Ok(trials) => trials,
        Err(e) => vec![Trial::test("corpus::loads", move || Err(e.into()))],
    };
    libtest_mimic::run(&args, trials).exit();
}

fn setup(root: &Path) -> Result<Vec<Trial>, String> {
    let cases = discover(root)?;
    let schema = Arc::new(Schema::load(root)?);
    let xfail_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("expected-failures.txt");
    let expected_failures = Arc::new(xfail::load(&xfail_path)?);
    let mut loaded = Vec::new();
    for case in &cases {
        loaded.push((case.clone(), case.expected()?));
    }
    let mut trials = Vec::new();
    for (case, expected) in loaded.clone() {
        let schema = Arc::clone(&schema);
        let xfail = expected_failures.get(&case.id).cloned();
        trials.push(Trial::test(case.id.clone(), move || {
            run_case(&case, &expected, &schema, xfail.as_deref())
        }));
    }
    match wallet_trials(root) {
        Ok(wallet) => trials.extend(wallet),
        Err(e) => trials.push(Trial::test("wallet::loads", move || Err(e.into()))),
    }
    let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    trials.push(Trial::test(
        "corpus::expected_failures_name_cases",
        move || {
            let stale: Vec<_> = expected_failures
                .keys()
                .filter(|id| !ids.contains(id))
                .collect();
            if stale.is_empty() {
                Ok(())
            } else {
                Err(
                    format!("expected-failures.txt names cases that do not exist: {stale:?}")
                        .into(),
                )
            }
        },
    ));
    trials.push(Trial::test("corpus::conformance_table_is_current", move || {
        let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/conformance.md");
        let current = std::fs::read_to_string(&doc).unwrap_or_default();
        if current == coverage::table(&loaded) {
            Ok(())
        } else {
            Err("docs/conformance.md is out of date: run `cargo run -p micropay-conformance --bin conformance-table > docs/conformance.md`".into())
        }
    }));
    Ok(trials)
}

/// One trial `wallet::<name>` per scenario of spec-fixtures/wallet/scenarios/ (the
/// verifier's replay store an SQLite file), the same per scenario with the store in memory
/// (`wallet-memory::<name>`), and one trial running them all on a PostgreSQL store
/// (`wallet-postgres::all`, on a throwaway cluster; skipped with a notice without one).
fn wallet_trials(root: &Path) -> Result<Vec<Trial>, String> {
    let schema = Arc::new(ScenarioSchema::load(root)?);
    let root = Arc::new(root.to_owned());
    let mut trials = Vec::new();
    let mut loaded = Vec::new();
    let scenarios = discover_scenarios(&root)?;
    let vectors = rejected_vectors(&root)?;
    for scenario in scenarios.clone() {
        let value = scenario.load()?;
        loaded.push(value.clone());
        let name = scenario.name.clone();
        let (schema_a, root_a, scenario_a) =
            (Arc::clone(&schema), Arc::clone(&root), scenario.clone());
        trials.push(Trial::test(format!("wallet::{name}"), move || {
            scenario_a
                .run(&root_a, &schema_a, &value)
                .map_err(Failed::from)
        }));
        let (schema, root) = (Arc::clone(&schema), Arc::clone(&root));
        let value = loaded.last().cloned().unwrap_or_default();
        trials.push(Trial::test(format!("wallet-memory::{name}"), move || {
            let memory: &NewStore<'_> = &|_| Ok(ReplayStore::memory());
            scenario
                .run_with(&root, &schema, &value, memory)
                .map_err(Failed::from)
        }));
    }
    for vector in vectors.clone() {
        let name = vector["name"].as_str().unwrap_or("unnamed").to_owned();
        trials.push(Trial::test(
            format!("wallet::rejected-vector::{name}"),
            move || run_rejected_vector(&vector).map_err(Failed::from),
        ));
    }
    let values = loaded.clone();
    trials.push(Trial::test("wallet-postgres::all", move || {
        let Some(cluster) = micropay_pgtest::Cluster::start("wallet-postgres::all") else {
            return Ok(());
        };
        let made = std::sync::atomic::AtomicUsize::new(0);
        let postgres: &NewStore<'_> = &|_| {
            let n = made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            ReplayStore::postgres(&cluster.create_database(&format!("scenario{n}")))
                .map_err(|e| e.to_string())
        };
        let mut failures = Vec::new();
        for (scenario, value) in scenarios.iter().zip(&values) {
            if let Err(why) = scenario.run_with(&root, &schema, value, postgres) {
                failures.push(format!("{}: {why}", scenario.name));
            }
        }
        for vector in &vectors {
            if let Err(why) = run_rejected_vector_with(vector, postgres) {
                failures.push(format!("rejected vector {}: {why}", vector["name"]));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n\n").into())
        }
    }));
    trials.push(Trial::test("wallet::covers_every_answer", move || {
        let missing = uncovered(&loaded);
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("no wallet scenario expects: {}", missing.join(", ")).into())
        }
    }));
    Ok(trials)
}

fn run_case(
    case: &Case,
    expected: &Value,
    schema: &Schema,
    xfail: Option<&str>,
) -> Result<(), Failed> {
    let violations = schema.violations(expected);
    if !violations.is_empty() {
        return Err(format!(
            "{} does not follow the schema:\n  {}",
            case.expected_path.display(),
            violations.join("\n  ")
        )
        .into());
    }
    let actual = case.run(expected)?;
    let differences = compare(expected, &actual);
    match (differences.is_empty(), xfail) {
        (true, None) | (false, Some(_)) => Ok(()),
        (true, Some(reason)) => Err(format!(
            "{} passes but expected-failures.txt lists it ({reason}): remove the entry",
            case.id
        )
        .into()),
        (false, None) => Err(report(case, expected, &actual, &differences).into()),
    }
}

fn report(case: &Case, expected: &Value, actual: &Value, differences: &[String]) -> String {
    let page = std::fs::read(&case.page).unwrap_or_default();
    let mut page = String::from_utf8_lossy(&page).into_owned();
    if page.len() > PAGE_SHOWN {
        let mut cut = PAGE_SHOWN;
        while !page.is_char_boundary(cut) {
            cut -= 1;
        }
        page.truncate(cut);
        page.push_str("\n[...]");
    }
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    format!(
        "case {}\n\ndifferences:\n  {}\n\npage {}:\n{page}\n\nexpected:\n{}\n\nactual:\n{}",
        case.id,
        differences.join("\n  "),
        case.page.display(),
        pretty(expected),
        pretty(actual),
    )
}
