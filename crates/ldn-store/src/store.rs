//! Creating and opening the database: keys, pragmas, integrity, migrations and logins.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::audit;
use crate::error::{Result, StoreError};
use crate::keyring::{keyring_path, new_recovery_key, DbKey, FailedLogin, Keyring};
use crate::schema;

const MAX_PENDING_FAILED_LOGINS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clinician,
    Staff,
    Admin,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Clinician => "clinician",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub(crate) fn parse(s: &str) -> Role {
        match s {
            "clinician" => Role::Clinician,
            "admin" => Role::Admin,
            _ => Role::Staff,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// Who is using the store: a staff member, or the recovery key (break-glass).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Staff(StaffMember),
    Recovery,
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    pub audit_rows: i64,
    pub intake_versions: i64,
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    pub(crate) key: DbKey,
    pub(crate) actor: Actor,
    /// Set when a damaged file was opened read-only: what the integrity check found.
    damaged: Option<String>,
}

fn open_connection(path: &Path, key: &DbKey, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.pragma_update(None, "key", key.pragma_value().as_str())?;
    // SQLCipher's own log goes to stderr; damage is reported through our errors instead.
    let _ = conn.execute_batch("PRAGMA cipher_log = off; PRAGMA cipher_log_level = NONE;");
    // A wrong key or a file that is not a database fails here.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| StoreError::Damaged(e.to_string()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY) {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // A save is acknowledged only once it is on disk.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(conn)
}

/// SQLCipher's page check and SQLite's structural check; the first problem, if any.
fn integrity_problem(conn: &Connection) -> Result<Option<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        problems.push(r.get::<_, String>(0)?);
    }
    let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if quick != "ok" {
        problems.push(quick);
    }
    Ok(problems.into_iter().next())
}

impl Store {
    /// Creates a database with its first admin. Returns the store and the recovery key, which
    /// is shown once and stored nowhere in clear.
    pub fn create(path: &Path, admin: &NewStaff) -> Result<(Store, Zeroizing<String>)> {
        crate::staff::check_new_staff(admin)?;
        let keys = keyring_path(path);
        for p in [path, keys.as_path()] {
            if p.exists() {
                return Err(StoreError::AlreadyExists(p.display().to_string()));
            }
        }
        let key = DbKey::random();
        let recovery = new_recovery_key();
        crate::private_file::create(path)?;
        let ring = Keyring::new(&key, admin.username, admin.password, &recovery)?;
        let mut conn = open_connection(
            path,
            &key,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        schema::migrate(&mut conn)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO staff (username, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                admin.username,
                admin.display_name.trim(),
                Role::Admin.as_str(),
                crate::now()
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(&tx, Some(id), "create_database", admin.username, "")?;
        tx.commit()?;
        ring.save(&keys)?;
        let actor = Actor::Staff(StaffMember {
            id,
            username: admin.username.to_owned(),
            display_name: admin.display_name.trim().to_owned(),
            role: Role::Admin,
        });
        Ok((
            Store {
                conn,
                path: path.to_owned(),
                key,
                actor,
                damaged: None,
            },
            recovery,
        ))
    }

    /// Opens the database as a staff member. A failed login is recorded and audited.
    pub fn open(path: &Path, username: &str, password: &str) -> Result<Store> {
        let (mut ring, keys) = Store::keyring(path)?;
        let Some(key) = ring.unlock(username, password) else {
            ring.failed_logins.push(FailedLogin {
                username: username.chars().take(64).collect(),
                at: crate::now(),
            });
            // A flood of guesses must not grow the key file without bound: the latest
            // attempts are what an administrator needs to see.
            let excess = ring
                .failed_logins
                .len()
                .saturating_sub(MAX_PENDING_FAILED_LOGINS);
            ring.failed_logins.drain(..excess);
            ring.save(&keys)?;
            return Err(StoreError::WrongCredentials);
        };
        let mut store = Store::connect(path, key, Actor::Recovery)?;
        let staff = store
            .conn
            .query_row(
                "SELECT id, username, display_name, role, disabled FROM staff WHERE username = ?1",
                [username],
                |r| {
                    Ok((
                        StaffMember {
                            id: r.get(0)?,
                            username: r.get(1)?,
                            display_name: r.get(2)?,
                            role: Role::parse(&r.get::<_, String>(3)?),
                        },
                        r.get::<_, bool>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((staff, disabled)) = staff else {
            return Err(StoreError::WrongCredentials);
        };
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for failed in &ring.failed_logins {
            audit::append(
                &tx,
                None,
                "failed_login",
                &failed.username,
                &format!("at {}", failed.at),
            )?;
        }
        if disabled {
            audit::append(
                &tx,
                Some(staff.id),
                "refused_login",
                username,
                "account disabled",
            )?;
            tx.commit()?;
            return Err(StoreError::AccountDisabled);
        }
        audit::append(&tx, Some(staff.id), "login", username, "")?;
        tx.commit()?;
        if !ring.failed_logins.is_empty() {
            ring.failed_logins.clear();
            ring.save(&keys)?;
        }
        store.actor = Actor::Staff(staff);
        Ok(store)
    }

    /// Opens the database with the recovery key: the documented emergency way in.
    pub fn open_with_recovery(path: &Path, recovery: &str) -> Result<Store> {
        let (ring, _) = Store::keyring(path)?;
        let key = ring
            .unlock_recovery(recovery)
            .ok_or(StoreError::WrongCredentials)?;
        let store = Store::connect(path, key, Actor::Recovery)?;
        audit::append(&store.conn, None, "recovery_login", "", "")?;
        Ok(store)
    }

    pub(crate) fn keyring(path: &Path) -> Result<(Keyring, PathBuf)> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.display().to_string()));
        }
        let keys = keyring_path(path);
        Ok((Keyring::load(&keys)?, keys))
    }

    fn connect(path: &Path, key: DbKey, actor: Actor) -> Result<Store> {
        let mut conn = open_connection(path, &key, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        if let Some(problem) = integrity_problem(&conn)? {
            return Err(StoreError::Damaged(problem));
        }
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            key,
            actor,
            damaged: None,
        })
    }

    /// Opens a damaged database read-only, to read what can still be read before restoring a
    /// backup. Nothing can be saved, and views are not audited (the file cannot be written).
    pub fn open_read_only(path: &Path, username: &str, password: &str) -> Result<Store> {
        let (ring, _) = Store::keyring(path)?;
        let key = ring
            .unlock(username, password)
            .ok_or(StoreError::WrongCredentials)?;
        let conn = open_connection(path, &key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let damaged = integrity_problem(&conn).unwrap_or_else(|e| Some(e.to_string()));
        let staff = conn
            .query_row(
                "SELECT id, username, display_name, role FROM staff WHERE username = ?1",
                [username],
                |r| {
                    Ok(StaffMember {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        display_name: r.get(2)?,
                        role: Role::parse(&r.get::<_, String>(3)?),
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::WrongCredentials)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            key,
            actor: Actor::Staff(staff),
            damaged: Some(damaged.unwrap_or_else(|| "opened read-only".into())),
        })
    }

    /// Refuses changes to a damaged database opened read-only.
    pub(crate) fn require_writable(&self) -> Result<()> {
        match &self.damaged {
            Some(_) => Err(StoreError::NotAllowed(
                "the database is damaged and open read-only; restore the latest backup".into(),
            )),
            None => Ok(()),
        }
    }

    /// What was found wrong when this store was opened read-only.
    pub fn damage(&self) -> Option<&str> {
        self.damaged.as_deref()
    }

    /// Audits a view; a read-only store cannot write, so it records nothing.
    pub(crate) fn audit_view(&self, subject: &str) -> Result<()> {
        if self.damaged.is_some() {
            return Ok(());
        }
        audit::append(&self.conn, self.actor_id(), "view", subject, "")
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn key_pragma(&self) -> Zeroizing<String> {
        self.key.pragma_value()
    }

    pub(crate) fn actor_id(&self) -> Option<i64> {
        match &self.actor {
            Actor::Staff(s) => Some(s.id),
            Actor::Recovery => None,
        }
    }

    /// Integrity of the file and of the audit chain.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut problems = Vec::new();
        if let Some(p) = integrity_problem(&self.conn)? {
            problems.push(format!("database integrity: {p}"));
        }
        if let Some(p) = audit::verify_chain(&self.conn)? {
            problems.push(p);
        }
        let count = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        Ok(VerifyReport {
            problems,
            audit_rows: count("SELECT count(*) FROM audit")?,
            intake_versions: count("SELECT count(*) FROM intake_versions")?,
        })
    }

    pub fn audit_trail(&self) -> Result<Vec<crate::AuditRow>> {
        audit::trail(&self.conn)
    }

    pub fn schema_version(&self) -> Result<i64> {
        schema::version(&self.conn)
    }

    /// The open connection, for repair tools and for tests that play an insider who already
    /// holds the key. Nothing in the application uses it.
    #[doc(hidden)]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }
}
