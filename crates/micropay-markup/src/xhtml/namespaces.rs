//! Namespaces in XML 1.0: the namespaces extraction tells apart, and the rules for
//! declaring prefixes (§3) that quick-xml partly enforces and the reader completes.

use quick_xml::name::NamespaceError;

use super::{Fault, tag};
use crate::dom::Ns;

/// The XHTML namespace: its elements are the ones P-1 looks at.
pub(crate) const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
/// The SVG namespace.
pub(crate) const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The MathML namespace.
pub(crate) const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";
/// The namespace the prefix `xml` is bound to, and no other.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations, bound to no prefix.
pub(crate) const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// P-1.7: the namespaces the carrier rules tell apart (P-1.6: SVG and MathML elements are
/// never carriers); any other namespace, or none, is "other".
pub(crate) fn kind(uri: Option<&str>) -> Ns {
    match uri {
        Some(XHTML_NS) => Ns::Html,
        Some(SVG_NS) => Ns::Svg,
        Some(MATHML_NS) => Ns::MathMl,
        _ => Ns::Other,
    }
}

/// quick-xml refuses some namespace declarations before handing out the tag; the attribute
/// concerned is found again for the position.
pub(crate) fn refused(error: &NamespaceError, text: &str, before: usize, after: usize) -> Fault {
    let raw = text.get(before..after).unwrap_or_default();
    if let Ok(tag) = tag::read(raw) {
        for a in &tag.attributes {
            if let Some(declared) = a.name.strip_prefix("xmlns:")
                && let Err(fault) =
                    reserved_binding(declared, a.value, before + a.name_at, before + a.value_at)
            {
                return fault;
            }
            if a.name == "xmlns" && (a.value == XML_NS || a.value == XMLNS_NS) {
                return Fault::new(
                    before + a.value_at,
                    "this reserved namespace cannot be the default namespace",
                );
            }
        }
    }
    let message = match error {
        NamespaceError::TooManyBindings(limit) => format!(
            "more than {limit} namespace declarations are in scope here, beyond this checker's limit"
        ),
        NamespaceError::TooDeeplyNested(limit) => {
            format!("elements are nested more than {limit} deep here, beyond this checker's limit")
        }
        other => format!("a namespace declaration of this tag is not allowed: {other}"),
    };
    Fault::new(before, message)
}

/// Namespaces in XML 1.0 §3: `xmlns:xmlns` is never declared, `xml` only to its namespace,
/// neither reserved namespace to another prefix, and no prefix undeclared (1.0 has no
/// `xmlns:p=""`).
pub(crate) fn reserved_binding(
    prefix: &str,
    value: &str,
    at: usize,
    value_at: usize,
) -> Result<(), Fault> {
    let message = if prefix == "xmlns" {
        "the prefix `xmlns` cannot be declared".to_owned()
    } else if prefix == "xml" && value != XML_NS {
        format!("the prefix `xml` is bound to `{XML_NS}` and cannot be rebound")
    } else if prefix != "xml" && (value == XML_NS || value == XMLNS_NS) {
        format!("the reserved namespace `{value}` cannot be bound to the prefix `{prefix}`")
    } else if value.is_empty() {
        return Err(Fault::new(
            value_at,
            format!(
                "`xmlns:{prefix}=\"\"` is not allowed: Namespaces in XML 1.0 cannot undeclare a prefix"
            ),
        ));
    } else {
        return Ok(());
    };
    Err(Fault::new(at, message))
}
