//! The PDFs given out for an intake, as DocumentReferences: named by their SHA-256, with the
//! file attached when it is at hand.

use base64::Engine as _;
use ldn_engine::Language;
use serde_json::{json, Value};

use crate::response::language_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Handout,
    Summary,
    Card,
}

impl DocumentKind {
    /// The kind from the store's name for it (`handout`, `summary`, `card`).
    pub fn from_code(code: &str) -> Option<DocumentKind> {
        match code {
            "handout" => Some(DocumentKind::Handout),
            "summary" => Some(DocumentKind::Summary),
            "card" => Some(DocumentKind::Card),
            _ => None,
        }
    }

    fn title(self) -> &'static str {
        match self {
            DocumentKind::Handout => "LDN patient handout",
            DocumentKind::Summary => "LDN screening summary for the clinician",
            DocumentKind::Card => "LDN wallet card",
        }
    }
}

/// A PDF made from the intake: its SHA-256 (hex) and, when at hand, the bytes themselves.
pub struct Document<'a> {
    pub kind: DocumentKind,
    pub language: Language,
    /// When it was produced, as an instant with its time zone.
    pub created: Option<&'a str>,
    pub sha256: &'a str,
    pub pdf: Option<&'a [u8]>,
}

pub(crate) fn document_reference(document: &Document, subject: &Value) -> Value {
    let mut attachment = json!({
        "contentType": "application/pdf",
        "language": language_code(document.language),
        "title": document.kind.title(),
    });
    if let Some(pdf) = document.pdf {
        attachment["data"] = base64::engine::general_purpose::STANDARD.encode(pdf).into();
        attachment["size"] = pdf.len().into();
    }
    if let Some(created) = document.created {
        attachment["creation"] = created.into();
    }
    let mut reference = json!({
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"text": document.kind.title()},
        "subject": subject,
        "description": format!("SHA-256 {}", document.sha256),
        "content": [{"attachment": attachment}],
    });
    // The hash as an RFC 6920 "ni" name: the standard way to name content by its digest.
    if let Ok(digest) = hex::decode(document.sha256) {
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
        reference["masterIdentifier"] =
            json!({"system": "urn:ietf:rfc:3986", "value": format!("ni:///sha-256;{encoded}")});
    }
    if let Some(created) = document.created {
        reference["date"] = created.into();
    }
    reference
}
