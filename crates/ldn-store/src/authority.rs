//! Setting up and reading the clinic's root of trust (see `trust`): the fingerprint people
//! compare with paper, and the one-time set-up for a database made before signatures.

use ed25519_dalek::SigningKey;
use rusqlite::TransactionBehavior;

use crate::audit;
use crate::error::{Result, StoreError};
use crate::files::KeyLock;
use crate::keyring::{normalize_recovery, Keyring};
use crate::permission::Permission;
use crate::store::{Role, Store};
use crate::trust::{self, fingerprint, heads, records, root_key, Signer};

/// What setting up signatures did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootSetUp {
    pub fingerprint: String,
    /// Accounts with no key holder to seal a signing key to (disabled, or still in the first
    /// key file format): they sign in again only after a password reset.
    pub need_reset: Vec<String>,
}

impl Store {
    /// The fingerprint of the clinic's root key, as the recovery sheet prints it; none until
    /// signatures are set up.
    pub fn root_fingerprint(&self) -> Result<Option<String>> {
        self.require(Permission::ViewSettings)?;
        Ok(match trust::load(&self.conn)? {
            Some(Ok(trust)) => Some(fingerprint(&trust.root)),
            _ => None,
        })
    }

    /// Whether this database was made before signatures and waits for an administrator to
    /// set them up with the recovery key.
    pub fn needs_root(&self) -> Result<bool> {
        self.require(Permission::ViewSettings)?;
        Ok(trust::load(&self.conn)?.is_none())
    }

    /// The signer that vouches for account changes, where the database has signatures.
    pub(crate) fn vouching_signer(&self) -> Result<Option<Signer>> {
        match trust::load(&self.conn)? {
            None => Ok(None),
            Some(Err(why)) => Err(StoreError::NotVouched(why)),
            Some(Ok(_)) => self.signer.clone().map(Some).ok_or_else(|| {
                StoreError::NotAllowed(
                    "signatures were set up after you signed in; sign in again".into(),
                )
            }),
        }
    }

    /// Sets up signatures in a database made before them: the root key comes from the
    /// recovery key (which must be this database's), every account with a key holder gets a
    /// signing key sealed to it and a record signed by the root, and earlier sign-offs count
    /// as made before signatures.
    pub fn establish_root(&mut self, recovery: &str) -> Result<RootSetUp> {
        self.require(Permission::ManageStaff)?;
        let typed = normalize_recovery(recovery);
        let wrong = || StoreError::Invalid {
            field: "recovery_key".into(),
            message: "is not this database's recovery key".into(),
        };
        let _lock = KeyLock::take(&self.path)?;
        let mut ring = Keyring::load(&self.path)?;
        let opens = ring.recovery().and_then(|h| {
            let secret = h.open(&typed)?;
            Some(
                h.unseal(&secret)
                    .iter()
                    .any(|k| k.bytes() == self.key.bytes()),
            )
        });
        if opens != Some(true) {
            return Err(wrong());
        }
        let root = Signer::root(root_key(&typed).ok_or_else(wrong)?);
        let mut stmt = self
            .conn
            .prepare("SELECT id, username, role, disabled FROM staff ORDER BY id")?;
        let accounts = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<(i64, String, Role, bool)>>>()?;
        drop(stmt);
        let (actor, my_id) = (self.actor_id(), self.actor_id());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        trust::establish(&tx, &root.key)?;
        let mut need_reset = Vec::new();
        let mut mine = None;
        for (id, username, role, disabled) in accounts {
            let key = SigningKey::generate(&mut rand::rngs::OsRng);
            match ring
                .holders
                .iter_mut()
                .find(|h| h.username.as_deref() == Some(&username))
            {
                Some(holder) if !disabled => holder.seal_signing(&key)?,
                // The record still names a key, one nobody holds: a reset gives a new one.
                _ => need_reset.push(username.clone()),
            }
            let generation = records::vouch(
                &tx,
                &root,
                id,
                &username,
                role,
                disabled,
                &key.verifying_key(),
            )?;
            if my_id == Some(id) {
                mine = Some(Signer {
                    staff_id: Some(id),
                    generation: Some(generation),
                    key,
                });
            }
        }
        let print = fingerprint(&root.key.verifying_key());
        audit::append(&tx, actor, "establish_root", &print, &need_reset.join(", "))?;
        let signer = mine.unwrap_or(root);
        heads::sign(&tx, &signer, "establish_root")?;
        ring.save(&self.path)?;
        tx.commit()?;
        self.signer = Some(signer);
        Ok(RootSetUp {
            fingerprint: print,
            need_reset,
        })
    }
}
