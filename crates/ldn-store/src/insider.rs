//! What someone who can sign in and read the files can do to them with their own password,
//! for tests that check each attempt is refused or reported. Only builds with the
//! `test-support` feature have it.

use ed25519_dalek::SigningKey;
use rusqlite::{params, Connection};
use std::path::Path;

use crate::error::{Result, StoreError};
use crate::files::KeyLock;
use crate::keyring::{Holder, HolderKind, Keyring};
use crate::store::Store;
use crate::trust::{self, fingerprint, Signer};

/// Opens their own key holder and writes one for `victim` with a password of their choice,
/// sealing the database key and a signing key of their own making to it.
pub fn mint_holder(
    db: &Path,
    own: (&str, &str),
    victim: &str,
    chosen_password: &str,
) -> Result<()> {
    let mut ring = Keyring::load(db)?;
    let mine = ring.staff(own.0).ok_or(StoreError::WrongCredentials)?;
    let secret = mine.open(own.1).ok_or(StoreError::WrongCredentials)?;
    let keys = mine.unseal(&secret);
    let mut holder = Holder::new(
        HolderKind::Staff,
        Some(victim),
        chosen_password,
        &keys.iter().collect::<Vec<_>>(),
    )?;
    holder.seal_signing(&SigningKey::generate(&mut rand::rngs::OsRng))?;
    ring.replace(holder);
    ring.save(db)
}

/// Puts a root key of their own in place of the clinic's and re-signs the root statement and
/// every account record with it, keeping each account's public key, so that every signature
/// in the database still holds. Returns the new root's fingerprint.
pub fn swap_root(conn: &Connection) -> Result<String> {
    let fake = SigningKey::generate(&mut rand::rngs::OsRng);
    conn.execute_batch("DELETE FROM trust")?;
    trust::establish(conn, &fake)?;
    let root = Signer::root(fake.clone());
    let mut stmt =
        conn.prepare("SELECT staff_id, generation FROM account_records WHERE signer_id IS NULL")?;
    let signed_by_root = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
    for (staff_id, generation) in signed_by_root {
        let signature = trust::records::resign(conn, &root, staff_id, generation)?;
        conn.execute(
            "UPDATE account_records SET signature = ?1 WHERE staff_id = ?2 AND generation = ?3",
            params![signature, staff_id, generation],
        )?;
    }
    Ok(fingerprint(&fake.verifying_key()))
}

/// Turns the database back into one from before signatures, as schema 5 left it: no root, no
/// account records, no signed heads, unsigned sign-offs, and key holders without signing keys.
pub fn before_signatures(store: &Store) -> Result<()> {
    store.conn.execute_batch(
        "DELETE FROM trust; DELETE FROM account_records; DELETE FROM audit_heads;
         UPDATE signoffs SET signature = NULL, signer_generation = NULL;",
    )?;
    let _lock = KeyLock::take(&store.path)?;
    let mut ring = Keyring::load(&store.path)?;
    for holder in &mut ring.holders {
        holder.signing = None;
    }
    ring.save(&store.path)
}

/// Recomputes every audit row's hash after rows were rewritten, as the unkeyed chain allows.
pub fn recompute_audit_chain(conn: &Connection) -> Result<()> {
    crate::audit::recompute(conn)
}
