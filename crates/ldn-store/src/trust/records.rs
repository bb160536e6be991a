//! Account records: who an account is (username, role, disabled, its public signing key),
//! signed by whoever vouched for it. A new generation is written at every change; the highest
//! is the account's current record, older ones still verify what was signed with them.

use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension};

use super::{holds, message, opt, verifying_key, Checked, Signer, Trust};
use crate::error::Result;
use crate::store::Role;

/// Longer chains than this are refused rather than followed: a loop of records vouching for
/// each other must not hang a login.
const MAX_CHAIN: usize = 16;

pub(crate) struct AccountRecord {
    pub staff_id: i64,
    pub generation: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub public_key: String,
    pub signer_id: Option<i64>,
    pub signer_generation: Option<i64>,
    pub signed_at: String,
    pub signature: String,
}

impl AccountRecord {
    fn message(&self) -> Vec<u8> {
        message(
            "ldn-intake/account@1",
            &[
                &self.staff_id.to_string(),
                &self.generation.to_string(),
                &self.username,
                self.role.as_str(),
                if self.disabled { "disabled" } else { "enabled" },
                &self.public_key,
                &opt(self.signer_id),
                &opt(self.signer_generation),
                &self.signed_at,
            ],
        )
    }
}

const COLUMNS: &str = "SELECT staff_id, generation, username, role, disabled, public_key, signer_id, signer_generation, signed_at, signature FROM account_records";

fn read(r: &rusqlite::Row) -> rusqlite::Result<AccountRecord> {
    Ok(AccountRecord {
        staff_id: r.get(0)?,
        generation: r.get(1)?,
        username: r.get(2)?,
        role: r.get(3)?,
        disabled: r.get(4)?,
        public_key: r.get(5)?,
        signer_id: r.get(6)?,
        signer_generation: r.get(7)?,
        signed_at: r.get(8)?,
        signature: r.get(9)?,
    })
}

/// The account's current record.
pub(crate) fn latest(conn: &Connection, staff_id: i64) -> Result<Option<AccountRecord>> {
    Ok(conn
        .query_row(
            &format!("{COLUMNS} WHERE staff_id = ?1 ORDER BY generation DESC LIMIT 1"),
            [staff_id],
            read,
        )
        .optional()?)
}

fn at(conn: &Connection, staff_id: i64, generation: i64) -> Result<Option<AccountRecord>> {
    Ok(conn
        .query_row(
            &format!("{COLUMNS} WHERE staff_id = ?1 AND generation = ?2"),
            [staff_id, generation],
            read,
        )
        .optional()?)
}

/// Writes the account's next record, signed by `signer`; returns its generation.
pub(crate) fn vouch(
    conn: &Connection,
    signer: &Signer,
    staff_id: i64,
    username: &str,
    role: Role,
    disabled: bool,
    public_key: &VerifyingKey,
) -> Result<i64> {
    let generation = latest(conn, staff_id)?.map_or(1, |r| r.generation + 1);
    let mut record = AccountRecord {
        staff_id,
        generation,
        username: username.to_owned(),
        role,
        disabled,
        public_key: hex::encode(public_key.as_bytes()),
        signer_id: signer.staff_id,
        signer_generation: signer.generation,
        signed_at: crate::now(),
        signature: String::new(),
    };
    record.signature = signer.sign(&record.message());
    conn.execute(
        "INSERT INTO account_records (staff_id, generation, username, role, disabled, public_key, signer_id, signer_generation, signed_at, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            record.staff_id,
            record.generation,
            record.username,
            record.role,
            record.disabled,
            record.public_key,
            record.signer_id,
            record.signer_generation,
            record.signed_at,
            record.signature
        ],
    )?;
    Ok(generation)
}

/// A fresh signature by `signer` over a stored record, as it would be under another signer.
#[cfg(feature = "test-support")]
pub(crate) fn resign(
    conn: &Connection,
    signer: &Signer,
    staff_id: i64,
    generation: i64,
) -> Result<String> {
    let record = at(conn, staff_id, generation)?.ok_or(crate::StoreError::Missing {
        what: "account record".into(),
        id: staff_id,
    })?;
    Ok(signer.sign(&record.message()))
}

/// Writes the account's next record with the same key and a new disabled flag.
pub(crate) fn revise(
    conn: &Connection,
    signer: &Signer,
    staff_id: i64,
    disabled: bool,
) -> Result<Checked<i64>> {
    let Some(current) = latest(conn, staff_id)? else {
        return Ok(Err(format!("account {staff_id} has no signed record")));
    };
    let Some(key) = verifying_key(&current.public_key) else {
        return Ok(Err(format!("{}'s record names no key", current.username)));
    };
    let generation = vouch(
        conn,
        signer,
        staff_id,
        &current.username,
        current.role,
        disabled,
        &key,
    )?;
    Ok(Ok(generation))
}

/// The public key of a signer (an account at one generation, or the root), once the record
/// that names it is found to chain to the root through enabled administrators.
pub(crate) fn signer_key(
    conn: &Connection,
    trust: &Trust,
    staff_id: Option<i64>,
    generation: Option<i64>,
) -> Result<Checked<(VerifyingKey, Option<AccountRecord>)>> {
    let (Some(id), Some(generation)) = (staff_id, generation) else {
        return Ok(match (staff_id, generation) {
            (None, None) => Ok((trust.root, None)),
            _ => Err("a signer is named by half".into()),
        });
    };
    let Some(record) = at(conn, id, generation)? else {
        return Ok(Err(format!(
            "no record of account {id} at generation {generation}"
        )));
    };
    Ok(chain(conn, trust, &record, 0)?.map(|key| (key, Some(record))))
}

/// Whether `record` chains to the root; its public key if so.
pub(crate) fn chain(
    conn: &Connection,
    trust: &Trust,
    record: &AccountRecord,
    depth: usize,
) -> Result<Checked<VerifyingKey>> {
    if depth > MAX_CHAIN {
        return Ok(Err("the chain of records is too long".into()));
    }
    let signer = match (record.signer_id, record.signer_generation) {
        (None, None) => trust.root,
        (Some(id), Some(generation)) => {
            let Some(admin) = at(conn, id, generation)? else {
                return Ok(Err(format!(
                    "{}'s record names a signer with no record",
                    record.username
                )));
            };
            if admin.role != Role::Admin || admin.disabled {
                return Ok(Err(format!(
                    "{}'s record was signed by {}, who was not an enabled administrator",
                    record.username, admin.username
                )));
            }
            match chain(conn, trust, &admin, depth + 1)? {
                Ok(key) => key,
                Err(why) => return Ok(Err(why)),
            }
        }
        _ => {
            return Ok(Err(format!(
                "{}'s record names its signer by half",
                record.username
            )))
        }
    };
    if !holds(&signer, &record.message(), &record.signature) {
        return Ok(Err(format!(
            "{}'s account record does not match its signature",
            record.username
        )));
    }
    Ok(verifying_key(&record.public_key)
        .ok_or_else(|| format!("{}'s record names no key", record.username)))
}

fn state(disabled: bool) -> &'static str {
    if disabled {
        "disabled"
    } else {
        "enabled"
    }
}

/// An account as its `staff` row has it: id, username, role, disabled.
pub(crate) type StaffRowParts<'a> = (i64, &'a str, Role, bool);

/// The account's current record and key, if the record chains to the root and says what the
/// `staff` row says.
fn current(
    conn: &Connection,
    trust: &Trust,
    (id, username, role, disabled): StaffRowParts,
) -> Result<Checked<(AccountRecord, VerifyingKey)>> {
    let Some(record) = latest(conn, id)? else {
        return Ok(Err(format!("{username} has no signed account record")));
    };
    let key = match chain(conn, trust, &record, 0)? {
        Ok(key) => key,
        Err(why) => return Ok(Err(why)),
    };
    if record.username != username || record.role != role || record.disabled != disabled {
        return Ok(Err(format!(
            "the staff row of {username} says {} and {}, its signed record {} and {}",
            role.as_str(),
            state(disabled),
            record.role.as_str(),
            state(record.disabled),
        )));
    }
    Ok(Ok((record, key)))
}

/// What a login finds about an account: its current record must hold, and the signing key
/// the password opened must be the one it names. Returns the record's generation.
pub(crate) fn check_account(
    conn: &Connection,
    trust: &Trust,
    staff: StaffRowParts,
    signing: Option<&SigningKey>,
) -> Result<Checked<i64>> {
    let username = staff.1;
    let (record, key) = match current(conn, trust, staff)? {
        Ok(found) => found,
        Err(why) => return Ok(Err(why)),
    };
    Ok(match signing {
        Some(s) if s.verifying_key() == key => Ok(record.generation),
        Some(_) => Err(format!(
            "the key that {username}'s password opened is not the one their signed record names"
        )),
        None => Err(format!("{username}'s key holder has no signing key")),
    })
}

/// Every account whose current record does not hold, or differs from its `staff` row.
pub(crate) fn problems(conn: &Connection, trust: &Trust) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id, username, role, disabled FROM staff ORDER BY id")?;
    let staff = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<(i64, String, Role, bool)>>>()?;
    let mut found = Vec::new();
    for (id, username, role, disabled) in &staff {
        if let Err(why) = current(conn, trust, (*id, username, *role, *disabled))? {
            found.push(format!("account {username}: {why}"));
        }
    }
    Ok(found)
}
