//! Diagnostics: what the checker says about a document, as data.
//!
//! Every code is stable and kebab-case (profile.md, "Diagnostic codes"); its severity and the
//! rule it belongs to are fixed here, once, so that no call site can disagree about them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::position::{Position, Span};

/// How serious a diagnostic is. A link with an error-level diagnostic is invalid (P-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
// Not `#[non_exhaustive]`: the two severities are the contract of every output and exit code
// (P-9); a third would change what every consumer does with a finding.
pub enum Severity {
    /// A likely mistake, or a presentation or accessibility problem; the link stays usable.
    Warning,
    /// Changes what is paid, for what, to whom or until when; the link is invalid.
    Error,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $rule:literal; )*) => {
        /// A diagnostic code of the profile. The names never change once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of the profile's table.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable kebab-case name, e.g. `invalid-price`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The fixed severity of this code.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// The profile rule the code belongs to, e.g. `P-3`.
            pub fn rule(self) -> &'static str {
                match self { $( Code::$variant => $rule, )* }
            }

            /// Looks a code up by its kebab-case name.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    /// P-2: a MUST field is absent.
    MissingRequiredField = "missing-required-field", Error, "P-2";
    /// P-2: a field other than paymentsystem is given twice.
    DuplicateField = "duplicate-field", Error, "P-2";
    /// P-2: a field whose value must not be empty is empty.
    EmptyField = "empty-field", Error, "P-2";
    /// P-3: the price is off the grammar.
    InvalidPrice = "invalid-price", Error, "P-3";
    /// P-3: the price has a leading minus sign.
    NegativePrice = "negative-price", Error, "P-3";
    /// P-3: the amount has too many significant or fractional digits.
    PriceOutOfRange = "price-out-of-range", Error, "P-3";
    /// P-4: a URL value cannot be parsed.
    InvalidUrl = "invalid-url", Error, "P-4";
    /// P-4: a URL resolves to a javascript, data or vbscript URL.
    UnsafeUrlScheme = "unsafe-url-scheme", Error, "P-4";
    /// P-4: baseurl is not an absolute URL.
    RelativeBaseurl = "relative-baseurl", Error, "P-4";
    /// P-5: a paymentsystem value does not start with an absolute URI.
    InvalidPaymentsystem = "invalid-paymentsystem", Error, "P-5";
    /// P-6: duration is not a whole number of seconds fitting 64 bits.
    InvalidDuration = "invalid-duration", Error, "P-6";
    /// P-7: expiration is neither an RFC 3339 date-time nor a date.
    InvalidExpiration = "invalid-expiration", Error, "P-7";
    /// P-1.7: an XHTML document is not well-formed XML.
    XmlNotWellFormed = "xml-not-well-formed", Error, "P-1.7";
    /// P-1.8: an HTML element nested deeper than the limit.
    NestingTooDeep = "nesting-too-deep", Error, "P-1.8";
    /// P-1.8: an HTML tag with more attributes than the limit.
    TooManyAttributes = "too-many-attributes", Error, "P-1.8";
    /// P-2: a SHOULD field is absent.
    MissingRecommendedField = "missing-recommended-field", Warning, "P-2";
    /// P-2: a field is given under an accepted alias.
    AliasFieldName = "alias-field-name", Warning, "P-2";
    /// P-2: a payment system is given in the legacy `mpN.mpname` form.
    LegacyPaymentsystemName = "legacy-paymentsystem-name", Warning, "P-2";
    /// P-2: a parameter name close to a field name, probably a typo.
    UnknownField = "unknown-field", Warning, "P-2";
    /// P-1.2: a field param that is not a direct child of an object or applet.
    MisplacedParam = "misplaced-param", Warning, "P-1.2";
    /// P-1.3: a per-fee-link inside another one's fallback content.
    NestedPerFeeLink = "nested-per-fee-link", Warning, "P-1.3";
    /// P-1.4: a per-fee-link without fallback content.
    MissingFallback = "missing-fallback", Warning, "P-1.4";
    /// P-1.4: the fallback's first link does not lead to the requesturl.
    FallbackLinkMismatch = "fallback-link-mismatch", Warning, "P-1.4";
    /// P-3: a currency code withdrawn from ISO 4217.
    WithdrawnCurrency = "withdrawn-currency", Warning, "P-3";
    /// P-3: three letters that were never an ISO 4217 code.
    UnknownCurrency = "unknown-currency", Warning, "P-3";
    /// P-3: the amount is zero.
    ZeroPrice = "zero-price", Warning, "P-3";
    /// P-4: a relative URL with nothing to resolve it against.
    UnresolvedRelativeUrl = "unresolved-relative-url", Warning, "P-4";
    /// P-4: a baseurl whose path does not end in `/`.
    BaseurlNotDirectory = "baseurl-not-directory", Warning, "P-4";
    /// P-4: the requesturl is on another origin than the page.
    CrossOriginRequesturl = "cross-origin-requesturl", Warning, "P-4";
    /// P-5: the same payment system URI twice in one link.
    DuplicatePaymentsystem = "duplicate-paymentsystem", Warning, "P-5";
    /// P-2: target is not a valid browsing-context name or keyword.
    InvalidTarget = "invalid-target", Warning, "P-2";
    /// P-2: hreflang is not a well-formed BCP 47 tag.
    InvalidHreflang = "invalid-hreflang", Warning, "P-2";
    /// P-2: type is not a MIME type.
    InvalidType = "invalid-type", Warning, "P-2";
    /// P-2: accesskey is not exactly one character.
    InvalidAccesskey = "invalid-accesskey", Warning, "P-2";
    /// P-2: charset is not a WHATWG encoding label.
    InvalidCharset = "invalid-charset", Warning, "P-2";
    /// P-7: the offer's expiration lies before the evaluation instant.
    ExpiredOffer = "expired-offer", Warning, "P-7";
    /// P-8: two links fetch the same URL for different prices.
    ConflictingOffers = "conflicting-offers", Warning, "P-8";
    /// P-8: the text shows an amount that is not the price.
    DisplayedPriceMismatch = "displayed-price-mismatch", Warning, "P-8";
    /// P-10: bytes that do not decode in the document's encoding.
    DecodingError = "decoding-error", Warning, "P-10";
    /// P-10.1: a page without an encoding declaration whose bytes are UTF-8.
    UndeclaredUtf8 = "undeclared-utf8", Warning, "P-10";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{name}`")))
    }
}

/// What a value parser found, before it is placed in a document: code, message, hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, where there is a usual fix.
    pub hint: Option<String>,
}

impl Finding {
    /// A finding without a hint.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Attaches a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the finding at `position`.
    pub fn at(self, position: Position) -> Diagnostic {
        Diagnostic {
            hint: self.hint,
            ..Diagnostic::new(self.code, position, self.message)
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Finding {}

/// One finding about a document: code, severity, where, which link and field, and why.
///
/// Field order is the JSON contract of docs/cli.md; `hint` and `value_span` are additions at
/// the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WrittenDiagnostic")]
pub struct Diagnostic {
    /// The stable code.
    pub(crate) code: Code,
    /// Its severity (always `code.severity()`).
    pub(crate) severity: Severity,
    /// 1-based line of the element or param concerned.
    pub(crate) line: u32,
    /// 1-based column (in characters) of that element's `<`.
    pub(crate) column: u32,
    /// Index of the link it belongs to, if any.
    pub(crate) link: Option<usize>,
    /// The canonical field name it concerns, if any.
    pub(crate) field: Option<String>,
    /// What is wrong, in one sentence.
    pub(crate) message: String,
    /// How to fix it, where there is a usual fix.
    #[serde(default)]
    pub(crate) hint: Option<String>,
    /// Where the value the diagnostic is about is written (the `value` attribute of the
    /// param, between its quotes, without the white space P-2 trims), when it is about a
    /// value and the value is written in the source; `line` and `column` stay those of the
    /// element.
    #[serde(default)]
    pub(crate) value_span: Option<Span>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity, at `position`.
    pub fn new(code: Code, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            line: position.line,
            column: position.column,
            link: None,
            field: None,
            message: message.into(),
            hint: None,
            value_span: None,
        }
    }

    /// Attaches where the value concerned is written.
    #[must_use]
    pub fn with_value_span(mut self, span: Option<Span>) -> Self {
        self.value_span = span;
        self
    }

    /// Where the diagnostic points a reader: the value it is about when that is known, else
    /// the element.
    pub fn focus(&self) -> Position {
        self.value_span.map_or(self.position(), |s| s.start())
    }

    /// Attaches the link index.
    #[must_use]
    pub fn for_link(mut self, link: usize) -> Self {
        self.link = Some(link);
        self
    }

    /// Attaches the field name.
    #[must_use]
    pub fn for_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attaches a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The position of the diagnostic.
    pub fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// Its severity: always the code's own ([`Code::severity`]).
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// 1-based line of the element or param concerned.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column (in characters) of that element's `<`.
    pub fn column(&self) -> u32 {
        self.column
    }

    /// Index of the link it belongs to, if any.
    pub fn link(&self) -> Option<usize> {
        self.link
    }

    /// The canonical field name it concerns, if any.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What is wrong, in one sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to fix it, where there is a usual fix.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// Where the value the diagnostic is about is written, when it is about a value written
    /// in the source.
    pub fn value_span(&self) -> Option<Span> {
        self.value_span
    }
}

/// A diagnostic as written in JSON: read only if its severity is its code's.
#[derive(Deserialize)]
struct WrittenDiagnostic {
    code: Code,
    severity: Severity,
    line: u32,
    column: u32,
    link: Option<usize>,
    field: Option<String>,
    message: String,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    value_span: Option<Span>,
}

impl TryFrom<WrittenDiagnostic> for Diagnostic {
    type Error = String;

    fn try_from(w: WrittenDiagnostic) -> Result<Self, String> {
        if w.severity != w.code.severity() {
            return Err(format!(
                "diagnostic `{}` is a {}, not a {}",
                w.code,
                w.code.severity().as_str(),
                w.severity.as_str()
            ));
        }
        Ok(Diagnostic {
            code: w.code,
            severity: w.severity,
            line: w.line,
            column: w.column,
            link: w.link,
            field: w.field,
            message: w.message,
            hint: w.hint,
            value_span: w.value_span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate name {code}");
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
        assert_eq!(Code::ALL.len(), 40);
        assert_eq!(Code::from_name("no-such-code"), None);
    }

    #[test]
    fn severities_follow_the_profile_table() {
        assert_eq!(Code::InvalidPrice.severity(), Severity::Error);
        assert_eq!(Code::XmlNotWellFormed.severity(), Severity::Error);
        assert_eq!(Code::ZeroPrice.severity(), Severity::Warning);
        assert_eq!(Code::DecodingError.severity(), Severity::Warning);
        let errors = Code::ALL
            .iter()
            .filter(|c| c.severity() == Severity::Error)
            .count();
        assert_eq!(errors, 15);
    }

    #[test]
    fn serializes_as_kebab_case() {
        let json = serde_json::to_string(&Code::DisplayedPriceMismatch).unwrap();
        assert_eq!(json, "\"displayed-price-mismatch\"");
        let back: Code = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Code::DisplayedPriceMismatch);
    }
}
