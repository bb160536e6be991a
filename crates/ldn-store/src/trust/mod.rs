//! Signatures, so that holding the database key is not the same as holding authority.
//!
//! The clinic's root signing key is derived from the recovery key, which exists only on paper;
//! the database keeps its public half, whose fingerprint is printed on that paper, in Settings
//! and on every clinician summary. The root vouches for the first administrator's account
//! record; administrators vouch for the others (`records`). Each account's Ed25519 key is
//! sealed to its key holder, so it opens with the account's password. Sign-offs
//! (`signoffs`) and the audit chain's head (`heads`) are signed with it.
//!
//! Someone who can open the database can still change any row, but cannot make a changed
//! row verify: a minted key holder, an edited role or a rewritten sign-off fails its
//! signature, and a cut or rewritten audit trail no longer matches its signed heads. Swapping
//! the root itself is caught against the fingerprint on paper (`ldn db verify --root`).

pub(crate) mod heads;
pub(crate) mod records;
mod root;
pub(crate) mod signoffs;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Result, StoreError};

pub(crate) use root::root_key;
pub use root::{fingerprint, normalize_fingerprint, recovery_fingerprint};
pub use signoffs::SignatureStatus;

/// Why a signature or a chain of them does not hold, in words for the report.
pub(crate) type Checked<T> = std::result::Result<T, String>;

/// The key a session signs with: an account's (at one generation of its record) or the root
/// (a recovery-key session).
#[derive(Clone)]
pub(crate) struct Signer {
    pub staff_id: Option<i64>,
    pub generation: Option<i64>,
    pub key: SigningKey,
}

impl Signer {
    pub fn root(key: SigningKey) -> Signer {
        Signer {
            staff_id: None,
            generation: None,
            key,
        }
    }

    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.key.sign(message).to_bytes())
    }
}

/// What is signed: a domain tag and the parts, each preceded by its length, so that no two
/// different lists of parts give the same bytes.
pub(crate) fn message(domain: &str, parts: &[&str]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for part in std::iter::once(&domain).chain(parts) {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes
}

pub(crate) fn opt(value: Option<i64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

pub(crate) fn verifying_key(hex_text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether `signature` (hex) is `key`'s over `message`.
pub(crate) fn holds(key: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    let Some(bytes) = hex::decode(signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    key.verify_strict(message, &Signature::from_bytes(&bytes))
        .is_ok()
}

/// The database's root of trust, once its root-signed statement has been checked.
pub(crate) struct Trust {
    pub root: VerifyingKey,
    pub unsigned_signoffs_upto: i64,
}

fn statement(root: &str, upto: i64, at: &str) -> Vec<u8> {
    message("ldn-intake/trust@1", &[root, &upto.to_string(), at])
}

/// The root of trust; none in a database made before signatures until an administrator sets
/// it up with the recovery key. A statement the root did not sign is reported, not used.
pub(crate) fn load(conn: &Connection) -> Result<Option<Checked<Trust>>> {
    let row: Option<(String, i64, String, String)> = conn
        .query_row(
            "SELECT root_public_key, unsigned_signoffs_upto, established_at, signature FROM trust",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(row.map(|(root_hex, upto, at, signature)| {
        let root = verifying_key(&root_hex)
            .ok_or_else(|| "the clinic's root key in the database is not a key".to_owned())?;
        if !holds(&root, &statement(&root_hex, upto, &at), &signature) {
            return Err("the clinic's root statement is not signed by its root key".into());
        }
        Ok(Trust {
            root,
            unsigned_signoffs_upto: upto,
        })
    }))
}

/// Writes the root of trust: sign-offs made so far count as made before signatures.
pub(crate) fn establish(conn: &Connection, root: &SigningKey) -> Result<()> {
    let root_hex = hex::encode(root.verifying_key().as_bytes());
    let upto: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM signoffs", [], |r| {
        r.get(0)
    })?;
    let at = crate::now();
    let signature = Signer::root(root.clone()).sign(&statement(&root_hex, upto, &at));
    conn.execute(
        "INSERT INTO trust (id, root_public_key, unsigned_signoffs_upto, established_at, signature) VALUES (1, ?1, ?2, ?3, ?4)",
        params![root_hex, upto, at, signature],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            StoreError::NotAllowed("signatures are already set up for this database".into())
        }
        _ => e.into(),
    })?;
    Ok(())
}
