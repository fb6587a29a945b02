//! A shop that sells one URL, `/story`, for 0.05 USD: the page at `/` offers it with a
//! per-fee-link, and `PaymentLayer` answers 402 until a wallet pays.
//!
//! `cargo run -p micropay-http --example shop -- merchant.key replay.db`, then
//! `micropay get http://127.0.0.1:8403/story --ledger wallet.db` (docs/http.md).

use axum::{Router, response::Html, routing::get};
use micropay_http::{Merchant, PaymentLayer};
use micropay_markup::Extractor;
use micropay_wallet::MerchantKey;
use url::Url;

const PAGE: &str = r#"<!DOCTYPE html><title>Shop</title>
<object type="application/x-per-fee-link">
  <param name="price" value="0.05USD">
  <param name="textlink" value="Today's story">
  <param name="requesturl" value="story">
  <param name="paymentsystem" value="https://pay.example/">
  <param name="duration" value="3600">
  <a href="story">Today's story</a>
</object>"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (key, replay) = (args.next(), args.next().unwrap_or("replay.db".into()));
    let key = match key {
        Some(path) => MerchantKey::load(path.as_ref())?, // from `micropay merchant init`
        None => MerchantKey::generate()?,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8403").await?;
    let site = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
    let page = Extractor::new()
        .document_url(site.clone())
        .extract_str(PAGE)?;
    let mut merchant = Merchant::builder(key, replay.as_ref(), site.clone())?;
    merchant.page(&page, &site);
    let app = Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route("/story", get(|| async { "Once upon a time...\n" }))
        .layer(PaymentLayer::new(merchant.build()));
    println!("selling {site}story");
    axum::serve(listener, app).await?;
    Ok(())
}
