//! Key files of the first format (`ldn-intake/keyring@1`): the database key wrapped directly
//! by each password. They still open, and each wrap is replaced by a key-pair holder when its
//! owner next signs in; a key change drops the ones left (those accounts need a new password).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::holder::{HolderKind, Kdf};
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
        let salt = hex::decode(&self.salt).ok()?;
        let nonce: [u8; 24] = hex::decode(&self.nonce).ok()?.try_into().ok()?;
        let wrapped = hex::decode(&self.wrapped).ok()?;
        let kek = self.kdf().derive(secret.as_bytes(), &salt).ok()?;
        let aad = format!(
            "{FORMAT}|{:?}|{}",
            self.holder,
            self.username.as_deref().unwrap_or("")
        );
        let plain = Zeroizing::new(
            XChaCha20Poly1305::new(kek.as_ref().into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &wrapped,
                        aad: aad.as_bytes(),
                    },
                )
                .ok()?,
        );
        DbKey::from_slice(&plain)
    }
}
