//! `micropay serve DIR --key FILE --replay STORE [--addr 127.0.0.1:8402] [--base-url URL]`:
//! a merchant's site in one command (docs/http.md). The files under DIR are served; every
//! valid per-fee-link of its pages (*.html, *.htm, *.xhtml) whose `requesturl` lies on the
//! site prices that URL, through `micropay_http::PaymentLayer`; everything else is free.
//! One line on standard error once it listens (`micropay: listening on http://ADDR/ ...`),
//! then one per request: method, path, status, outcome code. Every minute (`--prune-every`),
//! the replay store is pruned of the nonces beyond the replay window, in a blocking task
//! beside the requests.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use clap::Args;
use micropay_http::{CODE_HEADER, Merchant, PaymentLayer};
use micropay_markup::Url;
use micropay_wallet::{MerchantKey, ReplayStoreConfig};

use crate::wallet_io::read_page;

/// Pages deeper than this under DIR are not read (nor served).
const MAX_DEPTH: usize = 32;

/// `micropay serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The directory whose files are the site.
    pub(crate) dir: PathBuf,
    /// The merchant's key file (from `micropay merchant init`).
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,
    /// The replay store: nonces and receipts of accepted purchases (created on first use).
    /// A path is an SQLite file; a postgres:// or postgresql:// URL a PostgreSQL database,
    /// which any number of `serve` processes may share.
    #[arg(long, value_name = "STORE")]
    pub(crate) replay: ReplayStoreConfig,
    /// The address to listen on (port 0: any free port, printed once bound).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8402")]
    pub(crate) addr: SocketAddr,
    /// The site's public URL, against which the pages' URLs resolve. Default: http://ADDR/.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<Url>,
    /// How often (seconds) the replay store is pruned of the nonces issued more than twice
    /// the skew window ago.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) prune_every: u64,
    #[command(flatten)]
    pub(crate) limit: crate::input_limit::LimitArg,
}

/// Runs `micropay serve` until interrupted.
pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode, String> {
    let root = args
        .dir
        .canonicalize()
        .map_err(|e| format!("cannot read {}: {e}", args.dir.display()))?;
    if !root.is_dir() {
        return Err(format!("{} is not a directory", args.dir.display()));
    }
    let key = MerchantKey::load(&args.key).map_err(|e| e.to_string())?;
    // Opened before the server's runtime starts: opening blocks.
    let store = args
        .replay
        .open()
        .map_err(|e| format!("cannot open the replay store {}: {e}", args.replay))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
        let bound = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let mut site = match &args.base_url {
            Some(url) => url.clone(),
            None => Url::parse(&format!("http://{bound}/"))
                .map_err(|e| format!("http://{bound}/: {e}"))?,
        };
        // The site is a directory: its pages' paths are under it.
        if !site.path().ends_with('/') {
            let path = format!("{}/", site.path());
            site.set_path(&path);
        }
        let mut merchant =
            Merchant::with_store(key, store, site.clone()).map_err(|e| e.to_string())?;
        let mut priced = 0;
        for (file, relative) in pages(&root) {
            let Ok(url) = site.join(&encode_path(&relative)) else {
                continue;
            };
            match read_page(&file, &url, args.limit.or_default()) {
                Ok(document) => priced += merchant.page(&document, &url),
                Err(why) => eprintln!("micropay: skipped {why}"),
            }
        }
        let merchant = merchant.build();
        let every = std::time::Duration::from_secs(args.prune_every);
        tokio::spawn(prune_every(every, merchant.clone()));
        let state = Site {
            root,
            base_path: site.path().to_owned(),
        };
        let app = Router::new()
            .fallback(move |request: Request| {
                let state = state.clone();
                let method = request.method().clone();
                let path = request.uri().path().to_owned();
                async move { state.serve(&method, &path).await }
            })
            .layer(PaymentLayer::new(merchant.clone()))
            .layer(middleware::from_fn(log));
        eprintln!(
            "micropay: listening on http://{bound}/ (site {site}; {} priced URL(s) from {priced} link(s))",
            merchant.priced_urls().count()
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| format!("the server stopped: {e}"))?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Prunes the replay store every `interval`, each time in a blocking task, so that requests
/// are served meanwhile; a failure is logged and the next round tries again.
async fn prune_every(interval: std::time::Duration, merchant: Merchant) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let merchant = merchant.clone();
        let pruned =
            tokio::task::spawn_blocking(move || merchant.prune(time::OffsetDateTime::now_utc()))
                .await;
        match pruned {
            Ok(Ok(_)) => {}
            Ok(Err(why)) => eprintln!("micropay: pruning the replay store failed: {why}"),
            Err(why) => eprintln!("micropay: pruning the replay store failed: {why}"),
        }
    }
}

/// Resolves when the process is asked to stop (Ctrl-C, SIGTERM).
async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let terminate = async {
            match term.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = interrupt => {},
            () = terminate => {},
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// One line per request: method, path, status, outcome code (`free` for what no offer
/// prices).
async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let code = response
        .headers()
        .get(CODE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("free")
        .to_owned();
    eprintln!("{method} {path} {} {code}", response.status().as_u16());
    response
}

/// The files of the site.
#[derive(Clone)]
struct Site {
    /// DIR, canonical.
    root: PathBuf,
    /// The site URL's path (ends with `/`).
    base_path: String,
}

impl Site {
    /// GET and HEAD of a file under the root: no `..`, no symbolic link out of the root; a
    /// directory serves its index.html.
    async fn serve(&self, method: &Method, path: &str) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return (StatusCode::METHOD_NOT_ALLOWED, "GET or HEAD\n").into_response();
        }
        let Some(file) = self.file(path) else {
            return (StatusCode::NOT_FOUND, "not found\n").into_response();
        };
        match tokio::fs::read(&file).await {
            Ok(bytes) => {
                let mut response = Response::new(Body::from(bytes));
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(&file)),
                );
                response
            }
            Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        }
    }

    /// The file a URL path names, if it lies under the root.
    fn file(&self, path: &str) -> Option<PathBuf> {
        let relative = path.strip_prefix(&self.base_path)?;
        let mut candidate = self.root.clone();
        for segment in relative.split('/').filter(|s| !s.is_empty()) {
            let decoded = percent_decode(segment)?;
            let part = Path::new(&decoded);
            // One normal component each: no `..`, `.`, root or prefix, no separator inside.
            let mut components = part.components();
            match (components.next(), components.next()) {
                (Some(Component::Normal(_)), None) => candidate.push(part),
                _ => return None,
            }
        }
        // A symbolic link may point anywhere: what it resolves to must be under the root.
        let mut resolved = candidate.canonicalize().ok()?;
        if !resolved.starts_with(&self.root) {
            return None;
        }
        if resolved.is_dir() {
            resolved = resolved.join("index.html").canonicalize().ok()?;
            if !resolved.starts_with(&self.root) {
                return None;
            }
        }
        resolved.is_file().then_some(resolved)
    }
}

/// `%XX` decoded; `None` for a bad escape, a NUL or bytes that are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

/// A relative file path as a relative URL path, each byte outside the unreserved set
/// escaped.
fn encode_path(relative: &str) -> String {
    let mut out = String::with_capacity(relative.len());
    for b in relative.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The content type of a file, by its extension.
fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("xhtml") => "application/xhtml+xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The pages under `root` (files, not following symbolic links), with their paths
/// relative to it, `/`-separated.
fn pages(root: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new(), 0)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let relative = format!("{prefix}{name}");
            if kind.is_dir() && depth < MAX_DEPTH {
                stack.push((entry.path(), format!("{relative}/"), depth + 1));
            } else if kind.is_file() {
                let lower = name.to_ascii_lowercase();
                if [".html", ".htm", ".xhtml"]
                    .iter()
                    .any(|e| lower.ends_with(e))
                {
                    found.push((entry.path(), relative));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a b.html"), "x").unwrap();
        std::fs::write(root.join("sub/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
        let site = Site {
            root: root.canonicalize().unwrap(),
            base_path: "/".to_owned(),
        };
        assert!(site.file("/a%20b.html").is_some());
        assert!(site.file("/sub/").is_some());
        for bad in [
            "/../secret",
            "/%2e%2e/secret",
            "/sub/%2F..%2F..%2Fsecret",
            "/link",
            "/nothing",
            "/a%2",
            "/%00",
        ] {
            assert_eq!(site.file(bad), None, "{bad}");
        }
        assert_eq!(encode_path("a b/c.html"), "a%20b/c.html");
    }
}
