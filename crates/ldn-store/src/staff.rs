//! Staff accounts: adding, disabling, passwords. Each password wraps the database key in the
//! key file; changing one re-wraps it.

use rusqlite::{params, TransactionBehavior};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::store::{Actor, NewStaff, Role, Store};

const MIN_PASSWORD_CHARS: usize = 10;

pub(crate) fn check_new_staff(new: &NewStaff) -> Result<()> {
    let invalid = |field: &str, message: &str| StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    };
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
    if new.display_name.trim().is_empty() {
        return Err(invalid("display_name", "must not be empty"));
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("password", "must be at least 10 characters"));
    }
    Ok(())
}

impl Store {
    fn require_admin(&self) -> Result<()> {
        match &self.actor {
            Actor::Staff(s) if s.role == Role::Admin => Ok(()),
            Actor::Recovery => Ok(()),
            _ => Err(StoreError::NotAllowed(
                "only an administrator can manage staff accounts".into(),
            )),
        }
    }

    /// Adds a staff account (administrators only).
    pub fn add_staff(&mut self, new: &NewStaff) -> Result<i64> {
        self.require_writable()?;
        self.require_admin()?;
        check_new_staff(new)?;
        let (mut ring, keys) = Store::keyring(self.path())?;
        let actor = self.actor_id();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO staff (username, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                new.username,
                new.display_name.trim(),
                new.role.as_str(),
                crate::now()
            ],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Invalid {
                field: "username".into(),
                message: format!("{} is already taken", new.username),
            },
            _ => e.into(),
        })?;
        let id = tx.last_insert_rowid();
        audit::append(&tx, actor, "add_staff", new.username, new.role.as_str())?;
        ring.set_password(&self.key, new.username, new.password)?;
        ring.save(&keys)?;
        tx.commit()?;
        Ok(id)
    }

    /// Disables or re-enables an account (administrators only).
    pub fn set_disabled(&mut self, username: &str, disabled: bool) -> Result<()> {
        self.require_writable()?;
        self.require_admin()?;
        if matches!(&self.actor, Actor::Staff(s) if s.username == username) {
            return Err(StoreError::NotAllowed(
                "you cannot disable your own account".into(),
            ));
        }
        let actor = self.actor_id();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE staff SET disabled = ?1 WHERE username = ?2",
            params![disabled, username],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid {
                field: "username".into(),
                message: format!("no account {username}"),
            });
        }
        let action = if disabled {
            "disable_staff"
        } else {
            "enable_staff"
        };
        audit::append(&tx, actor, action, username, "")?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a new password for another account (administrators only): the database key is
    /// wrapped anew for that account.
    pub fn reset_password(&mut self, username: &str, new_password: &str) -> Result<()> {
        self.require_writable()?;
        self.require_admin()?;
        if new_password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::Invalid {
                field: "password".into(),
                message: "must be at least 10 characters".into(),
            });
        }
        let exists: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM staff WHERE username = ?1",
            [username],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::Invalid {
                field: "username".into(),
                message: format!("no account {username}"),
            });
        }
        let (mut ring, keys) = Store::keyring(self.path())?;
        ring.set_password(&self.key, username, new_password)?;
        ring.save(&keys)?;
        audit::append(&self.conn, self.actor_id(), "reset_password", username, "")?;
        Ok(())
    }

    /// Changes the signed-in staff member's password: the database key is wrapped anew.
    pub fn change_password(&mut self, new_password: &str) -> Result<()> {
        let Actor::Staff(staff) = &self.actor else {
            return Err(StoreError::NotAllowed(
                "sign in as a staff member to change a password".into(),
            ));
        };
        if new_password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::Invalid {
                field: "password".into(),
                message: "must be at least 10 characters".into(),
            });
        }
        let (mut ring, keys) = Store::keyring(self.path())?;
        ring.set_password(&self.key, &staff.username, new_password)?;
        ring.save(&keys)?;
        audit::append(
            &self.conn,
            Some(staff.id),
            "change_password",
            &staff.username,
            "",
        )?;
        Ok(())
    }
}
