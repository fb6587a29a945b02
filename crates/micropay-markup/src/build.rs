//! P-2 to P-7 on one carrier: its params become fields, each value goes through its parser, and
//! every finding is placed at the param it concerns.

use html5ever::local_name;
use time::OffsetDateTime;
use url::Url;

use crate::carrier::{self, Found, Param, Tree};
use crate::dom::NodeId;
use crate::field::{self, Field, Level, Name};
use crate::field_map::FieldMap;
use crate::link::{ObjectAttributes, PerFeeLink};
use crate::url_ref::{self, LinkUrl};
use crate::value::duration::Duration;
use crate::value::expiration::Expiration;
use crate::value::paymentsystem::PaymentSystem;
use crate::value::presentation;
use crate::value::price::Price;
use crate::{Code, Diagnostic, Finding, Severity};

/// A validator of a presentation field (P-2).
type Check = fn(&str) -> Option<Finding>;

/// What the whole document contributes to each link.
pub(crate) struct Context<'a> {
    pub(crate) document_url: Option<&'a Url>,
    /// The document base: the first `base[href]` resolved, else the document URL (P-4).
    pub(crate) document_base: Option<&'a Url>,
    pub(crate) now: Option<OffsetDateTime>,
}

/// A link with the params its fields came from, for the whole-document checks (P-8).
pub(crate) struct Built {
    pub(crate) link: PerFeeLink,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The param each field was taken from.
    pub(crate) sources: FieldMap<NodeId>,
}

/// Values parsed for earlier links of the same document, by the text they were parsed from.
/// A page lists the same payment systems in every link; each is parsed once. (Parsing is a
/// function of the text alone, so a copy of the earlier result is what parsing again gives.)
#[derive(Default)]
pub(crate) struct Memo<'d> {
    paymentsystems: Vec<(&'d str, Result<PaymentSystem, Finding>)>,
}

impl<'d> Memo<'d> {
    /// At most this many distinct payment systems are remembered.
    const PAYMENTSYSTEMS: usize = 8;

    fn paymentsystem(&mut self, text: &'d str) -> Result<PaymentSystem, Finding> {
        if let Some((_, parsed)) = self.paymentsystems.iter().find(|(t, _)| *t == text) {
            return parsed.clone();
        }
        let parsed = PaymentSystem::parse(text);
        if self.paymentsystems.len() < Self::PAYMENTSYSTEMS {
            self.paymentsystems.push((text, parsed.clone()));
        }
        parsed
    }
}

struct Builder<'t, 'a> {
    tree: &'t Tree<'a>,
    index: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Builder<'_, '_> {
    /// Reports a finding about the value of `param`: placed at the param, and pointing at
    /// where its value is written.
    fn report(&mut self, finding: Finding, param: NodeId, field: Field) {
        let span = self.tree.value_span(param);
        self.report_param(finding, param, field);
        self.diagnostics.last_mut().expect("just pushed").value_span = span;
    }

    /// Reports a finding about `param` itself (its name, or its being there twice).
    fn report_param(&mut self, finding: Finding, param: NodeId, field: Field) {
        let diagnostic = finding
            .at(self.tree.position(param))
            .for_link(self.index)
            .for_field(field.name());
        self.diagnostics.push(diagnostic);
    }
}

/// Builds link number `index` from the carrier `found`.
pub(crate) fn build<'d>(
    tree: &Tree<'_>,
    context: &Context<'_>,
    memo: &mut Memo<'d>,
    found: &Found<'d>,
    index: usize,
) -> Built {
    let mut b = Builder {
        tree,
        index,
        diagnostics: Vec::new(),
    };
    let position = tree.position(found.id);
    let mut extensions = Vec::new();
    let mut fields: FieldMap<&Param<'_>> = FieldMap::default();
    let mut systems: Vec<&Param<'_>> = Vec::new();
    // Params whose name is a likely typo of a field, with that field.
    let mut typos: Vec<(Field, &str)> = Vec::new();

    for param in &found.params {
        let Some(name) = field::recognise(param.name) else {
            // P-2: a name that is no field is kept; a near miss of a field name is reported.
            if let Some((suggestion, f)) = field::likely_typo(param.name) {
                let finding = Finding::new(
                    Code::UnknownField,
                    format!("`{}` is not a field of the profile", param.name),
                )
                .with_hint(format!("did you mean `{suggestion}`?"));
                b.report_param(finding, param.id, f);
                b.diagnostics.last_mut().expect("just pushed").field = Some(param.name.to_owned());
                typos.push((f, param.name));
            }
            extensions.push((param.name.to_owned(), param.value.to_owned()));
            continue;
        };
        let field = name.field();
        match name {
            Name::Alias(_, alias) => b.report_param(
                Finding::new(
                    Code::AliasFieldName,
                    format!("`{alias}` is an alias of `{field}`"),
                )
                .with_hint(format!("write `{field}`")),
                param.id,
                field,
            ),
            Name::LegacyPaymentsystem => b.report_param(
                Finding::new(
                    Code::LegacyPaymentsystemName,
                    format!("`{}` is the legacy numbered form of `paymentsystem`", param.name),
                )
                .with_hint("write one `paymentsystem` param per payment system, in your order of preference"),
                param.id,
                field,
            ),
            Name::Canonical(_) => {}
        }
        if field == Field::Paymentsystem {
            systems.push(param);
        } else if !fields.insert_first(field, param) {
            // P-2: a field other than paymentsystem given twice; the first one stands.
            b.report_param(
                Finding::new(
                    Code::DuplicateField,
                    format!("`{field}` is given more than once; only the first is used"),
                ),
                param.id,
                field,
            );
        }
    }

    // P-2: MUST and SHOULD fields.
    for &field in Field::ALL {
        let present = if field == Field::Paymentsystem {
            !systems.is_empty()
        } else {
            fields.contains_key(&field)
        };
        if present {
            continue;
        }
        let code = match field.level() {
            Level::Must => Code::MissingRequiredField,
            Level::Should => Code::MissingRecommendedField,
            Level::May => continue,
        };
        // P-2: a missing field and the typo that is probably it are one mistake: say so.
        let message = match typos.iter().find(|(f, _)| *f == field) {
            Some((_, typo)) => format!(
                "the per-fee-link has no `{field}` param; a param named `{typo}` may be meant"
            ),
            None => format!("the per-fee-link has no `{field}` param"),
        };
        let mut diagnostic = Diagnostic::new(code, position, message)
            .for_link(index)
            .for_field(field.name());
        if let Some((_, typo)) = typos.iter().find(|(f, _)| *f == field) {
            diagnostic = diagnostic.with_hint(format!("rename the param `{typo}` to `{field}`"));
        }
        b.diagnostics.push(diagnostic);
    }

    let text = |f: Field| fields.get(&f).map(|p| p.value.to_owned());

    // P-3.
    let price = fields
        .get(&Field::Price)
        .and_then(|p| match Price::parse(p.value) {
            Ok(price) => {
                for warning in price.warnings() {
                    b.report(warning, p.id, Field::Price);
                }
                Some(price)
            }
            Err(finding) => {
                b.report(finding, p.id, Field::Price);
                None
            }
        });

    // P-2: textlink must not be empty; nor may what decides what is bought.
    for field in [Field::Textlink, Field::Requesturl, Field::Buyid] {
        if let Some(p) = fields.get(&field).filter(|p| p.value.is_empty()) {
            b.report(
                Finding::new(Code::EmptyField, format!("`{field}` is empty")),
                p.id,
                field,
            );
        }
    }
    if let Some(p) = fields.get(&Field::Title).filter(|p| p.value.is_empty()) {
        b.report(
            Finding::new(Code::MissingRecommendedField, "`title` is empty".to_owned()),
            p.id,
            Field::Title,
        );
    }

    // P-4: the link's base is its baseurl when that is absolute, else the document base.
    let baseurl = fields.get(&Field::Baseurl).map(|p| {
        let (url, findings) = url_ref::parse_baseurl(p.value);
        for finding in findings {
            b.report(finding, p.id, Field::Baseurl);
        }
        url
    });
    let (base, base_is_document_base) = match &baseurl {
        Some(LinkUrl::Resolved(url)) if !url.cannot_be_a_base() => (Some(url), false),
        _ => (context.document_base, true),
    };
    let resolve = |b: &mut Builder<'_, '_>, field: Field| {
        fields.get(&field).map(|p| {
            let resolved = url_ref::resolve(p.value, base);
            if let Some(finding) = resolved.finding {
                b.report(finding, p.id, field);
            }
            resolved.url
        })
    };
    let requesturl = resolve(&mut b, Field::Requesturl);
    let imagelink = resolve(&mut b, Field::Imagelink);
    let buyid = resolve(&mut b, Field::Buyid);
    let longdesc = resolve(&mut b, Field::Longdesc);
    // P-4: the user is shown one site and would pay another.
    if let (Some(doc), Some(LinkUrl::Resolved(target)), Some(p)) = (
        context.document_url,
        &requesturl,
        fields.get(&Field::Requesturl),
    ) && url_ref::is_cross_origin(doc, target)
    {
        b.report(
            Finding::new(
                Code::CrossOriginRequesturl,
                format!(
                    "requesturl `{target}` is on another origin than the page ({})",
                    doc.origin().ascii_serialization()
                ),
            ),
            p.id,
            Field::Requesturl,
        );
    }

    // P-5: payment systems, in the merchant's order.
    let mut paymentsystems: Vec<PaymentSystem> = Vec::new();
    for p in &systems {
        match memo.paymentsystem(p.value) {
            Ok(system) => {
                // P-5: reported, but kept: a warning never drops what the merchant wrote.
                if paymentsystems.iter().any(|s| s.id() == system.id()) {
                    b.report(
                        Finding::new(
                            Code::DuplicatePaymentsystem,
                            format!("payment system `{}` is listed twice", system.id()),
                        ),
                        p.id,
                        Field::Paymentsystem,
                    );
                }
                paymentsystems.push(system);
            }
            Err(finding) => b.report(finding, p.id, Field::Paymentsystem),
        }
    }

    // P-6.
    let duration = fields
        .get(&Field::Duration)
        .and_then(|p| match Duration::parse(p.value) {
            Ok(d) => Some(d),
            Err(finding) => {
                b.report(finding, p.id, Field::Duration);
                None
            }
        });

    // P-7.
    let expiration =
        fields
            .get(&Field::Expiration)
            .and_then(|p| match Expiration::parse(p.value) {
                Ok(e) => {
                    if let Some(now) = context.now
                        && e.is_expired_at(now)
                    {
                        b.report(
                            Finding::new(Code::ExpiredOffer, format!("the offer expired at {e}")),
                            p.id,
                            Field::Expiration,
                        );
                    }
                    Some(e)
                }
                Err(finding) => {
                    b.report(finding, p.id, Field::Expiration);
                    None
                }
            });

    // P-2: presentation fields.
    let checks: [(Field, Check); 5] = [
        (Field::Target, presentation::check_target),
        (Field::Hreflang, presentation::check_hreflang),
        (Field::Type, presentation::check_type),
        (Field::Accesskey, presentation::check_accesskey),
        (Field::Charset, presentation::check_charset),
    ];
    for (field, check) in checks {
        if let Some(p) = fields.get(&field)
            && let Some(finding) = check(p.value)
        {
            b.report(finding, p.id, field);
        }
    }

    // P-1.3 and P-1.4.
    if found.nested {
        b.diagnostics.push(
            Diagnostic::new(
                Code::NestedPerFeeLink,
                position,
                "this per-fee-link is inside another one's fallback content",
            )
            .for_link(index),
        );
    }
    if !carrier::has_fallback(tree.dom, found.id) {
        b.diagnostics.push(
            Diagnostic::new(
                Code::MissingFallback,
                position,
                "the per-fee-link has no fallback content for browsers without a wallet",
            )
            .for_link(index)
            .with_hint("put an <a href> to the requesturl, with the textlink as its text, inside the object"),
        );
    }
    let fallback_href = found.first_link.map(|(a, href)| {
        let href = carrier::trim_ascii(href);
        // P-4: the href resolves against the document base. When that is the requesturl's base
        // too and the href is written as the requesturl is (the usual fallback), it is the same
        // URL: resolving is a function of the text and the base.
        let resolved = match (&requesturl, fields.get(&Field::Requesturl)) {
            (Some(same), Some(p)) if base_is_document_base && p.value == href => same.clone(),
            _ => url_ref::resolve(href, context.document_base).url,
        };
        if let (LinkUrl::Resolved(h), Some(LinkUrl::Resolved(r))) = (&resolved, &requesturl)
            && h != r
        {
            b.diagnostics.push(
                Diagnostic::new(
                    Code::FallbackLinkMismatch,
                    tree.position(a),
                    format!("the fallback link goes to `{h}` but the requesturl is `{r}`"),
                )
                .for_link(index)
                .with_hint("point the fallback <a href> at the requesturl"),
            );
        }
        resolved
    });

    let element = tree.dom.element(found.id).expect("a carrier is an element");
    let object = ObjectAttributes {
        type_: element.attr(&local_name!("type")).map(str::to_owned),
        classid: element.attr(&local_name!("classid")).map(str::to_owned),
        codetype: element.attr(&local_name!("codetype")).map(str::to_owned),
        data: element.attr(&local_name!("data")).map(str::to_owned),
    };
    let valid = !b.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let link = PerFeeLink {
        index,
        element: found.carrier,
        line: position.line,
        column: position.column,
        valid,
        price,
        textlink: text(Field::Textlink),
        requesturl,
        paymentsystems,
        title: text(Field::Title),
        imagelink: imagelink.map(Box::new),
        buyid: buyid.map(Box::new),
        baseurl: baseurl.map(Box::new),
        longdesc: longdesc.map(Box::new),
        merchantname: text(Field::Merchantname),
        duration,
        expiration,
        target: text(Field::Target),
        hreflang: text(Field::Hreflang),
        type_: text(Field::Type),
        accesskey: text(Field::Accesskey),
        charset: text(Field::Charset),
        extdata: text(Field::Extdata),
        extdataparam: text(Field::Extdataparam),
        extensions,
        fallback_href,
        object,
    };
    Built {
        link,
        diagnostics: b.diagnostics,
        sources: {
            let mut sources = FieldMap::default();
            for (f, p) in fields.iter() {
                sources.insert_first(f, p.id);
            }
            sources
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_gives_what_parsing_gives() {
        let texts = [
            "https://ps.example/",
            "https://ps.example/ info",
            "ps.example",
            "",
            "https://ps.example/",
            "file://h//a:/",
            "ps.example",
        ];
        let mut memo = Memo::default();
        for _ in 0..2 {
            for text in texts {
                assert_eq!(
                    memo.paymentsystem(text),
                    PaymentSystem::parse(text),
                    "{text}"
                );
            }
        }
        // Past its size, the memo parses what it does not hold.
        let many: Vec<String> = (0..20).map(|n| format!("https://ps{n}.example/")).collect();
        for text in many.iter().chain(many.iter()) {
            assert_eq!(
                memo.paymentsystem(text),
                PaymentSystem::parse(text),
                "{text}"
            );
        }
    }
}
