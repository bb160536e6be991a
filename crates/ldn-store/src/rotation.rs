//! Changing the database key when someone loses access (an account disabled, a password
//! reset or changed): a new random key is sealed to every remaining holder, the database is
//! re-encrypted with it (`PRAGMA rekey`), and the old key stops opening it. An old key file,
//! or the one inside an old backup, then opens only that old backup.
//!
//! Crash safety: the key file first holds both keys for every remaining holder, then the
//! database is re-encrypted, then the key file is written with the new key alone. Whatever
//! step is interrupted, each remaining holder can still open the database. Another program
//! with the database open (the app, while the CLI disables someone) finds its key gone and
//! must sign in again.

use crate::audit;
use crate::error::{Result, StoreError};
use crate::files::KeyLock;
use crate::keyring::{DbKey, Keyring};
use crate::store::{cipher_salt, open_connection, Store};

impl Store {
    /// Applies `change` to the key file (read afresh under the key lock) and changes the
    /// database key for every holder left. `what` goes into the audit trail.
    pub(crate) fn change_key(
        &mut self,
        what: &str,
        change: impl FnOnce(&mut Keyring) -> Result<()>,
    ) -> Result<()> {
        let _lock = KeyLock::take(&self.path)?;
        // This session's key must still be the database's: sealing a stale one to everyone
        // would leave the real key sealed to nobody.
        open_connection(&self.path, &self.key, true).map_err(|_| StoreError::KeyChanged)?;
        let mut ring = Keyring::load(&self.path)?;
        if ring.legacy_recovery().is_some() && ring.recovery().is_none() {
            return Err(StoreError::NotAllowed(
                "the recovery key is still in the old key file format; sign in once with it \
                 (ldn db verify with LDN_RECOVERY_KEY set) before changing access"
                    .into(),
            ));
        }
        change(&mut ring)?;
        // A disabled account never gets the new key, whatever the key file says.
        for name in self.disabled_usernames()? {
            ring.remove_staff(&name);
        }
        let dropped: Vec<String> = ring.legacy.drain(..).filter_map(|w| w.username).collect();
        let next = DbKey::random();
        for holder in &mut ring.holders {
            holder.seal(&[&next, &self.key])?;
        }
        if let Some(salt) = cipher_salt(&self.conn) {
            ring.db_salt = salt;
        }
        ring.save(&self.path)?;
        if let Err(e) = self.rekey(&next) {
            // The connection may be left writing with the key that did not take.
            self.conn = open_connection(&self.path, &self.key, false)?;
            return Err(e);
        }
        // SQLCipher can report success for a rekey it rolled back: only a fresh connection
        // opening with the new key (and not the old) proves it. Until then the key file keeps
        // both keys, so every holder still gets in.
        let took = open_connection(&self.path, &next, true).is_ok()
            && open_connection(&self.path, &self.key, true).is_err();
        if !took {
            // This connection may now write with the key that did not take: start it again.
            self.conn = open_connection(&self.path, &self.key, false)?;
            return Err(StoreError::Io(
                "the database key could not be changed; nothing was lost and every password still works. Try again".into(),
            ));
        }
        for holder in &mut ring.holders {
            holder.seal(&[&next])?;
        }
        ring.save(&self.path)?;
        self.key = next;
        let detail = if dropped.is_empty() {
            String::new()
        } else {
            format!("needing a new password: {}", dropped.join(", "))
        };
        audit::append(&self.conn, self.actor_id(), "key_changed", what, &detail)
    }

    fn disabled_usernames(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT username FROM staff WHERE disabled = 1")?;
        let names = stmt.query_map([], |r| r.get(0))?;
        Ok(names.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    /// Re-encrypts every page with `next`. SQLCipher does it in one transaction through the
    /// write-ahead log (the file's salt stays, so either key's pages are found); other open
    /// connections hold the old key and fail from then on, which ends their sessions.
    fn rekey(&mut self, next: &DbKey) -> Result<()> {
        self.conn
            .pragma_update(None, "rekey", next.pragma_value().as_str())?;
        // Folds the re-encrypted pages into the file; readers may hold it back, harmlessly.
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(())
    }
}
