//! Signed sign-offs: a clinician signs the decision together with a hash of everything it was
//! made on (the version's answers, the summary shown, the rules version), so changing either
//! the sign-off or the version afterwards shows as "signature does not match".

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::records::signer_key;
use super::{holds, message, opt, Checked, Signer, Trust};
use crate::error::Result;
use crate::store::Role;

/// Whether a sign-off's signature holds, as the history and the printed summary say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Signed by this account (its username), whose record chains to the clinic's root.
    Valid {
        signed_by: String,
    },
    DoesNotMatch {
        why: String,
    },
    /// Made before this database had signatures.
    MadeBeforeSignatures,
}

impl std::fmt::Display for SignatureStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureStatus::Valid { signed_by } => {
                write!(f, "signature valid, signed by {signed_by}")
            }
            SignatureStatus::DoesNotMatch { why } => write!(f, "signature does not match ({why})"),
            SignatureStatus::MadeBeforeSignatures => write!(f, "made before signatures"),
        }
    }
}

/// What a sign-off signs, as stored.
pub(crate) struct SignedContent<'a> {
    pub version_id: i64,
    pub answers: &'a str,
    pub summary: Option<&'a str>,
    pub rules_version: Option<&'a str>,
    pub decision: &'a str,
    pub note: &'a str,
    pub signed_at: &'a str,
    pub plan: Option<&'a str>,
    pub clinician_id: i64,
    pub generation: Option<i64>,
}

fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl SignedContent<'_> {
    fn message(&self) -> Vec<u8> {
        let absent = |t: Option<&str>| t.map_or_else(|| "-".to_owned(), digest);
        message(
            "ldn-intake/signoff@1",
            &[
                &self.version_id.to_string(),
                &digest(self.answers),
                &absent(self.summary),
                &absent(self.rules_version),
                self.decision,
                self.note,
                self.signed_at,
                &absent(self.plan),
                &self.clinician_id.to_string(),
                &opt(self.generation),
            ],
        )
    }

    pub fn sign(&self, signer: &Signer) -> String {
        signer.sign(&self.message())
    }

    /// Whether `signature` holds for this content, given the database's root of trust.
    pub fn status(
        &self,
        conn: &Connection,
        trust: Option<&Checked<Trust>>,
        signoff_id: i64,
        signature: Option<&str>,
    ) -> Result<SignatureStatus> {
        let mismatch = |why: &str| SignatureStatus::DoesNotMatch {
            why: why.to_owned(),
        };
        let trust = match (trust, signature) {
            (None, None) => return Ok(SignatureStatus::MadeBeforeSignatures),
            (None, Some(_)) => return Ok(mismatch("this database has no root of trust")),
            (Some(Err(why)), _) => return Ok(mismatch(why)),
            (Some(Ok(trust)), _) => trust,
        };
        let Some(signature) = signature else {
            return Ok(if signoff_id <= trust.unsigned_signoffs_upto {
                SignatureStatus::MadeBeforeSignatures
            } else {
                mismatch("it carries no signature")
            });
        };
        let (key, record) = match signer_key(conn, trust, Some(self.clinician_id), self.generation)?
        {
            Ok((key, Some(record))) => (key, record),
            Ok((_, None)) => return Ok(mismatch("it names no clinician")),
            Err(why) => return Ok(mismatch(&why)),
        };
        if record.role != Role::Clinician || record.disabled {
            return Ok(mismatch(&format!(
                "{} was not an enabled clinician",
                record.username
            )));
        }
        Ok(if holds(&key, &self.message(), signature) {
            SignatureStatus::Valid {
                signed_by: record.username,
            }
        } else {
            mismatch("the sign-off or its intake version was changed after signing")
        })
    }
}
