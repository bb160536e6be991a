//! Staff accounts: adding, disabling, enabling and passwords. Every change of who can open
//! the database changes its key (see `rotation`); adding an account only seals the current
//! key to the new one.

use rusqlite::{params, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::files::KeyLock;
use crate::keyring::{DbKey, Holder, HolderKind, Keyring};
use crate::permission::Permission;
use crate::store::{Actor, NewStaff, Role, Store};
use crate::trust::records;
use ed25519_dalek::SigningKey;

const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Must choose a new password at the next login.
    pub must_change_password: bool,
    /// Holds no key (re-enabled, or from an old key file): needs a password reset to sign in.
    pub needs_reset: bool,
}

fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Right-to-left overrides and isolates can make a name display as another name.
pub fn has_bidi_controls(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    })
}

/// A password long and unguessable enough, judged by zxcvbn (score 3 of 4 or better), with
/// the account's own names counted as easy guesses.
pub fn check_password(password: &str, names: &[&str]) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("password", "must be at least 10 characters"));
    }
    let estimate = zxcvbn::zxcvbn(password, names);
    if (estimate.score() as u8) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .unwrap_or_else(|| "it is too easy to guess".into());
        return Err(invalid(
            "password",
            format!("is too easy to guess ({hint}); try a few unrelated words"),
        ));
    }
    Ok(())
}

pub(crate) fn check_new_staff(new: &NewStaff) -> Result<()> {
    let username_ok = !new.username.is_empty()
        && new.username.len() <= 64
        && new
            .username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !username_ok {
        return Err(invalid(
            "username",
            "use 1 to 64 letters, digits, '.', '_' or '-'",
        ));
    }
    let display = new.display_name.trim();
    if display.is_empty() {
        return Err(invalid("display_name", "must not be empty"));
    }
    if has_bidi_controls(display) || display.chars().any(char::is_control) {
        return Err(invalid(
            "display_name",
            "must not contain control or text-direction characters",
        ));
    }
    check_password(new.password, &[new.username, display])
}

/// A key holder for a new password, with a new signing key sealed to it.
fn new_holder(username: &str, password: &str, keys: &[&DbKey]) -> Result<(Holder, SigningKey)> {
    let mut holder = Holder::new(HolderKind::Staff, Some(username), password, keys)?;
    let signing = SigningKey::generate(&mut rand::rngs::OsRng);
    holder.seal_signing(&signing)?;
    Ok((holder, signing))
}

impl Store {
    fn staff_exists(&self, username: &str) -> Result<()> {
        let exists: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM staff WHERE username = ?1",
            [username],
            |r| r.get(0),
        )?;
        if exists {
            Ok(())
        } else {
            Err(invalid("username", format!("no account {username}")))
        }
    }

    /// Adds a staff account, which must choose its own password at its first login.
    pub fn add_staff(&mut self, new: &NewStaff) -> Result<i64> {
        self.require(Permission::ManageStaff)?;
        check_new_staff(new)?;
        let actor = self.actor_id();
        // Argon2 first: the key lock is held only for the file's read-modify-write.
        let (holder, signing) = new_holder(new.username, new.password, &[&self.key])?;
        let _lock = KeyLock::take(&self.path)?;
        let mut ring = Keyring::load(&self.path)?;
        let vouching = self.vouching_signer()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO staff (username, display_name, role, created_at, must_change_password) VALUES (?1, ?2, ?3, ?4, 1)",
            params![new.username, new.display_name.trim(), new.role, crate::now()],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                invalid("username", format!("{} is already taken", new.username))
            }
            _ => e.into(),
        })?;
        let id = tx.last_insert_rowid();
        if let Some(signer) = &vouching {
            let key = signing.verifying_key();
            records::vouch(&tx, signer, id, new.username, new.role, false, &key)?;
        }
        audit::append(&tx, actor, "add_staff", new.username, new.role.as_str())?;
        ring.replace(holder);
        ring.save(&self.path)?;
        tx.commit()?;
        Ok(id)
    }

    /// Disables an account and changes the database key, so its password (and any copy of
    /// the key file it could open) no longer opens the database; or re-enables one, which
    /// then needs a password reset to sign in.
    pub fn set_disabled(&mut self, username: &str, disabled: bool) -> Result<()> {
        self.require(Permission::ManageStaff)?;
        if matches!(&self.actor, Actor::Staff(s) if s.username == username) {
            return Err(StoreError::NotAllowed(
                "you cannot disable your own account".into(),
            ));
        }
        self.staff_exists(username)?;
        let vouching = self.vouching_signer()?;
        // The key changes first: an account marked disabled whose holder could still open
        // the database would be worse than an enabled one without a holder.
        if disabled {
            let name = username.to_owned();
            self.change_key(&format!("disabled {username}"), move |ring| {
                ring.remove_staff(&name);
                Ok(())
            })?;
        }
        let actor = self.actor_id();
        let action = if disabled {
            "disable_staff"
        } else {
            "enable_staff"
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE staff SET disabled = ?1, must_change_password = (must_change_password OR NOT ?1) WHERE username = ?2",
            params![disabled, username],
        )?;
        if let Some(signer) = &vouching {
            let id = tx.query_row(
                "SELECT id FROM staff WHERE username = ?1",
                [username],
                |r| r.get(0),
            )?;
            records::revise(&tx, signer, id, disabled)?.map_err(StoreError::NotVouched)?;
        }
        audit::append(&tx, actor, action, username, "")?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a temporary password for another account, which must change it at its next
    /// login; the database key changes, so the old password opens nothing.
    pub fn reset_password(&mut self, username: &str, new_password: &str) -> Result<()> {
        self.require(Permission::ManageStaff)?;
        check_password(new_password, &[username])?;
        self.staff_exists(username)?;
        let (holder, signing) = new_holder(username, new_password, &[])?;
        // The forced change is set first: a password the administrator knows must never open
        // the database without it.
        let actor = self.actor_id();
        let vouching = self.vouching_signer()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE staff SET must_change_password = 1 WHERE username = ?1",
            [username],
        )?;
        if let Some(signer) = &vouching {
            // A new key: the old one opened with a password that is no longer the account's.
            let (id, role, disabled) = tx.query_row(
                "SELECT id, role, disabled FROM staff WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let key = signing.verifying_key();
            records::vouch(&tx, signer, id, username, role, disabled, &key)?;
        }
        audit::append(&tx, actor, "reset_password", username, "")?;
        tx.commit()?;
        self.change_key(&format!("reset {username}"), move |ring| {
            ring.replace(holder);
            Ok(())
        })
    }

    /// Changes the signed-in staff member's own password, given the current one. The
    /// database key changes, so the old password opens nothing, even with an old key file.
    pub fn change_password(&mut self, current: &str, new_password: &str) -> Result<()> {
        self.require(Permission::ChangeOwnPassword)?;
        let Actor::Staff(me) = self.actor.clone() else {
            return Err(StoreError::NotAllowed(
                "sign in as a staff member to change a password".into(),
            ));
        };
        let ring = Keyring::load(&self.path)?;
        let current_ok = match ring.staff(&me.username) {
            Some(h) => h.open(current).is_some(),
            None => ring
                .legacy_staff(&me.username)
                .and_then(|w| w.unwrap(current))
                .is_some(),
        };
        if !current_ok {
            return Err(invalid("current_password", "is not your current password"));
        }
        if current == new_password {
            return Err(invalid("password", "must differ from the current one"));
        }
        check_password(new_password, &[&me.username, &me.display_name])?;
        let mut holder = Holder::new(HolderKind::Staff, Some(&me.username), new_password, &[])?;
        // The same signing key under the new password: what was signed stays this account's.
        // (Signatures set up since this login leave no key to carry over: sign in again.)
        if let Some(signer) = self.vouching_signer()? {
            holder.seal_signing(&signer.key)?;
        }
        self.change_key(&format!("password of {}", me.username), move |ring| {
            ring.replace(holder);
            Ok(())
        })?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE staff SET must_change_password = 0 WHERE id = ?1",
            [me.id],
        )?;
        audit::append(&tx, Some(me.id), "change_password", &me.username, "")?;
        tx.commit()?;
        self.must_change_password = false;
        Ok(())
    }

    /// Whether the signed-in account must choose a new password before anything else.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// The staff accounts, by username.
    pub fn staff(&self) -> Result<Vec<StaffRow>> {
        self.require(Permission::ManageStaff)?;
        let ring = Keyring::load(&self.path)?;
        let mut stmt = self.conn.prepare(
            "SELECT username, display_name, role, disabled, must_change_password FROM staff ORDER BY username",
        )?;
        let rows = stmt.query_map([], |r| {
            let username: String = r.get(0)?;
            Ok(StaffRow {
                needs_reset: ring.staff(&username).is_none()
                    && ring.legacy_staff(&username).is_none(),
                username,
                display_name: r.get(1)?,
                role: r.get(2)?,
                disabled: r.get(3)?,
                must_change_password: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
