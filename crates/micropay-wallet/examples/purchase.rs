//! A purchase from start to end, with both stores in memory: the merchant publishes a page;
//! the reader's wallet decides on its link and buys; the merchant verifies the token and
//! answers with a receipt; the wallet stores the receipt, and the link is then paid for.
//!
//! `cargo run -p micropay-wallet --example purchase`

use micropay_wallet::{
    Decision, Ledger, MerchantKey, Policy, PurchaseOutcome, ReplayStore, Url, Verifier, Wallet,
    WalletController, markup, time::OffsetDateTime,
};

const PAGE: &[u8] = br#"<p>Today's story:
<object type="application/x-micropayment">
  <param name="price" value="0.05USD">
  <param name="textlink" value="Today's story">
  <param name="requesturl" value="https://news.example/story">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="duration" value="86400">
  <a href="https://news.example/story">Today's story</a>
</object>"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let page_url = Url::parse("https://news.example/")?;
    let now = OffsetDateTime::now_utc();

    // The merchant: its signing key, a replay store in memory (each nonce is accepted once),
    // and the offers of its page; accepting requests issued up to 5 minutes from now.
    let merchant_key = MerchantKey::generate()?;
    let merchant_public_key = merchant_key.public_key();
    let mut verifier = Verifier::new(merchant_key, ReplayStore::memory(), 300);
    let published = verifier.publish_page(PAGE, &page_url)?;
    println!("merchant: {} offer(s) published", published.offers.len());

    // The reader: pays through https://ps.example/ in USD; its ledger is in memory.
    let policy = Policy::new(vec![Wallet::parse("https://ps.example/=USD")?]);
    let mut wallet = WalletController::new(policy, Ledger::in_memory()?)?;
    let document = markup::extract(PAGE, Some(&page_url))?;
    let link = &document.links()[0];
    println!("wallet: {}", wallet.decide(link, &page_url, now)?);

    // Buying signs the request and records the spend before the token is handed out.
    let spend = match wallet.purchase(link, &page_url, now, false)? {
        PurchaseOutcome::Purchased(spend) => spend,
        PurchaseOutcome::NotPurchased(decision) => {
            println!("wallet: not bought: {decision}");
            return Ok(());
        }
        other => return Err(format!("unexpected outcome {other:?}").into()),
    };
    println!("wallet: token {}…", &spend.token[..24]);

    // The merchant checks the token and signs a receipt; the same token again is refused.
    let receipt = match verifier.verify(&spend.token, now)? {
        Ok(accepted) => accepted.receipt.to_token(),
        Err(rejection) => return Err(format!("merchant refused: {rejection}").into()),
    };
    if let Err(rejection) = verifier.verify(&spend.token, now)? {
        println!("merchant: the same token again: {rejection}");
    }

    // The wallet stores the receipt under the merchant key it knows for this origin.
    match wallet.accept_receipt_under_key(&receipt, &merchant_public_key)? {
        Ok(_) => println!("wallet: receipt stored"),
        Err(rejection) => return Err(format!("receipt refused: {rejection}").into()),
    }
    let again = wallet.decide(link, &page_url, now)?;
    assert!(matches!(again, Decision::AlreadyPaid(_)));
    println!("wallet: {again}");
    Ok(())
}
