//! `db verify`: the file's integrity, the audit chain, and every signature (account records,
//! sign-offs, the audit chain's signed heads), optionally against the root fingerprint on
//! paper.

use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::Result;
use crate::permission::Permission;
use crate::store::{integrity_problem, Store};
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

impl Store {
    /// Integrity of the file, of the audit chain and of every signature.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.require(Permission::Verify)?;
        let mut problems = Vec::new();
        if let Some(p) = integrity_problem(&self.conn)? {
            problems.push(format!("database integrity: {p}"));
        }
        if let Some(p) = audit::verify_chain(&self.conn)? {
            problems.push(p);
        }
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
            problems,
            audit_rows,
            intake_versions: count("SELECT count(*) FROM intake_versions")?,
            root_fingerprint,
            last_signed_head,
            unsigned_audit_rows: unsigned,
        })
    }

    /// [`Store::verify`], and the root key must be the one whose fingerprint is on paper.
    pub fn verify_root(&self, on_paper: &str) -> Result<VerifyReport> {
        let mut report = self.verify()?;
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
