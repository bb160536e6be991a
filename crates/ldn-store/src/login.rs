//! Getting in: creating a database, and opening it with a password or the recovery key. A
//! failed login is noted beside the database (see `attempts`) and costs the same time whether
//! or not the username exists.

use std::path::Path;

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use zeroize::Zeroizing;

use crate::attempts::{self, LoginPolicy};
use crate::audit;
use crate::error::{Result, StoreError};
use crate::files::{create_private, KeyLock};
use crate::keyring::{
    db_salt, keys_path, new_recovery_key, normalize_recovery, recovery_path, spend_like_an_unwrap,
    DbKey, Holder, HolderKind, Keyring,
};
use crate::schema;
use crate::staff::check_new_staff;
use crate::store::{open_connection, Actor, NewStaff, Role, StaffMember, Store};

impl Store {
    /// Creates a database with its first admin. Returns the store and the recovery key, which
    /// is shown once and stored nowhere in clear.
    pub fn create(path: &Path, admin: &NewStaff) -> Result<(Store, Zeroizing<String>)> {
        check_new_staff(admin)?;
        for p in [path.to_owned(), keys_path(path), recovery_path(path)] {
            if p.exists() {
                return Err(StoreError::AlreadyExists(p.display().to_string()));
            }
        }
        let key = DbKey::random();
        let recovery = new_recovery_key();
        create_private(path)?;
        let mut conn = open_connection(path, &key, false)?;
        schema::migrate(&mut conn)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO staff (username, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                admin.username,
                admin.display_name.trim(),
                Role::Admin,
                crate::now()
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(&tx, Some(id), "create_database", admin.username, "")?;
        tx.commit()?;
        let salt = db_salt(path).unwrap_or_default();
        let ring = Keyring::new(
            salt,
            vec![
                Holder::new(
                    HolderKind::Staff,
                    Some(admin.username),
                    admin.password,
                    &[&key],
                )?,
                Holder::new(HolderKind::Recovery, None, &recovery, &[&key])?,
            ],
        );
        ring.save(path)?;
        let actor = Actor::Staff(StaffMember {
            id,
            username: admin.username.to_owned(),
            display_name: admin.display_name.trim().to_owned(),
            role: Role::Admin,
        });
        Ok((Store::new(conn, path, key, actor), recovery))
    }

    /// Opens the database as a staff member. A failed login is recorded and audited later.
    pub fn open(path: &Path, username: &str, password: &str) -> Result<Store> {
        Store::open_with_policy(path, username, password, &LoginPolicy::default())
    }

    /// [`Store::open`] with a chosen wait after failures (tests use [`LoginPolicy::never_wait`]).
    pub fn open_with_policy(
        path: &Path,
        username: &str,
        password: &str,
        policy: &LoginPolicy,
    ) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.display().to_string()));
        }
        attempts::check(path, username, policy)?;
        let ring = Keyring::load(path)?;
        let Some(keys) = unlock_staff(&ring, username, password) else {
            attempts::record(path, username)?;
            return Err(StoreError::WrongCredentials);
        };
        let mut store = Store::connect(path, keys, &ring, Actor::Recovery)?;
        let Some(account) = find_account(&store.conn, username)? else {
            return Err(StoreError::WrongCredentials);
        };
        let (staff, disabled, must_change) = (
            account.member,
            account.disabled,
            account.must_change_password,
        );
        attempts::move_into_audit(path, &mut store.conn, username, policy.window)?;
        if disabled {
            audit::append(
                &store.conn,
                Some(staff.id),
                "refused_login",
                username,
                "account disabled",
            )?;
            return Err(StoreError::AccountDisabled);
        }
        audit::append(&store.conn, Some(staff.id), "login", username, "")?;
        store.refresh_holder(HolderKind::Staff, Some(username), password)?;
        store.actor = Actor::Staff(staff);
        store.must_change_password = must_change;
        Ok(store)
    }

    /// Opens the database with the recovery key: the documented emergency way in. The key
    /// file is tried first, then the recovery file. It never waits for failed logins: 256
    /// random bits are not guessed, and someone trying passwords at the login screen must
    /// not keep the clinic from its emergency key.
    pub fn open_with_recovery(path: &Path, recovery: &str) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.display().to_string()));
        }
        let typed = normalize_recovery(recovery);
        let ring = match Keyring::load(path) {
            Ok(ring) => ring,
            Err(_) => Keyring::load_recovery_file(path)?,
        };
        let keys = match unlock_recovery(&ring, &typed) {
            Some(keys) => keys,
            None => {
                let spare = Keyring::load_recovery_file(path).ok();
                match spare.as_ref().and_then(|r| unlock_recovery(r, &typed)) {
                    Some(keys) => keys,
                    None => {
                        attempts::record(path, "(recovery key)")?;
                        return Err(StoreError::WrongCredentials);
                    }
                }
            }
        };
        let mut store = Store::connect(path, keys, &ring, Actor::Recovery)?;
        audit::append(&store.conn, None, "recovery_login", "", "")?;
        if Keyring::load(path).is_ok() {
            store.refresh_holder(HolderKind::Recovery, None, &typed)?;
        }
        Ok(store)
    }

    /// Opens a damaged database read-only, to read what can still be read before restoring a
    /// backup. Nothing can be saved, and views are not audited (the file cannot be written).
    pub fn open_read_only(path: &Path, username: &str, password: &str) -> Result<Store> {
        attempts::check(path, username, &LoginPolicy::default())?;
        let ring = Keyring::load(path)?;
        let Some(keys) = unlock_staff(&ring, username, password) else {
            attempts::record(path, username)?;
            return Err(StoreError::WrongCredentials);
        };
        let (conn, key) = keys
            .into_iter()
            .find_map(|k| open_connection(path, &k, true).ok().map(|c| (c, k)))
            .ok_or_else(|| StoreError::Damaged("no key opens it".into()))?;
        let damage = crate::store::integrity_problem(&conn).unwrap_or_else(|e| Some(e.to_string()));
        match find_account(&conn, username)? {
            None => Err(StoreError::WrongCredentials),
            Some(account) if account.disabled => Err(StoreError::AccountDisabled),
            Some(account) => {
                let must_change = account.must_change_password;
                let mut store = Store::new(conn, path, key, Actor::Staff(account.member));
                store.must_change_password = must_change;
                store.damaged = Some(damage.unwrap_or_else(|| "opened read-only".into()));
                Ok(store)
            }
        }
    }

    /// After a login: a first-format wrap, or one made at a lower cost than today's, is
    /// replaced by a holder at today's cost (under the key lock, from a fresh read, so a
    /// change made meanwhile by someone else is never undone).
    fn refresh_holder(
        &mut self,
        kind: HolderKind,
        username: Option<&str>,
        secret: &str,
    ) -> Result<()> {
        let _lock = KeyLock::take(&self.path)?;
        let mut ring = Keyring::load(&self.path)?;
        let current = match kind {
            HolderKind::Staff => ring.staff(username.unwrap_or_default()),
            HolderKind::Recovery => ring.recovery(),
        };
        let fresh = match current {
            Some(h) if !h.kdf.below_current() => return Ok(()),
            Some(h) => match h.open(secret) {
                Some(pair) => {
                    let mut fresh = Holder::wrapping(kind, username, &pair, secret)?;
                    fresh.sealed = h.sealed.clone();
                    fresh
                }
                // Changed since this login began: leave it.
                None => return Ok(()),
            },
            None => {
                let legacy = match kind {
                    HolderKind::Staff => ring.legacy_staff(username.unwrap_or_default()),
                    HolderKind::Recovery => ring.legacy_recovery(),
                };
                match legacy.and_then(|w| w.unwrap(secret)) {
                    Some(key) if key.bytes() == self.key.bytes() => {
                        Holder::new(kind, username, secret, &[&self.key])?
                    }
                    _ => return Ok(()),
                }
            }
        };
        ring.replace(fresh);
        if ring.db_salt.is_empty() {
            ring.db_salt = db_salt(&self.path).unwrap_or_default();
        }
        ring.save(&self.path)
    }
}

/// An account as a login needs it.
struct Account {
    member: StaffMember,
    disabled: bool,
    must_change_password: bool,
}

fn find_account(conn: &rusqlite::Connection, username: &str) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            "SELECT id, username, display_name, role, disabled, must_change_password FROM staff WHERE username = ?1",
            [username],
            |r| {
                Ok(Account {
                    member: StaffMember {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        display_name: r.get(2)?,
                        role: r.get(3)?,
                    },
                    disabled: r.get(4)?,
                    must_change_password: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// The database keys sealed to this account, if the password is its own.
fn unlock_staff(ring: &Keyring, username: &str, password: &str) -> Option<Vec<DbKey>> {
    if let Some(holder) = ring.staff(username) {
        let secret = holder.open(password)?;
        return Some(holder.unseal(&secret));
    }
    if let Some(wrap) = ring.legacy_staff(username) {
        return wrap.unwrap(password).map(|k| vec![k]);
    }
    spend_like_an_unwrap(password);
    None
}

fn unlock_recovery(ring: &Keyring, typed: &str) -> Option<Vec<DbKey>> {
    if let Some(holder) = ring.recovery() {
        let secret = holder.open(typed)?;
        return Some(holder.unseal(&secret));
    }
    ring.legacy_recovery()?.unwrap(typed).map(|k| vec![k])
}
