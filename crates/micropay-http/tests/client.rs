//! The client's transport rules, over real HTTP on loopback: a credential never follows a
//! redirect to another origin, a body over the cap is refused, a slow server times out; and
//! a purchase through the layer in an axum app, end to end.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use micropay_http::{Client, Error, FetchOutcome, Merchant, PaymentLayer};
use micropay_markup::Extractor;
use micropay_wallet::{Ledger, MerchantKey, Policy, Wallet, WalletController};
use url::Url;

const PAGE: &str = r#"<object type="application/x-per-fee-link">
  <param name="price" value="0.05USD">
  <param name="textlink" value="The story">
  <param name="requesturl" value="story">
  <param name="paymentsystem" value="https://pay.example/">
  <param name="duration" value="600">
  <a href="story">The story</a></object>
<object type="application/x-per-fee-link">
  <param name="price" value="0.05USD">
  <param name="textlink" value="Moved">
  <param name="requesturl" value="moved">
  <param name="paymentsystem" value="https://pay.example/">
  <a href="moved">Moved</a></object>"#;

/// Serves `app` on a free loopback port; returns its base URL.
async fn serve(app: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Url::parse(&format!("http://{addr}/")).unwrap()
}

fn wallet(dir: &tempfile::TempDir) -> WalletController {
    let mut ledger = Ledger::create(&dir.path().join("wallet.db")).unwrap();
    let policy = Policy::new(vec![Wallet::any_currency(
        Url::parse("https://pay.example/").unwrap(),
    )])
    .with_require_https(false);
    ledger.set_policy(&policy).unwrap();
    WalletController::open(ledger).unwrap()
}

/// A shop whose `/story` is sold and whose sold `/moved` redirects to `elsewhere`.
async fn shop(dir: &tempfile::TempDir, elsewhere: Url) -> Url {
    // The shop's URL must be known before its pages are read: bind first.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let key = MerchantKey::generate().unwrap();
    let mut merchant = Merchant::builder(key, &dir.path().join("replay.db"), site.clone()).unwrap();
    let document = Extractor::new()
        .document_url(site.clone())
        .extract_str(PAGE)
        .unwrap();
    assert_eq!(merchant.page(&document, &site), 2);
    let target = elsewhere.to_string();
    let app = Router::new()
        .route("/story", get(|| async { "the story" }))
        .route(
            "/moved",
            get(move || async move {
                (StatusCode::FOUND, [(header::LOCATION, target)]).into_response()
            }),
        )
        .layer(PaymentLayer::new(merchant.build()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    site
}

#[tokio::test]
async fn a_purchase_through_the_layer_then_the_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let site = shop(&dir, Url::parse("http://127.0.0.1:9/").unwrap()).await;
    let mut wallet = wallet(&dir);
    let client = Client::new().unwrap();
    let story = site.join("story").unwrap();
    let paid = client.fetch(&mut wallet, &story, false).await.unwrap();
    assert!(
        matches!(&paid.outcome, FetchOutcome::Paid { receipt: Ok(_), .. }),
        "{paid:?}"
    );
    assert_eq!(paid.content.as_deref(), Some(&b"the story"[..]));
    assert!(paid.channel.authenticated);
    let again = client.fetch(&mut wallet, &story, false).await.unwrap();
    assert!(
        matches!(
            &again.outcome,
            FetchOutcome::AlreadyPaid {
                receipt: Some(_),
                ..
            }
        ),
        "{again:?}"
    );
    // A page with links: link 0 is the story, already paid.
    let free = client.fetch(&mut wallet, &site, false).await.unwrap();
    assert!(matches!(free.outcome, FetchOutcome::Free));
    assert_eq!(free.status, 404);
}

#[tokio::test]
async fn a_credential_never_follows_a_redirect_to_another_origin() {
    let dir = tempfile::tempdir().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let other = serve(Router::new().fallback(move |headers: HeaderMap| {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            assert!(headers.get(header::AUTHORIZATION).is_none());
            "elsewhere"
        }
    }))
    .await;
    let site = shop(&dir, other.join("x").unwrap()).await;
    let mut wallet = wallet(&dir);
    let client = Client::new().unwrap();
    let moved = site.join("moved").unwrap();
    let error = client.fetch(&mut wallet, &moved, false).await.unwrap_err();
    assert!(matches!(error, Error::Redirect { .. }), "{error}");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn a_body_over_the_cap_and_a_slow_server_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve(
        Router::new()
            .route("/big", get(|| async { vec![b'x'; 4096] }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            ),
    )
    .await;
    let mut wallet = wallet(&dir);
    let client = Client::with_limits(Duration::from_millis(500), 1024).unwrap();
    let big = client
        .fetch(&mut wallet, &base.join("big").unwrap(), false)
        .await
        .unwrap_err();
    assert!(
        matches!(big, Error::BodyTooLarge { limit: 1024, .. }),
        "{big}"
    );
    let slow = client
        .fetch(&mut wallet, &base.join("slow").unwrap(), false)
        .await
        .unwrap_err();
    assert!(matches!(slow, Error::Transport(_)), "{slow}");
}
