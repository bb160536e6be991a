//! Signed heads of the audit chain. At every login, lock and sign-off the acting account signs
//! the chain's last row (id and hash), and every backup carries one signed by whoever made
//! it. Someone holding the database key can recompute the unkeyed chain after rewriting rows,
//! or cut rows off its end, but cannot make the rows under a signed head match it again.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::records::signer_key;
use super::{holds, message, opt, Checked, Signer, Trust};
use crate::error::Result;

/// A signed head as a backup file's header carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHead {
    pub audit_id: i64,
    pub audit_hash: String,
    pub event: String,
    pub signer_id: Option<i64>,
    pub signer_generation: Option<i64>,
    pub signed_at: String,
    pub signature: String,
}

impl SignedHead {
    fn message(&self) -> Vec<u8> {
        message(
            "ldn-intake/audit-head@1",
            &[
                &self.audit_id.to_string(),
                &self.audit_hash,
                &self.event,
                &opt(self.signer_id),
                &opt(self.signer_generation),
                &self.signed_at,
            ],
        )
    }

    /// The chain's last row (id and hash) as `conn` sees it; none for an empty chain.
    pub(crate) fn last_row(conn: &Connection) -> Result<Option<(i64, String)>> {
        Ok(conn
            .query_row(
                "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// `row` (from [`SignedHead::last_row`]) signed by `signer` after `event`. A backup's
    /// event names the digest of the copy, so its header vouches for the copy too.
    pub(crate) fn new(signer: &Signer, (audit_id, audit_hash): (i64, String), event: &str) -> Self {
        let mut head = SignedHead {
            audit_id,
            audit_hash,
            event: event.to_owned(),
            signer_id: signer.staff_id,
            signer_generation: signer.generation,
            signed_at: crate::now(),
            signature: String::new(),
        };
        head.signature = signer.sign(&head.message());
        head
    }

    /// Who signed it, if the signature holds and the signer's record chains to the root.
    fn signer(&self, conn: &Connection, trust: &Trust) -> Result<Checked<String>> {
        let (key, record) = match signer_key(conn, trust, self.signer_id, self.signer_generation)? {
            Ok(found) => found,
            Err(why) => return Ok(Err(why)),
        };
        let who = record.map_or_else(|| "the recovery key".to_owned(), |r| r.username);
        if holds(&key, &self.message(), &self.signature) {
            Ok(Ok(who))
        } else {
            Ok(Err(format!(
                "the head of {} signed as {who} does not match its signature",
                self.signed_at
            )))
        }
    }

    /// How this head and the chain in `conn` agree. `source` names the head in messages.
    pub(crate) fn check(&self, conn: &Connection, trust: &Trust, source: &str) -> Result<Finding> {
        let who = match self.signer(conn, trust)? {
            Ok(who) => who,
            Err(why) => return Ok(Finding::BadSignature(format!("{source}: {why}"))),
        };
        let found: Option<String> = conn
            .query_row(
                "SELECT hash FROM audit WHERE id = ?1",
                [self.audit_id],
                |r| r.get(0),
            )
            .optional()?;
        let signed = format!(
            "{source} signed by {who} ({}, {})",
            self.event, self.signed_at
        );
        Ok(match found {
            None => Finding::Cut(format!(
                "audit rows were cut off: {signed} names row {}, which is gone",
                self.audit_id
            )),
            Some(hash) if hash != self.audit_hash => Finding::Rewritten(format!(
                "audit rows up to {} were rewritten: they no longer match {signed}",
                self.audit_id
            )),
            Some(_) => Finding::Holds(format!("{who} ({})", self.event)),
        })
    }
}

/// How one signed head and the chain agree; each problem is told in words.
pub(crate) enum Finding {
    /// Who signed it, and at what.
    Holds(String),
    BadSignature(String),
    Cut(String),
    Rewritten(String),
}

impl Finding {
    pub fn into_problem(self) -> Option<String> {
        match self {
            Finding::Holds(_) => None,
            Finding::BadSignature(p) | Finding::Cut(p) | Finding::Rewritten(p) => Some(p),
        }
    }
}

/// Signs the chain's head as the signed-in account sees it, after `event`.
pub(crate) fn sign(conn: &Connection, signer: &Signer, event: &str) -> Result<()> {
    match SignedHead::last_row(conn)? {
        Some(row) => keep(conn, &SignedHead::new(signer, row, event)),
        None => Ok(()),
    }
}

/// Stores a signed head with the others.
pub(crate) fn keep(conn: &Connection, head: &SignedHead) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_heads (audit_id, audit_hash, event, signer_id, signer_generation, signed_at, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            head.audit_id,
            head.audit_hash,
            head.event,
            head.signer_id,
            head.signer_generation,
            head.signed_at,
            head.signature
        ],
    )?;
    Ok(())
}

/// What the signed heads say about the chain.
pub(crate) struct HeadReport {
    pub problems: Vec<String>,
    /// The newest head that holds: its row id, and who signed it at what.
    pub last_good: Option<(i64, String)>,
}

/// Checks every signed head against the chain. Only the earliest rewriting and the furthest
/// cut are reported: one change makes every later head fail too.
pub(crate) fn check_all(conn: &Connection, trust: &Trust) -> Result<HeadReport> {
    let mut stmt = conn.prepare(
        "SELECT audit_id, audit_hash, event, signer_id, signer_generation, signed_at, signature FROM audit_heads ORDER BY audit_id, id",
    )?;
    let heads = stmt
        .query_map([], |r| {
            Ok(SignedHead {
                audit_id: r.get(0)?,
                audit_hash: r.get(1)?,
                event: r.get(2)?,
                signer_id: r.get(3)?,
                signer_generation: r.get(4)?,
                signed_at: r.get(5)?,
                signature: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut report = HeadReport {
        problems: Vec::new(),
        last_good: None,
    };
    let (mut rewritten, mut cut) = (None, None);
    for head in &heads {
        match head.check(conn, trust, "the audit head")? {
            Finding::Holds(who) => report.last_good = Some((head.audit_id, who)),
            Finding::BadSignature(p) => report.problems.push(p),
            Finding::Cut(p) => cut = Some(p),
            Finding::Rewritten(p) => {
                rewritten.get_or_insert(p);
            }
        }
    }
    report.problems.extend(rewritten);
    report.problems.extend(cut);
    Ok(report)
}
