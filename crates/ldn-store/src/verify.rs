//! `db verify`: the file's integrity, the audit chain, and every signature (account records,
//! sign-offs, the audit chain's signed heads), optionally against the root fingerprint on
//! paper.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::keyring::DbKey;
use crate::permission::Permission;
use crate::store::{integrity_problem, open_connection, Store};
use crate::trust::{self, fingerprint, heads, normalize_fingerprint, records};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    pub audit_rows: i64,
    pub intake_versions: i64,
    /// The clinic's root key fingerprint; none in a database not yet set up for signatures.
    pub root_fingerprint: Option<String>,
    /// The newest signed head that holds: who signed it, and at what.
    pub last_signed_head: Option<String>,
    /// Audit rows after that head, which no signature covers yet.
    pub unsigned_audit_rows: i64,
}

/// The whole-file page and structure check, to be run on a thread of its own with its own
/// read-only connection: the signed-in store goes on serving while it reads every page.
pub struct FileCheck {
    path: PathBuf,
    key: DbKey,
}

impl FileCheck {
    /// The first problem found, if any; damage that stops the check is a problem too. A key
    /// changed while it ran (a password change re-encrypts every page) makes pages unreadable
    /// that are not damaged: that is `KeyChanged`, not a finding.
    pub fn run(self) -> Result<Option<String>> {
        // This key opened the file when the check was made: a key that no longer does was
        // changed since.
        let conn = open_connection(&self.path, &self.key, true).map_err(|e| match e {
            StoreError::WrongKey { .. } => StoreError::KeyChanged,
            other => other,
        })?;
        let found = integrity_problem(&conn).unwrap_or_else(|e| Some(e.to_string()));
        drop(conn);
        if found.is_some() && open_connection(&self.path, &self.key, true).is_err() {
            return Err(StoreError::KeyChanged);
        }
        Ok(found)
    }

    /// The file's size in bytes, for saying how much the check reads.
    pub fn bytes(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }
}

impl Store {
    /// The whole-file check of this database, to run away from this store.
    pub fn file_check(&self) -> Result<FileCheck> {
        self.require(Permission::Verify)?;
        Ok(FileCheck {
            path: self.path.clone(),
            key: self.key.duplicate(),
        })
    }

    /// Integrity of the file, of the audit chain and of every signature.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.verify_reporting(|_| {})
    }

    /// `verify`, saying what it is checking before each step: the page check reads the whole
    /// file, which on a practice's years of records takes a while.
    pub fn verify_reporting(&self, mut step: impl FnMut(&str)) -> Result<VerifyReport> {
        self.require(Permission::Verify)?;
        let mut problems = Vec::new();
        let size = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        step(&format!(
            "checking every page of the file ({:.1} MB)",
            size as f64 / 1e6
        ));
        match integrity_problem(&self.conn) {
            Ok(None) => {}
            Ok(Some(p)) => problems.push(format!("database integrity: {p}")),
            Err(e) => problems.push(format!("database integrity: {e}")),
        }
        step("checking the audit chain and the signatures");
        match self.record_checks(&mut problems) {
            Ok(report) => Ok(VerifyReport { problems, ..report }),
            // Damage already found can keep the records from being read through: the report
            // says so rather than failing.
            Err(e) if !problems.is_empty() => {
                problems.push(format!("the records could not be read through: {e}"));
                Ok(VerifyReport {
                    problems,
                    audit_rows: 0,
                    intake_versions: 0,
                    root_fingerprint: None,
                    last_signed_head: None,
                    unsigned_audit_rows: 0,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The audit chain, the signed records and heads, and every sign-off's signature; the
    /// problems go to `problems`, the report's own list is left empty.
    fn record_checks(&self, problems: &mut Vec<String>) -> Result<VerifyReport> {
        if let Some(p) = audit::verify_chain(&self.conn)? {
            problems.push(p);
        }
        problems.extend(crate::stage::problems(&self.conn)?);
        let count = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        let audit_rows = count("SELECT count(*) FROM audit")?;
        let trust = trust::load(&self.conn)?;
        let (mut root_fingerprint, mut last_signed_head, mut unsigned) = (None, None, audit_rows);
        match &trust {
            None => {}
            Some(Err(why)) => problems.push(why.clone()),
            Some(Ok(t)) => {
                root_fingerprint = Some(fingerprint(&t.root));
                problems.extend(records::problems(&self.conn, t)?);
                let heads = heads::check_all(&self.conn, t)?;
                problems.extend(heads.problems);
                if let Some((row, who)) = heads.last_good {
                    let last: i64 =
                        self.conn
                            .query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| {
                                r.get(0)
                            })?;
                    unsigned = (last - row).max(0);
                    last_signed_head = Some(format!("row {row}, signed by {who}"));
                }
            }
        }
        problems.extend(crate::signoffs::problems(&self.conn, trust.as_ref())?);
        Ok(VerifyReport {
            problems: Vec::new(),
            audit_rows,
            intake_versions: count("SELECT count(*) FROM intake_versions")?,
            root_fingerprint,
            last_signed_head,
            unsigned_audit_rows: unsigned,
        })
    }

    /// [`Store::verify`], and the root key must be the one whose fingerprint is on paper.
    pub fn verify_root(&self, on_paper: &str) -> Result<VerifyReport> {
        self.verify_root_reporting(on_paper, |_| {})
    }

    /// `verify_root`, saying what it is checking before each step.
    pub fn verify_root_reporting(
        &self,
        on_paper: &str,
        step: impl FnMut(&str),
    ) -> Result<VerifyReport> {
        let mut report = self.verify_reporting(step)?;
        let expected = normalize_fingerprint(on_paper);
        match &report.root_fingerprint {
            Some(found) if normalize_fingerprint(found) == expected => {}
            Some(found) => report.problems.insert(
                0,
                format!(
                    "the clinic's root key is not the one on paper: this database's is {found}, the paper says {on_paper}; someone replaced it, and every signature it vouches for is in doubt"
                ),
            ),
            None => report.problems.insert(
                0,
                "this database has no root key yet: an administrator sets it up with the recovery key".into(),
            ),
        }
        Ok(report)
    }
}
