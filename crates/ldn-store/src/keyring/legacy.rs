//! Key files of the first format (`ldn-intake/keyring@1`): the database key wrapped directly
//! by each password. They still open, and each wrap is replaced by a key-pair holder when its
//! owner next signs in; a key change drops the ones left (those accounts need a new password).

use serde::{Deserialize, Serialize};

use super::holder::{HolderKind, Kdf, Wrapped};
use super::DbKey;

pub const FORMAT: &str = "ldn-intake/keyring@1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WrappedKey {
    pub holder: HolderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    pub salt: String,
    pub nonce: String,
    pub wrapped: String,
}

/// A first-format key file as it was written.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyringV1 {
    pub keys: Vec<WrappedKey>,
}

impl WrappedKey {
    pub fn kdf(&self) -> Kdf {
        Kdf {
            m_cost_kib: self.m_cost_kib,
            t_cost: self.t_cost,
            p_cost: self.p_cost,
        }
    }

    pub fn unwrap(&self, secret: &str) -> Option<DbKey> {
        let aad = format!(
            "{FORMAT}|{:?}|{}",
            self.holder,
            self.username.as_deref().unwrap_or("")
        );
        let wrap = Wrapped {
            kdf: self.kdf(),
            salt: &self.salt,
            nonce: &self.nonce,
            ciphertext: &self.wrapped,
        };
        DbKey::from_slice(&wrap.open(secret, aad.as_bytes())?)
    }
}
