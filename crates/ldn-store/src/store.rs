//! Creating and opening the database: keys, pragmas, integrity, migrations and logins.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::audit;
use crate::error::{Result, StoreError};
use crate::keyring::{db_salt, keys_path, DbKey, Keyring};
use crate::permission::Permission;
use crate::schema;
use crate::trust::Signer;

/// SQLCipher's settings for every database this program writes (page size, HMAC, KDF).
pub const CIPHER_COMPATIBILITY: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clinician,
    Staff,
    Admin,
}

crate::columns::text_enum!(Role {
    Clinician => "clinician",
    Staff => "staff",
    Admin => "admin",
});

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

/// What a desktop session did, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    /// Locked by hand.
    Lock,
    /// Locked after the idle time.
    IdleLock,
    SelfEntryOn {
        intake_id: i64,
    },
    SelfEntryOff,
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
}

pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    pub(crate) key: DbKey,
    pub(crate) actor: Actor,
    /// Set when a damaged file was opened read-only: what the integrity check found.
    pub(crate) damaged: Option<String>,
    /// The account's password was set by someone else: it must be changed before anything.
    pub(crate) must_change_password: bool,
    /// What this session signs with; none in a database that has no signatures yet.
    pub(crate) signer: Option<Signer>,
    /// The intake handed to the patient (self-entry), whose saves are then the patient's.
    pub(crate) self_entry: std::cell::Cell<Option<i64>>,
}

pub(crate) fn open_connection(path: &Path, key: &DbKey, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.pragma_update(None, "key", key.pragma_value().as_str())?;
    // The cipher settings are pinned to SQLCipher 4's, whatever a future library defaults to.
    conn.execute_batch(&format!(
        "PRAGMA cipher_compatibility = {CIPHER_COMPATIBILITY};"
    ))?;
    // SQLCipher's own log goes to stderr; damage is reported through our errors instead.
    let _ = conn.execute_batch("PRAGMA cipher_log = off; PRAGMA cipher_log_level = NONE;");
    // A wrong key fails here, on page 1; so does a file that is not a database at all.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::WrongKey {
            key_file: String::new(),
            another_database: false,
        },
        _ => StoreError::Damaged(e.to_string()),
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // A save is acknowledged only once it is on disk.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(conn)
}

/// The database file's salt, read through SQLite. While this process has the database open,
/// the file must never be opened and closed any other way: closing any descriptor of it drops
/// every POSIX lock the process holds on it, and another process then takes the write-ahead
/// log away from under the open connection, whose later writes nobody else can read
/// (intake_show_says_whether_each_signoff_signature_holds in ldn-cli's store_cli).
pub(crate) fn cipher_salt(conn: &Connection) -> Option<String> {
    conn.query_row("PRAGMA cipher_salt", [], |r| r.get::<_, String>(0))
        .ok()
        .map(|s| s.to_ascii_lowercase())
}

/// A file shorter than the pages its header counts: cut off by a copy or a full disk. Costs
/// one read of the header, whatever the file's size. Pages still in the write-ahead log (an
/// app that did not close cleanly) count without being in the file yet: then the queries that
/// read a missing page, and `verify`, report it.
fn truncation(path: &Path, conn: &Connection) -> Result<Option<String>> {
    const WAL_HEADER: u64 = 32;
    let wal = crate::files::beside(path, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_HEADER) {
        return Ok(None);
    }
    let (pages, page_size): (u64, u64) = conn.query_row(
        "SELECT CAST(page_count AS INTEGER), CAST(page_size AS INTEGER) FROM pragma_page_count, pragma_page_size",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let length = std::fs::metadata(path)?.len();
    Ok((length < pages * page_size).then(|| {
        format!("the file is {length} bytes, shorter than the {pages} pages of {page_size} bytes it holds: it was cut off")
    }))
}

/// SQLCipher's page check and SQLite's structural check; the first problem, if any.
pub(crate) fn integrity_problem(conn: &Connection) -> Result<Option<String>> {
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
    pub(crate) fn new(conn: Connection, path: &Path, key: DbKey, actor: Actor) -> Store {
        Store {
            conn,
            path: path.to_owned(),
            key,
            actor,
            damaged: None,
            must_change_password: false,
            signer: None,
            self_entry: std::cell::Cell::new(None),
        }
    }

    /// Opens the database with the first of `keys` that opens it, checks it and brings its
    /// schema up to date. A key that decrypts no page at all is the key file's fault (an old
    /// copy, another database's); a key that opens the file but finds bad pages is damage.
    pub(crate) fn connect(
        path: &Path,
        keys: Vec<DbKey>,
        ring: &Keyring,
        actor: Actor,
    ) -> Result<Store> {
        for key in keys {
            match open_connection(path, &key, false) {
                Ok(mut conn) => {
                    // No whole-file check here: it made every unlock cost a read of the whole
                    // file. Damage is met by the query that reads the damaged page, and found
                    // everywhere by `verify`, before each backup and by the check after start-up.
                    if let Some(problem) = truncation(path, &conn)? {
                        return Err(StoreError::Damaged(problem));
                    }
                    schema::migrate(&mut conn)?;
                    return Ok(Store::new(conn, path, key, actor));
                }
                Err(StoreError::WrongKey { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        let another_database =
            !ring.db_salt.is_empty() && db_salt(path).is_some_and(|salt| salt != ring.db_salt);
        Err(StoreError::WrongKey {
            key_file: keys_path(path).display().to_string(),
            another_database,
        })
    }

    /// What was found wrong when this store was opened read-only.
    pub fn damage(&self) -> Option<&str> {
        self.damaged.as_deref()
    }

    /// Audits a view; a read-only store cannot write, so it records nothing.
    pub(crate) fn audit_view(&self, subject: &str) -> Result<()> {
        self.audit_event("view", subject, "")
    }

    /// Audits something the signed-in actor did; nothing on a damaged file open read-only.
    pub(crate) fn audit_event(&self, action: &str, subject: &str, detail: &str) -> Result<()> {
        if self.damaged.is_some() {
            return Ok(());
        }
        audit::append(&self.conn, self.actor_id(), action, subject, detail)
    }

    /// Records what the workstation's session did (a lock, handing it to a patient). Any
    /// signed-in actor: a session that locks is audited whoever holds it.
    pub fn record_session_event(&self, event: SessionEvent) -> Result<()> {
        let (action, subject) = match event {
            SessionEvent::Lock => ("lock", String::new()),
            SessionEvent::IdleLock => ("idle_lock", String::new()),
            SessionEvent::SelfEntryOn { intake_id } => {
                ("self_entry_on", format!("intake {intake_id}"))
            }
            SessionEvent::SelfEntryOff => ("self_entry_off", String::new()),
        };
        self.audit_event(action, &subject, "")?;
        match event {
            SessionEvent::SelfEntryOn { intake_id } => self.self_entry.set(Some(intake_id)),
            _ => self.self_entry.set(None),
        }
        // A lock closes a stretch of work: its account vouches for the trail up to here.
        let locks = matches!(event, SessionEvent::Lock | SessionEvent::IdleLock);
        match &self.signer {
            Some(signer) if locks && self.damaged.is_none() => {
                crate::trust::heads::sign(&self.conn, signer, action)
            }
            _ => Ok(()),
        }
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

    pub fn audit_trail(&self) -> Result<Vec<crate::AuditRow>> {
        self.require(Permission::ReadAudit)?;
        audit::trail(&self.conn)
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.require(Permission::Verify)?;
        schema::version(&self.conn)
    }

    /// The open connection, for tests that play an insider who already holds the key. Only
    /// builds with the `test-support` feature have it; it passes no permission check.
    #[cfg(feature = "test-support")]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }
}
