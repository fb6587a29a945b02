//! A throwaway PostgreSQL cluster for the tests and benchmarks of the replay store on
//! PostgreSQL: `initdb` on a temporary directory, a postmaster on a free loopback port with
//! its unix socket in that directory, trust authentication, removed when dropped.
//!
//! The server programs are found in `MICROPAY_PG_BIN`, else in the newest
//! `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package), else on `PATH`. PostgreSQL
//! refuses to run as root: when the tests run as root, the cluster runs as `nobody` (the
//! directory is handed to that user, the programs started through `setpriv`).
//!
//! Where no cluster can be started, [`Cluster::start`] prints a `SKIP` notice and returns
//! `None`, so that the test passes without PostgreSQL; when `MICROPAY_REQUIRE_POSTGRES` or
//! `CI` is set (to anything but `0` or an empty value) it panics instead: in CI these tests
//! must run.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The cluster's superuser, trusted on loopback and the socket.
pub const USER: &str = "micropay";

/// A running throwaway cluster; stopped and removed when dropped.
#[derive(Debug)]
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// `Some` when the server runs as `nobody` (the tests run as root).
    as_nobody: bool,
    durable: bool,
}

/// Whether a missing PostgreSQL fails the test instead of skipping it.
fn required() -> bool {
    ["MICROPAY_REQUIRE_POSTGRES", "CI"]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false"))
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`.
fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MICROPAY_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// A port free on loopback a moment ago.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Cluster {
    /// A new cluster for the test `test` (named in the notice), with `fsync` off: fast, and
    /// as safe as any other setting while the machine stays up. `None`, after a `SKIP`
    /// notice, when PostgreSQL cannot be started here and is not required.
    pub fn start(test: &str) -> Option<Cluster> {
        Self::start_with(test, false)
    }

    /// [`Cluster::start`] with the server's durable defaults (`fsync` on), for benchmarks.
    pub fn start_durable(test: &str) -> Option<Cluster> {
        Self::start_with(test, true)
    }

    fn start_with(test: &str, durable: bool) -> Option<Cluster> {
        match Self::try_start(durable) {
            Ok(cluster) => Some(cluster),
            Err(why) if required() => panic!("{test}: PostgreSQL is required here: {why}"),
            Err(why) => {
                eprintln!("SKIP {test}: no PostgreSQL cluster could be started: {why}");
                None
            }
        }
    }

    fn try_start(durable: bool) -> Result<Cluster, String> {
        let bin = bin_dir().ok_or("no initdb found (install Debian's postgresql package)")?;
        let dir = tempfile::Builder::new()
            .prefix("micropay-pg-")
            .tempdir()
            .map_err(|e| format!("temporary directory: {e}"))?;
        let as_nobody = is_root();
        let cluster = Cluster {
            dir,
            bin,
            port: 0,
            as_nobody,
            durable,
        };
        if as_nobody {
            let status = Command::new("chown")
                .args(["-R", "nobody:"])
                .arg(cluster.dir.path())
                .status()
                .map_err(|e| format!("chown: {e}"))?;
            if !status.success() {
                return Err("cannot hand the cluster's directory to nobody".into());
            }
        }
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                USER.as_ref(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--no-instructions".as_ref(),
                "-N".as_ref(),
            ],
        )?;
        let mut cluster = cluster;
        // Another process may take the port between its choice and the bind: try again.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port().map_err(|e| format!("no free port: {e}"))?;
            match cluster.start_server() {
                Ok(()) => return Ok(cluster),
                Err(why) => last = why,
            }
        }
        Err(last)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The directory of the server's unix socket.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs one of the server's programs (as `nobody` when the tests run as root).
    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) -> Result<Output, String> {
        let path = self.bin.join(program);
        let mut command = if self.as_nobody {
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
                .arg(&path);
            command
        } else {
            Command::new(&path)
        };
        let output = command
            .args(args)
            .current_dir(self.dir.path())
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if output.status.success() {
            Ok(output)
        } else {
            Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&output.stderr),
                String::from_utf8_lossy(&output.stdout)
            ))
        }
    }

    /// Starts the server (again): waits until it accepts connections.
    fn start_server(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=200",
            self.port,
            self.dir.path().display(),
            if self.durable { "on" } else { "off" }
        );
        let data = self.data_dir();
        let log = self.dir.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "start".as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
            ],
        )
        .map(drop)
        .map_err(|why| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{why}\n{log}")
        })
    }

    /// Stops the server (fast shutdown: connections are closed, committed work is kept).
    pub fn stop(&self) {
        let data = self.data_dir();
        if let Err(why) = self.run(
            "pg_ctl",
            &[
                "stop".as_ref(),
                "-w".as_ref(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-D".as_ref(),
                data.as_os_str(),
            ],
        ) {
            panic!("cannot stop the PostgreSQL cluster: {why}");
        }
    }

    /// Starts the server again after [`Cluster::stop`], on the same port.
    pub fn restart(&self) {
        if let Err(why) = self.start_server() {
            panic!("cannot start the PostgreSQL cluster again: {why}");
        }
    }

    /// The URL of the database `database` (see [`Cluster::create_database`]).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates the database `name` and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let output = Command::new(self.bin.join("createdb"))
            .args(["-h"])
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", USER, name])
            .stdin(Stdio::null())
            .output()
            .expect("createdb runs");
        assert!(
            output.status.success(),
            "createdb {name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        self.url(name)
    }

    /// Runs `sql` in the database `database` with psql (stops at the first error).
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let output = Command::new(self.bin.join("psql"))
            .args(["-h"])
            .arg(self.dir.path())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                "-d",
                database,
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ])
            .stdin(Stdio::null())
            .output()
            .expect("psql runs");
        assert!(
            output.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data_dir();
        // Immediate: nothing of a throwaway cluster needs to be kept. Already stopped is fine.
        let _ = self.run(
            "pg_ctl",
            &[
                "stop".as_ref(),
                "-w".as_ref(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "-D".as_ref(),
                data.as_os_str(),
            ],
        );
    }
}
