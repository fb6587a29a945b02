//! The schema of the PostgreSQL replay store: its version, its creation and migrations.

use deadpool_postgres::Object;

use super::Failure;

/// The PostgreSQL schema version this build creates and reads.
pub const POSTGRES_SCHEMA_VERSION: i64 = 1;

/// The steps from each schema version to the next: `MIGRATIONS[n]` takes a database of
/// version `n` (0: none yet) to version `n + 1`.
const MIGRATIONS: [&str; 1] = ["
CREATE TABLE micropay_replay_accepted (
    nonce bytea PRIMARY KEY CHECK (octet_length(nonce) = 16),
    issued_at bigint NOT NULL,
    accepted_at bigint NOT NULL,
    offer_digest bytea NOT NULL,
    public_key bytea NOT NULL,
    receipt text NOT NULL
);
CREATE INDEX micropay_replay_accepted_by_issued_at ON micropay_replay_accepted (issued_at);
"];

/// The version table: one row.
const VERSION_TABLE: &str = "
CREATE TABLE micropay_replay_schema (
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    version bigint NOT NULL
)";

/// Serialises the schema checks and migrations of verifiers starting at once (an advisory
/// lock held for the transaction): "micropay" in ASCII.
const SCHEMA_LOCK: i64 = 0x6d69_6372_6f70_6179;

/// Creates the schema, or migrates it to [`POSTGRES_SCHEMA_VERSION`], or refuses a newer one;
/// under an advisory lock, so that verifiers starting together do it once.
pub(super) async fn migrate(client: &mut Object) -> Result<(), Failure> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
        .await?;
    let exists: bool = tx
        .query_one(
            "SELECT to_regclass('micropay_replay_schema') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    let found: i64 = if exists {
        tx.query_opt("SELECT version FROM micropay_replay_schema", &[])
            .await?
            .map_or(0, |row| row.get(0))
    } else {
        tx.batch_execute(VERSION_TABLE).await?;
        0
    };
    if found == POSTGRES_SCHEMA_VERSION {
        return Ok(());
    }
    let steps = usize::try_from(found)
        .ok()
        .and_then(|from| MIGRATIONS.get(from..))
        .ok_or(Failure::Schema(found))?;
    for step in steps {
        tx.batch_execute(step).await?;
    }
    tx.execute(
        "INSERT INTO micropay_replay_schema (version) VALUES ($1)
         ON CONFLICT (one_row) DO UPDATE SET version = EXCLUDED.version",
        &[&POSTGRES_SCHEMA_VERSION],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
