use super::*;
use time::macros::datetime;

pub(crate) fn sample_fields() -> OfferFields {
    let url = |s: &str| Url::parse(s).unwrap();
    OfferFields::new(
        url("https://merchant.example/cartoons/"),
        Price::parse("0.01USD").unwrap(),
        "Today's cartoon",
        url("https://merchant.example/cartoon/today.html"),
    )
    .with_paymentsystem(url("https://ps.example/"), None)
    .with_paymentsystem(url("https://other-ps.example/pay"), Some("acct=42"))
}

pub(crate) fn sample_offer() -> Offer {
    Offer::new(sample_fields()).unwrap()
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn text(s: &str) -> String {
    s.to_owned()
}

#[test]
fn digest_is_deterministic_and_covers_every_field() {
    let base = sample_offer();
    assert_eq!(base.digest(), Offer::new(sample_fields()).unwrap().digest());
    let changes: &[fn(&mut OfferFields)] = &[
        |f| f.document_url = Url::parse("https://merchant.example/").unwrap(),
        |f| f.price = Price::parse("0.02USD").unwrap(),
        |f| f.price = Price::parse("0.01EUR").unwrap(),
        |f| f.textlink.push('!'),
        |f| f.requesturl.set_path("/other"),
        |f| f.paymentsystems.reverse(),
        |f| f.paymentsystems[0].info = Some(text("")),
        |f| f.title = Some(text("t")),
        |f| f.imagelink = Some(url("https://i.example/")),
        |f| f.buyid = Some(url("https://merchant.example/cartoon/")),
        |f| f.baseurl = Some(url("https://merchant.example/")),
        |f| f.longdesc = Some(url("https://merchant.example/d")),
        |f| f.merchantname = Some(text("M")),
        |f| f.duration = Some(0),
        |f| f.expiration = Some(datetime!(2000-01-01 0:00 UTC)),
        |f| f.target = Some(text("_top")),
        |f| f.hreflang = Some(text("en")),
        |f| f.media_type = Some(text("text/html")),
        |f| f.accesskey = Some(text("c")),
        |f| f.charset = Some(text("utf-8")),
        |f| f.extdata = Some(text("x")),
        |f| f.extdataparam = Some(text("y")),
        |f| f.extensions.push(("x-colour".into(), "red".into())),
    ];
    let mut seen = std::collections::BTreeSet::from([base.digest()]);
    for change in changes {
        let mut fields = sample_fields();
        change(&mut fields);
        let digest = Offer::new(fields).unwrap().digest();
        assert!(seen.insert(digest), "a change left the digest unchanged");
    }
}

#[test]
fn length_prefixes_keep_neighbouring_fields_apart() {
    let mut a = sample_fields();
    a.title = Some("ab".into());
    a.merchantname = Some("c".into());
    let mut b = sample_fields();
    b.title = Some("a".into());
    b.merchantname = Some("bc".into());
    assert_ne!(
        Offer::new(a).unwrap().digest(),
        Offer::new(b).unwrap().digest()
    );
}

#[test]
fn expiration_is_encoded_as_the_instant() {
    let mut a = sample_fields();
    a.expiration = Some(datetime!(2000-01-01 1:00 +01:00));
    let mut b = sample_fields();
    b.expiration = Some(datetime!(2000-01-01 0:00 UTC));
    assert_eq!(
        Offer::new(a).unwrap().digest(),
        Offer::new(b).unwrap().digest()
    );
}

#[test]
fn invalid_fields_are_refused() {
    let mut f = sample_fields();
    f.textlink = "  ".into();
    assert_eq!(Offer::new(f), Err(OfferError::EmptyTextlink));
    let mut f = sample_fields();
    f.paymentsystems.clear();
    assert_eq!(Offer::new(f), Err(OfferError::NoPaymentSystem));
    let mut f = sample_fields();
    f.requesturl = Url::parse("file:///tmp/a.html").unwrap();
    assert!(matches!(
        Offer::new(f),
        Err(OfferError::NoMerchantOrigin(_))
    ));
    let mut f = sample_fields();
    f.imagelink = Some(Url::parse("javascript:alert(1)").unwrap());
    assert!(matches!(
        Offer::new(f),
        Err(OfferError::UnsafeUrlScheme {
            field: "imagelink",
            ..
        })
    ));
}

fn extract(page: &str, document_url: Option<&str>) -> micropay_markup::Document {
    let url = document_url.map(|u| Url::parse(u).unwrap());
    micropay_markup::extract(page, url.as_ref()).unwrap()
}

const FULL_PAGE: &str = r#"<object type="application/x-micropayment">
  <param name="price" value="+4.250E0EUR">
  <param name="textlink" value="  The article ">
  <param name="requesturl" value="article-17.html">
  <param name="paymentsystem" value="https://ps.example/ merchant-account=4711">
  <param name="paymentsystem" value="urn:x-micropay:other-system">
  <param name="title" value="The full article">
  <param name="buyid" value="./">
  <param name="baseurl" value="https://merchant.example/news/">
  <param name="duration" value="86400">
  <param name="expiration" value="2027-12-31">
  <param name="type" value="text/html">
  <param name="x-colour" value="red">
  <a href="https://merchant.example/news/article-17.html">The article</a>
</object>"#;

#[test]
fn from_link_takes_every_field_as_resolved() {
    let url = "https://merchant.example/news/index.html";
    let doc = extract(FULL_PAGE, Some(url));
    let offer = Offer::from_link(&doc.links()[0], &Url::parse(url).unwrap()).unwrap();
    let f = offer.fields();
    assert_eq!(f.price.to_string(), "4.25EUR");
    assert_eq!(f.textlink, "The article");
    assert_eq!(
        f.requesturl.as_str(),
        "https://merchant.example/news/article-17.html"
    );
    assert_eq!(f.paymentsystems.len(), 2);
    assert_eq!(
        f.paymentsystems[0].info.as_deref(),
        Some("merchant-account=4711")
    );
    assert_eq!(
        f.paymentsystems[1].id.as_str(),
        "urn:x-micropay:other-system"
    );
    assert_eq!(offer.scope().as_str(), "https://merchant.example/news/");
    assert_eq!(f.duration, Some(86400));
    assert_eq!(
        f.expiration.unwrap(),
        time::macros::datetime!(2027-12-31 23:59:59.999_999_999 UTC)
    );
    assert_eq!(f.media_type.as_deref(), Some("text/html"));
    assert_eq!(f.extensions, [("x-colour".to_owned(), "red".to_owned())]);
    assert_eq!(f.document_url.as_str(), url);
}

#[test]
fn from_link_refuses_invalid_links_and_unresolved_urls() {
    let base = Url::parse("https://merchant.example/").unwrap();
    let invalid = extract(
        &FULL_PAGE.replace("+4.250E0EUR", "4,25EUR"),
        Some(base.as_str()),
    );
    assert_eq!(
        Offer::from_link(&invalid.links()[0], &base),
        Err(OfferError::InvalidLink(0))
    );
    // Without a document URL the relative requesturl stays as written (a warning only,
    // so the link is valid), and the offer cannot name it.
    let page = FULL_PAGE.replace(
        r#"<param name="baseurl" value="https://merchant.example/news/">"#,
        "",
    );
    let unresolved = extract(&page, None);
    assert!(unresolved.links()[0].is_valid());
    assert_eq!(
        Offer::from_link(&unresolved.links()[0], &base),
        Err(OfferError::UnresolvedUrl {
            field: "requesturl",
            value: "article-17.html".into()
        })
    );
}

#[test]
fn scope_origin_and_expiry() {
    let offer = sample_offer();
    assert_eq!(offer.scope(), &offer.fields().requesturl);
    assert_eq!(offer.merchant_origin().as_str(), "https://merchant.example");
    assert!(!offer.is_expired_at(datetime!(2100-01-01 0:00 UTC)));
    let mut f = sample_fields();
    f.buyid = Some(Url::parse("https://merchant.example/cartoon/").unwrap());
    f.expiration = Some(datetime!(2000-01-01 0:00 UTC));
    let offer = Offer::new(f).unwrap();
    assert_eq!(offer.scope().as_str(), "https://merchant.example/cartoon/");
    assert!(!offer.is_expired_at(datetime!(2000-01-01 0:00 UTC)));
    assert!(offer.is_expired_at(datetime!(2000-01-01 0:00:01 UTC)));
}
