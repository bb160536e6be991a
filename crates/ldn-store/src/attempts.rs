//! Failed logins, kept in `<db>.attempts` because the encrypted database cannot be written
//! without a key. Each attempt is one line appended under the key lock before its password is
//! checked, so parallel guesses all count and none is lost, and the key file is never touched;
//! a damaged line is skipped, not the file. They are moved into the audit trail at the next
//! successful login, and they slow guessing down: an account, and the whole workstation, wait
//! longer after each failure in a row.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
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
    /// Random: the login that wrote the line takes it back when the password was right.
    id: u64,
    user: String,
    at_ms: i64,
    /// Already in the audit trail; kept only because it still counts towards a wait.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    audited: bool,
}

/// A login attempt noted before its password is checked, so that guesses made in parallel
/// all count; a login that succeeds takes it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    id: u64,
}

fn path(db: &Path) -> std::path::PathBuf {
    beside(db, ".attempts")
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Every readable line; a damaged line is skipped, not the file. A file that cannot be read
/// at all refuses the login rather than forgetting the failures in it.
fn read(db: &Path) -> Result<Vec<Attempt>> {
    let bytes = match fs::read(path(db)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

/// Refuses while this username or this workstation has to wait.
fn check_wait(attempts: &[Attempt], username: &str, policy: &LoginPolicy) -> Result<()> {
    let now = now_ms();
    let since = now - policy.window.as_millis() as i64;
    let recent: Vec<&Attempt> = attempts.iter().filter(|a| a.at_ms >= since).collect();
    let last = |of: &mut dyn Iterator<Item = &&Attempt>| {
        of.fold((0u32, 0i64), |(n, last), a| (n + 1, last.max(a.at_ms)))
    };
    let (mine, my_last) = last(&mut recent.iter().filter(|a| a.user == username));
    let (all, all_last) = last(&mut recent.iter());
    let seconds = policy
        .wait(mine, policy.account_free_failures, my_last, now)
        .max(policy.wait(all, policy.workstation_free_failures, all_last, now))
        // A clock set back must not make the wait longer than the longest.
        .min(policy.longest_wait.as_secs());
    if seconds > 0 {
        return Err(StoreError::TooManyAttempts { seconds });
    }
    Ok(())
}

fn append(db: &Path, username: &str) -> Result<Pending> {
    let attempt = Attempt {
        id: rand::random(),
        user: username.chars().take(64).collect(),
        at_ms: now_ms(),
        audited: false,
    };
    let line = serde_json::to_string(&attempt).map_err(|e| StoreError::Io(e.to_string()))?;
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    crate::files::owner_only(&mut options);
    let mut file = options.open(path(db))?;
    file.write_all(format!("{line}\n").as_bytes())?;
    file.sync_data()?;
    Ok(Pending { id: attempt.id })
}

/// Before a password is checked: refuses while the name or the workstation must wait, else
/// notes the attempt (it stays a failure unless [`succeeded`] or [`withdraw`] takes it back).
pub fn begin(db: &Path, username: &str, policy: &LoginPolicy) -> Result<Pending> {
    let _lock = KeyLock::take(db)?;
    check_wait(&read(db)?, username, policy)?;
    append(db, username)
}

/// Notes a failed login that does not wait (the recovery key).
pub fn record(db: &Path, username: &str) -> Result<()> {
    let _lock = KeyLock::take(db)?;
    append(db, username).map(drop)
}

/// Takes back an attempt whose password was right but that could not go on (a damaged
/// database, a read-only open): it was not a guess.
pub fn withdraw(db: &Path, pending: Pending) -> Result<()> {
    let _lock = KeyLock::take(db)?;
    let mut attempts = read(db)?;
    attempts.retain(|a| a.id != pending.id);
    rewrite(db, &attempts)
}

fn rewrite(db: &Path, attempts: &[Attempt]) -> Result<()> {
    let text: String = attempts
        .iter()
        .filter_map(|a| serde_json::to_string(a).ok())
        .map(|line| line + "\n")
        .collect();
    write_atomically(&path(db), text.as_bytes())?;
    Ok(())
}

/// After a successful login by `username`: its own attempt is taken back, every failure not
/// yet audited goes into the audit trail, and the file keeps the recent failures of other
/// usernames (marked audited: theirs still count towards a wait).
pub fn succeeded(
    db: &Path,
    conn: &mut Connection,
    username: &str,
    pending: Pending,
    window: Duration,
) -> Result<()> {
    let _lock = KeyLock::take(db)?;
    let mut attempts = read(db)?;
    attempts.retain(|a| a.id != pending.id);
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for a in attempts.iter().filter(|a| !a.audited) {
        let at = chrono::DateTime::from_timestamp_millis(a.at_ms)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
            .unwrap_or_default();
        audit::append(&tx, None, "failed_login", &a.user, &format!("at {at}"))?;
    }
    tx.commit()?;
    let since = now_ms() - window.as_millis() as i64;
    let kept: Vec<Attempt> = attempts
        .into_iter()
        .filter(|a| a.user != username && a.at_ms >= since)
        .map(|a| Attempt { audited: true, ..a })
        .collect();
    rewrite(db, &kept)
}
