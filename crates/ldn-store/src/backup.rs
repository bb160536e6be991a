//! Backups: one file holding the key file and an encrypted copy of the whole database, made
//! with SQLCipher's export. Restoring writes both into a fresh location; opening it with any
//! account that existed at backup time (or the recovery key) and `verify_restore` then check
//! integrity, the audit chain and the row counts recorded at backup time.

use std::fs;
use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::files::{create_private, write_atomically, KeyLock};
use crate::keyring::{keys_path, recovery_path, Keyring};
use crate::permission::Permission;
use crate::store::{Store, CIPHER_COMPATIBILITY};

const MAGIC: &[u8] = b"LDN-INTAKE-BACKUP 1\n";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCounts {
    pub patients: i64,
    pub intake_versions: i64,
    pub staff: i64,
}

impl BackupCounts {
    fn detail(&self) -> String {
        format!(
            "patients={} intake_versions={} staff={}",
            self.patients, self.intake_versions, self.staff
        )
    }

    fn parse(detail: &str) -> Option<BackupCounts> {
        let value = |name: &str| -> Option<i64> {
            detail
                .split_whitespace()
                .find_map(|part| part.strip_prefix(&format!("{name}=")))?
                .parse()
                .ok()
        };
        Some(BackupCounts {
            patients: value("patients")?,
            intake_versions: value("intake_versions")?,
            staff: value("staff")?,
        })
    }
}

fn counts(conn: &Connection) -> Result<BackupCounts> {
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupCounts {
        patients: count("patients")?,
        intake_versions: count("intake_versions")?,
        staff: count("staff")?,
    })
}

impl Store {
    /// Writes an encrypted backup of the whole database to `out` and audits it. The counts,
    /// the audit row and the copy come from one snapshot: a save made meanwhile by another
    /// program is either in all three or in none.
    pub fn backup(&mut self, out: &Path) -> Result<BackupCounts> {
        self.require(Permission::Backup)?;
        if out.exists() {
            return Err(StoreError::AlreadyExists(out.display().to_string()));
        }
        let keys = {
            let _lock = KeyLock::take(&self.path)?;
            Keyring::load(&self.path)?
        };
        let export = crate::files::beside(out, ".export");
        // ATTACH may not create files on a connection opened without CREATE: an empty file
        // is a new database to SQLite, and this one is private to the account.
        create_private(&export)?;
        let version = self.schema_version()?;
        let cipher: String = self
            .conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
        let actor = self.actor_id();
        let result = (|| -> Result<(BackupCounts, Vec<u8>)> {
            self.conn.execute(
                "ATTACH DATABASE ?1 AS backup KEY ?2",
                rusqlite::params![export.to_string_lossy(), self.key_pragma().as_str()],
            )?;
            let snapshot = (|| -> Result<BackupCounts> {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                let counts = counts(&tx)?;
                audit::append(
                    &tx,
                    actor,
                    "backup",
                    &out.display().to_string(),
                    &format!(
                        "{} cipher_compatibility={CIPHER_COMPATIBILITY} sqlcipher={cipher}",
                        counts.detail()
                    ),
                )?;
                tx.query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))?;
                tx.pragma_update(Some("backup"), "user_version", version)?;
                tx.commit()?;
                Ok(counts)
            })();
            self.conn.execute("DETACH DATABASE backup", [])?;
            let counts = snapshot?;
            Ok((counts, fs::read(&export)?))
        })();
        let _ = fs::remove_file(&export);
        let (counts, db_bytes) = result?;
        let ring = serde_json::to_vec(&keys).map_err(|e| StoreError::Io(e.to_string()))?;
        let digest = hex::encode(Sha256::digest(&db_bytes));
        let mut bytes = Vec::with_capacity(db_bytes.len() + ring.len() + 128);
        for part in [
            MAGIC,
            &(ring.len() as u64).to_le_bytes(),
            &ring,
            digest.as_bytes(),
            &db_bytes,
        ] {
            bytes.extend_from_slice(part);
        }
        write_atomically(out, &bytes)?;
        Ok(counts)
    }

    /// Compares the restored database with the counts recorded when the backup was made.
    /// The check is audited as the restore.
    pub fn verify_restore(&self) -> Result<Vec<String>> {
        self.require(Permission::Backup)?;
        let mut problems = self.verify()?.problems;
        let recorded: Option<String> = self
            .conn
            .query_row(
                "SELECT detail FROM audit WHERE action = 'backup' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok();
        match recorded.as_deref().and_then(BackupCounts::parse) {
            None => problems.push("the database holds no record of a backup".into()),
            Some(expected) => {
                let found = counts(&self.conn)?;
                if found != expected {
                    problems.push(format!(
                        "backup recorded {}, restored {}",
                        expected.detail(),
                        found.detail()
                    ));
                }
            }
        }
        audit::append(
            &self.conn,
            self.actor_id(),
            "restore",
            self.path.display().to_string().as_str(),
            &format!("{} problems", problems.len()),
        )?;
        Ok(problems)
    }
}

/// Restores a backup file into `db` (and its key file), which must not exist yet.
pub fn restore(backup: &Path, db: &Path) -> Result<()> {
    for p in [db.to_owned(), keys_path(db), recovery_path(db)] {
        if p.exists() {
            return Err(StoreError::AlreadyExists(p.display().to_string()));
        }
    }
    let damaged =
        |why: &str| StoreError::Damaged(format!("backup file {}: {why}", backup.display()));
    let bytes =
        fs::read(backup).map_err(|e| StoreError::Io(format!("{}: {e}", backup.display())))?;
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| damaged("not an LDN Intake backup"))?;
    let (len, rest) = rest
        .split_at_checked(8)
        .ok_or_else(|| damaged("truncated"))?;
    let len = u64::from_le_bytes(len.try_into().map_err(|_| damaged("truncated"))?) as usize;
    let (ring, rest) = rest
        .split_at_checked(len)
        .ok_or_else(|| damaged("truncated"))?;
    let (digest, db_bytes) = rest
        .split_at_checked(64)
        .ok_or_else(|| damaged("truncated"))?;
    if hex::encode(Sha256::digest(db_bytes)).as_bytes() != digest {
        return Err(damaged("its content does not match its checksum"));
    }
    let ring = std::str::from_utf8(ring)
        .ok()
        .and_then(|text| Keyring::parse(text).ok())
        .ok_or_else(|| damaged("its key section is unreadable"))?;
    let mut file = create_private(db)?;
    file.write_all(db_bytes)?;
    file.sync_all()?;
    ring.save(db)?;
    Ok(())
}
