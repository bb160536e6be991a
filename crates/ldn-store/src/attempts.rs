//! Failed logins, kept in `<db>.attempts` because the encrypted database cannot be written
//! without a key. Each attempt is one line appended under the key lock, so parallel failures
//! neither lose each other nor touch the key file; a damaged line is skipped, not the file.
//! They are moved into the audit trail at the next successful login, and they slow guessing
//! down: an account, and the whole workstation, wait longer after each failure in a row.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::files::{beside, write_atomically, KeyLock};

/// How many failures may come before waiting starts, and how long waiting can grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Failures for one username before it must wait (1 s, then doubling).
    pub account_free_failures: u32,
    /// Failures for any username on this database before everyone must wait.
    pub workstation_free_failures: u32,
    pub longest_wait: Duration,
    /// Failures older than this no longer count.
    pub window: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            account_free_failures: 3,
            workstation_free_failures: 10,
            longest_wait: Duration::from_secs(300),
            window: Duration::from_secs(15 * 60),
        }
    }
}

impl LoginPolicy {
    /// No waiting at all: for tests that hammer the files.
    pub fn never_wait() -> LoginPolicy {
        LoginPolicy {
            account_free_failures: u32::MAX,
            workstation_free_failures: u32::MAX,
            ..LoginPolicy::default()
        }
    }

    /// Seconds still to wait after `failures` in a row, the last at `last_ms`.
    fn wait(&self, failures: u32, free: u32, last_ms: i64, now_ms: i64) -> u64 {
        if failures < free {
            return 0;
        }
        let doublings = (failures - free).min(20);
        let wait_ms = (1000u64 << doublings).min(self.longest_wait.as_millis() as u64);
        let until = last_ms.saturating_add(wait_ms as i64);
        (until.saturating_sub(now_ms).max(0) as u64).div_ceil(1000)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Attempt {
    user: String,
    at_ms: i64,
}

fn path(db: &Path) -> std::path::PathBuf {
    beside(db, ".attempts")
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn read(db: &Path) -> Vec<Attempt> {
    fs::read_to_string(path(db))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

/// Refuses a login while this username or this workstation has to wait.
pub fn check(db: &Path, username: &str, policy: &LoginPolicy) -> Result<()> {
    let now = now_ms();
    let since = now - policy.window.as_millis() as i64;
    let recent: Vec<Attempt> = read(db).into_iter().filter(|a| a.at_ms >= since).collect();
    let last = |of: &mut dyn Iterator<Item = &Attempt>| {
        of.fold((0u32, 0i64), |(n, last), a| (n + 1, last.max(a.at_ms)))
    };
    let (mine, my_last) = last(&mut recent.iter().filter(|a| a.user == username));
    let (all, all_last) = last(&mut recent.iter());
    let seconds = policy
        .wait(mine, policy.account_free_failures, my_last, now)
        .max(policy.wait(all, policy.workstation_free_failures, all_last, now));
    if seconds > 0 {
        return Err(StoreError::TooManyAttempts { seconds });
    }
    Ok(())
}

/// Notes a failed login: one line, appended whole.
pub fn record(db: &Path, username: &str) -> Result<()> {
    let line = serde_json::to_string(&Attempt {
        user: username.chars().take(64).collect(),
        at_ms: now_ms(),
    })
    .map_err(|e| StoreError::Io(e.to_string()))?;
    let _lock = KeyLock::take(db)?;
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path(db))?;
    file.write_all(format!("{line}\n").as_bytes())?;
    file.sync_data()?;
    Ok(())
}

/// After a successful login by `username`: failures not yet audited go into the audit trail,
/// and the file keeps only the recent failures of other usernames (theirs still count).
pub fn move_into_audit(
    db: &Path,
    conn: &mut Connection,
    username: &str,
    window: Duration,
) -> Result<()> {
    let _lock = KeyLock::take(db)?;
    let attempts = read(db);
    if attempts.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let until: i64 = tx
        .query_row(
            "SELECT value FROM settings WHERE key = 'failed_logins_audited_until'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(i64::MIN);
    let mut newest = until;
    for a in attempts.iter().filter(|a| a.at_ms > until) {
        let at = chrono::DateTime::from_timestamp_millis(a.at_ms)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
            .unwrap_or_default();
        audit::append(&tx, None, "failed_login", &a.user, &format!("at {at}"))?;
        newest = newest.max(a.at_ms);
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('failed_logins_audited_until', ?1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![newest.to_string()],
    )?;
    tx.commit()?;
    let since = now_ms() - window.as_millis() as i64;
    let kept: String = attempts
        .iter()
        .filter(|a| a.user != username && a.at_ms >= since)
        .filter_map(|a| serde_json::to_string(a).ok())
        .map(|line| line + "\n")
        .collect();
    write_atomically(&path(db), kept.as_bytes())?;
    Ok(())
}
