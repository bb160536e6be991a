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
use crate::trust;
use crate::trust::heads::{self, SignedHead};

/// An audit row's id and hash.
type AuditRowRef = (i64, String);

const MAGIC_V1: &[u8] = b"LDN-INTAKE-BACKUP 1\n";
/// Version 2 adds the audit chain's head signed by whoever made the backup.
const MAGIC: &[u8] = b"LDN-INTAKE-BACKUP 2\n";

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
        // The whole-file check the login no longer makes: a copy of damaged pages must not
        // take the place of a good backup.
        if let Some(problem) = crate::store::integrity_problem(&self.conn)? {
            return Err(StoreError::Damaged(problem));
        }
        let export = crate::files::beside(out, ".export");
        // ATTACH may not create files on a connection opened without CREATE: an empty file
        // is a new database to SQLite, and this one is private to the account.
        create_private(&export)?;
        let version = self.schema_version()?;
        let cipher: String = self
            .conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
        let actor = self.actor_id();
        let signer = self.vouching_signer()?;
        let result = (|| -> Result<(BackupCounts, Option<AuditRowRef>, Vec<u8>)> {
            self.conn.execute(
                "ATTACH DATABASE ?1 AS backup KEY ?2",
                rusqlite::params![export.to_string_lossy(), self.key_pragma().as_str()],
            )?;
            let snapshot = (|| -> Result<(BackupCounts, Option<AuditRowRef>)> {
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
                let head = SignedHead::last_row(&tx)?;
                tx.query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))?;
                tx.pragma_update(Some("backup"), "user_version", version)?;
                tx.commit()?;
                Ok((counts, head))
            })();
            self.conn.execute("DETACH DATABASE backup", [])?;
            let (counts, head) = snapshot?;
            Ok((counts, head, fs::read(&export)?))
        })();
        let _ = fs::remove_file(&export);
        let (counts, head, db_bytes) = result?;
        let ring = serde_json::to_vec(&keys).map_err(|e| StoreError::Io(e.to_string()))?;
        let digest = hex::encode(Sha256::digest(&db_bytes));
        // The head as the copy has it, vouching for the copy's digest too; the live database
        // keeps it with its other heads, so a later cut below it is reported there as well.
        let head = match (signer, head) {
            (Some(signer), Some(row)) => {
                let head = SignedHead::new(&signer, row, &format!("backup sha256:{digest}"));
                heads::keep(&self.conn, &head)?;
                Some(head)
            }
            _ => None,
        };
        let head = serde_json::to_vec(&head).map_err(|e| StoreError::Io(e.to_string()))?;
        let mut bytes = Vec::with_capacity(db_bytes.len() + ring.len() + head.len() + 128);
        for part in [
            MAGIC,
            &(head.len() as u64).to_le_bytes(),
            &head,
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

    /// Compares the restored database with the counts recorded when the backup was made,
    /// and with the head its header signed (from [`restore`]). Audited as the restore.
    pub fn verify_restore(&self, header: Option<&SignedHead>) -> Result<Vec<String>> {
        self.require(Permission::Backup)?;
        let mut problems = self.verify()?.problems;
        problems.extend(self.check_backup_head(header, "the restored backup's header")?);
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

    /// Checks a backup's signed head against this database's audit chain: a chain that no
    /// longer reaches it, or differs under it, was tampered with since the backup.
    pub fn verify_against_backup(&self, backup: &Path) -> Result<Vec<String>> {
        self.require(Permission::Verify)?;
        let bytes = read_backup(backup)?;
        let header = parse(backup, &bytes)?.head;
        let source = format!("the backup {}", backup.display());
        Ok(self
            .check_backup_head(header.as_ref(), &source)?
            .into_iter()
            .map(|p| format!("tampering since the backup: {p}"))
            .collect())
    }

    fn check_backup_head(&self, head: Option<&SignedHead>, source: &str) -> Result<Vec<String>> {
        let (Some(head), Some(Ok(trust))) = (head, trust::load(&self.conn)?) else {
            return Ok(Vec::new());
        };
        Ok(head
            .check(&self.conn, &trust, source)?
            .into_problem()
            .into_iter()
            .collect())
    }
}

/// A backup file's parts.
struct Parts<'a> {
    head: Option<SignedHead>,
    ring: &'a [u8],
    db: &'a [u8],
}

fn read_backup(backup: &Path) -> Result<Vec<u8>> {
    fs::read(backup).map_err(|e| StoreError::Io(format!("{}: {e}", backup.display())))
}

fn parse<'a>(backup: &Path, bytes: &'a [u8]) -> Result<Parts<'a>> {
    let damaged =
        |why: &str| StoreError::Damaged(format!("backup file {}: {why}", backup.display()));
    let section = |rest: &'a [u8]| -> Result<(&'a [u8], &'a [u8])> {
        let (len, rest) = rest
            .split_at_checked(8)
            .ok_or_else(|| damaged("truncated"))?;
        let len = u64::from_le_bytes(len.try_into().map_err(|_| damaged("truncated"))?);
        rest.split_at_checked(usize::try_from(len).map_err(|_| damaged("truncated"))?)
            .ok_or_else(|| damaged("truncated"))
    };
    let (head, rest) = if let Some(rest) = bytes.strip_prefix(MAGIC) {
        let (head, rest) = section(rest)?;
        let head: Option<SignedHead> =
            serde_json::from_slice(head).map_err(|_| damaged("its signed head is unreadable"))?;
        (head, rest)
    } else if let Some(rest) = bytes.strip_prefix(MAGIC_V1) {
        (None, rest)
    } else {
        return Err(damaged("not an LDN Intake backup"));
    };
    let (ring, rest) = section(rest)?;
    let (digest, db) = rest
        .split_at_checked(64)
        .ok_or_else(|| damaged("truncated"))?;
    if hex::encode(Sha256::digest(db)).as_bytes() != digest {
        return Err(damaged("its content does not match its checksum"));
    }
    Ok(Parts { head, ring, db })
}

/// Restores a backup file into `db` (and its key file), which must not exist yet. Returns
/// the head its header signed, for [`Store::verify_restore`].
pub fn restore(backup: &Path, db: &Path) -> Result<Option<SignedHead>> {
    for p in [db.to_owned(), keys_path(db), recovery_path(db)] {
        if p.exists() {
            return Err(StoreError::AlreadyExists(p.display().to_string()));
        }
    }
    let damaged =
        |why: &str| StoreError::Damaged(format!("backup file {}: {why}", backup.display()));
    let bytes = read_backup(backup)?;
    let Parts {
        head,
        ring,
        db: db_bytes,
    } = parse(backup, &bytes)?;
    let ring = std::str::from_utf8(ring)
        .ok()
        .and_then(|text| Keyring::parse(text).ok())
        .ok_or_else(|| damaged("its key section is unreadable"))?;
    let mut file = create_private(db)?;
    file.write_all(db_bytes)?;
    file.sync_all()?;
    ring.save(db)?;
    Ok(head)
}
