//! Backups: one file holding the key file and an encrypted copy of the whole database, made
//! with SQLCipher's export. Restoring writes both into a fresh location; opening it with any
//! account that existed at backup time (or the recovery key) and `verify_restore` then check
//! integrity, the audit chain and the row counts recorded at backup time.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::keyring::{keyring_path, Keyring};
use crate::store::Store;

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

fn write_file_synced(path: &Path, parts: &[&[u8]]) -> Result<()> {
    let mut file = crate::private_file::create(path)?;
    for part in parts {
        file.write_all(part)?;
    }
    file.sync_all()?;
    Ok(())
}

impl Store {
    fn counts(&self) -> Result<BackupCounts> {
        let count = |table: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(BackupCounts {
            patients: count("patients")?,
            intake_versions: count("intake_versions")?,
            staff: count("staff")?,
        })
    }

    /// Writes an encrypted backup of the whole database to `out` and audits it.
    pub fn backup(&mut self, out: &Path) -> Result<BackupCounts> {
        if out.exists() {
            return Err(StoreError::AlreadyExists(out.display().to_string()));
        }
        let counts = self.counts()?;
        audit::append(
            &self.conn,
            self.actor_id(),
            "backup",
            &out.display().to_string(),
            &counts.detail(),
        )?;
        let keys = Keyring::load(&keyring_path(self.path()))?;
        let mut export_name = out.as_os_str().to_owned();
        export_name.push(".export");
        let export = PathBuf::from(export_name);
        // ATTACH may not create files on a connection opened without CREATE: an empty file
        // is a new database to SQLite, and this one is private to the account.
        crate::private_file::create(&export)?;
        let version = self.schema_version()?;
        let result = (|| -> Result<Vec<u8>> {
            self.conn.execute(
                "ATTACH DATABASE ?1 AS backup KEY ?2",
                rusqlite::params![export.to_string_lossy(), self.key_pragma().as_str()],
            )?;
            let exported = self
                .conn
                .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
                .and_then(|_| {
                    self.conn
                        .pragma_update(Some("backup"), "user_version", version)
                });
            self.conn.execute("DETACH DATABASE backup", [])?;
            exported?;
            Ok(fs::read(&export)?)
        })();
        let _ = fs::remove_file(&export);
        let db_bytes = result?;
        let ring = serde_json::to_vec(&keys).map_err(|e| StoreError::Io(e.to_string()))?;
        let digest = hex::encode(Sha256::digest(&db_bytes));
        let mut tmp_name = out.as_os_str().to_owned();
        tmp_name.push(".tmp");
        let tmp = PathBuf::from(tmp_name);
        write_file_synced(
            &tmp,
            &[
                MAGIC,
                &(ring.len() as u64).to_le_bytes(),
                &ring,
                digest.as_bytes(),
                &db_bytes,
            ],
        )?;
        fs::rename(&tmp, out)?;
        Ok(counts)
    }

    /// Compares the restored database with the counts recorded when the backup was made.
    pub fn verify_restore(&self) -> Result<Vec<String>> {
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
                let found = self.counts()?;
                if found != expected {
                    problems.push(format!(
                        "backup recorded {}, restored {}",
                        expected.detail(),
                        found.detail()
                    ));
                }
            }
        }
        Ok(problems)
    }
}

/// Restores a backup file into `db` (and its key file), which must not exist yet.
pub fn restore(backup: &Path, db: &Path) -> Result<()> {
    let keys = keyring_path(db);
    for p in [db, keys.as_path()] {
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
    let ring: Keyring =
        serde_json::from_slice(ring).map_err(|_| damaged("its key section is unreadable"))?;
    write_file_synced(db, &[db_bytes])?;
    ring.save(&keys)?;
    Ok(())
}
