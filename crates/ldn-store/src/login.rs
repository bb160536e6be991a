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
    keys_path, new_recovery_key, normalize_recovery, recovery_path, spend_like_an_unwrap, DbKey,
    Holder, HolderKind, Keyring,
};
use crate::schema;
use crate::staff::check_new_staff;
use crate::store::{cipher_salt, open_connection, Actor, NewStaff, Role, StaffMember, Store};
use crate::trust::{self, heads, records, root_key, Checked, Signer};
use ed25519_dalek::SigningKey;

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
        let root = root_key(&recovery)
            .ok_or_else(|| StoreError::Io("the new recovery key makes no root key".into()))?;
        let signing = SigningKey::generate(&mut rand::rngs::OsRng);
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
        trust::establish(&tx, &root)?;
        let generation = records::vouch(
            &tx,
            &Signer::root(root),
            id,
            admin.username,
            Role::Admin,
            false,
            &signing.verifying_key(),
        )?;
        audit::append(&tx, Some(id), "create_database", admin.username, "")?;
        let signer = Signer {
            staff_id: Some(id),
            generation: Some(generation),
            key: signing,
        };
        heads::sign(&tx, &signer, "create_database")?;
        tx.commit()?;
        let mut admin_holder = Holder::new(
            HolderKind::Staff,
            Some(admin.username),
            admin.password,
            &[&key],
        )?;
        admin_holder.seal_signing(&signer.key)?;
        let salt = cipher_salt(&conn).unwrap_or_default();
        let ring = Keyring::new(
            salt,
            vec![
                admin_holder,
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
        let mut store = Store::new(conn, path, key, actor);
        store.signer = Some(signer);
        Ok((store, recovery))
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
        let pending = attempts::begin(path, username, policy)?;
        let opened = Keyring::load(path).and_then(|ring| {
            let (keys, signing) =
                unlock_staff(&ring, username, password).ok_or(StoreError::WrongCredentials)?;
            let store = Store::connect(path, keys, &ring, Actor::Recovery)?;
            let account =
                find_account(&store.conn, username)?.ok_or(StoreError::WrongCredentials)?;
            Ok((store, account, signing))
        });
        let (mut store, account, signing) = match opened {
            Ok(opened) => opened,
            // A wrong password stays noted; anything else was not a guess.
            Err(StoreError::WrongCredentials) => return Err(StoreError::WrongCredentials),
            Err(other) => {
                attempts::withdraw(path, pending)?;
                return Err(other);
            }
        };
        let (staff, disabled, must_change) = (
            account.member,
            account.disabled,
            account.must_change_password,
        );
        attempts::succeeded(path, &mut store.conn, username, pending, policy.window)?;
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
        let signer = match account_signer(&store.conn, &staff, disabled, signing)? {
            Ok(signer) => signer,
            Err(why) => {
                audit::append(&store.conn, Some(staff.id), "refused_login", username, &why)?;
                return Err(StoreError::NotVouched(why));
            }
        };
        audit::append(&store.conn, Some(staff.id), "login", username, "")?;
        if let Some(signer) = &signer {
            heads::sign(&store.conn, signer, "login")?;
        }
        store.refresh_holder(HolderKind::Staff, Some(username), password)?;
        store.actor = Actor::Staff(staff);
        store.signer = signer;
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
        // The key file first; the recovery file when the key file is missing, damaged, an
        // older copy, or its recovery holder does not open.
        let rings = [Keyring::load(path), Keyring::load_recovery_file(path)];
        let mut last = StoreError::WrongCredentials;
        let mut opened = None;
        for ring in rings.into_iter().flatten() {
            let Some(keys) = unlock_recovery(&ring, &typed) else {
                continue;
            };
            match Store::connect(path, keys, &ring, Actor::Recovery) {
                Ok(store) => {
                    opened = Some(store);
                    break;
                }
                Err(e) => last = e,
            }
        }
        let Some(mut store) = opened else {
            if last == StoreError::WrongCredentials {
                attempts::record(path, "(recovery key)")?;
            }
            return Err(last);
        };
        audit::append(&store.conn, None, "recovery_login", "", "")?;
        // The root signs only where it is this database's root: a swapped root is for
        // `ldn db verify --root` to report, not for the recovery key to vouch into.
        let root = root_key(&typed).filter(|root| {
            matches!(trust::load(&store.conn), Ok(Some(Ok(t))) if t.root == root.verifying_key())
        });
        if let Some(root) = root {
            let signer = Signer::root(root);
            heads::sign(&store.conn, &signer, "recovery_login")?;
            store.signer = Some(signer);
        }
        if Keyring::load(path).is_ok() {
            store.refresh_holder(HolderKind::Recovery, None, &typed)?;
        }
        Ok(store)
    }

    /// Opens a damaged database read-only, to read what can still be read before restoring a
    /// backup. Nothing can be saved, and views are not audited (the file cannot be written).
    pub fn open_read_only(path: &Path, username: &str, password: &str) -> Result<Store> {
        let pending = attempts::begin(path, username, &LoginPolicy::default())?;
        let ring = Keyring::load(path)?;
        let Some((keys, signing)) = unlock_staff(&ring, username, password) else {
            return Err(StoreError::WrongCredentials);
        };
        // The password was right; the file cannot be written to audit that, so the attempt
        // is simply taken back.
        attempts::withdraw(path, pending)?;
        let (conn, key) = keys
            .into_iter()
            .find_map(|k| open_connection(path, &k, true).ok().map(|c| (c, k)))
            .ok_or_else(|| StoreError::Damaged("no key opens it".into()))?;
        let damage = crate::store::integrity_problem(&conn).unwrap_or_else(|e| Some(e.to_string()));
        match find_account(&conn, username)? {
            None => Err(StoreError::WrongCredentials),
            Some(account) if account.disabled => Err(StoreError::AccountDisabled),
            Some(account) => {
                // A record that does not hold refuses, as at any login; signature tables
                // the damage made unreadable do not keep the clinic from what can be read
                // (nothing is signed on a read-only file).
                let signer = match account_signer(&conn, &account.member, false, signing) {
                    Ok(Ok(signer)) => signer,
                    Ok(Err(why)) => return Err(StoreError::NotVouched(why)),
                    Err(_) => None,
                };
                let must_change = account.must_change_password;
                let mut store = Store::new(conn, path, key, Actor::Staff(account.member));
                store.must_change_password = must_change;
                store.signer = signer;
                store.damaged = Some(damage.unwrap_or_else(|| "opened read-only".into()));
                Ok(store)
            }
        }
    }

    /// After a login: a first-format wrap, or one made at a lower cost than today's, is
    /// replaced by a holder at today's cost. The Argon2 work is done before the key lock is
    /// taken; under it the file is read afresh and changed only if that entry is still the
    /// one this login opened, so a change made meanwhile by someone else is never undone.
    fn refresh_holder(
        &mut self,
        kind: HolderKind,
        username: Option<&str>,
        secret: &str,
    ) -> Result<()> {
        let name = username.unwrap_or_default();
        let ring = Keyring::load(&self.path)?;
        let current = match kind {
            HolderKind::Staff => ring.staff(name),
            HolderKind::Recovery => ring.recovery(),
        };
        let (fresh, replaces) = match current {
            Some(h) if !h.kdf.below_current() => return Ok(()),
            Some(h) => {
                let Some(pair) = h.open(secret) else {
                    return Ok(());
                };
                let mut fresh = Holder::wrapping(kind, username, &pair, secret)?;
                fresh.sealed = h.sealed.clone();
                fresh.signing = h.signing.clone();
                (fresh, h.salt.clone())
            }
            None => {
                let legacy = match kind {
                    HolderKind::Staff => ring.legacy_staff(name),
                    HolderKind::Recovery => ring.legacy_recovery(),
                };
                let Some(wrap) = legacy else {
                    return Ok(());
                };
                match wrap.unwrap(secret) {
                    Some(key) if key.bytes() == self.key.bytes() => (
                        Holder::new(kind, username, secret, &[&self.key])?,
                        wrap.salt.clone(),
                    ),
                    _ => return Ok(()),
                }
            }
        };
        let _lock = KeyLock::take(&self.path)?;
        let mut ring = Keyring::load(&self.path)?;
        let unchanged = match kind {
            HolderKind::Staff => ring
                .staff(name)
                .map(|h| &h.salt)
                .or(ring.legacy_staff(name).map(|w| &w.salt)),
            HolderKind::Recovery => ring
                .recovery()
                .map(|h| &h.salt)
                .or(ring.legacy_recovery().map(|w| &w.salt)),
        } == Some(&replaces);
        if !unchanged {
            return Ok(());
        }
        ring.replace(fresh);
        if ring.db_salt.is_empty() {
            ring.db_salt = cipher_salt(&self.conn).unwrap_or_default();
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

/// The account's signer, if this database has signatures: its record must hold (see
/// `trust::records::check_account`); why not, if it does not.
fn account_signer(
    conn: &rusqlite::Connection,
    staff: &StaffMember,
    disabled: bool,
    signing: Option<SigningKey>,
) -> Result<Checked<Option<Signer>>> {
    let trust = match trust::load(conn)? {
        None => return Ok(Ok(None)),
        Some(Err(why)) => return Ok(Err(why)),
        Some(Ok(trust)) => trust,
    };
    let parts = (staff.id, staff.username.as_str(), staff.role, disabled);
    Ok(
        records::check_account(conn, &trust, parts, signing.as_ref())?.map(|generation| {
            signing.map(|key| Signer {
                staff_id: Some(staff.id),
                generation: Some(generation),
                key,
            })
        }),
    )
}

/// The database keys sealed to this account and its signing key, if the password is its own.
fn unlock_staff(
    ring: &Keyring,
    username: &str,
    password: &str,
) -> Option<(Vec<DbKey>, Option<SigningKey>)> {
    if let Some(holder) = ring.staff(username) {
        let secret = holder.open(password)?;
        return Some((holder.unseal(&secret), holder.signing_key(&secret)));
    }
    if let Some(wrap) = ring.legacy_staff(username) {
        return wrap.unwrap(password).map(|k| (vec![k], None));
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
