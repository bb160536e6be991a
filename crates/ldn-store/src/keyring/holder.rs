//! One holder of the database key: a staff account or the recovery key. Each holder has an
//! X25519 key pair; its secret half is encrypted with a key derived from the holder's password
//! (Argon2id), and the database key is sealed to its public half. Sealing needs no password,
//! so the key can be changed for every remaining holder when someone loses access.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use crypto_box::{PublicKey, SecretKey};
use ed25519_dalek::SigningKey;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::DbKey;
use crate::error::{Result, StoreError};

/// Argon2id cost of every new wrap: 64 MiB, 3 passes, 1 lane (above OWASP's minimum).
pub const CURRENT_KDF: Kdf = Kdf {
    m_cost_kib: 64 * 1024,
    t_cost: 3,
    p_cost: 1,
};

/// Stored costs outside these bounds are refused: a key file asking for 100 GiB must not hang
/// a login.
const MIN_M_KIB: u32 = 8 * 1024;
const MAX_M_KIB: u32 = 1024 * 1024;
const MAX_T: u32 = 16;
const MAX_P: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl Kdf {
    pub fn within_bounds(&self) -> bool {
        (MIN_M_KIB..=MAX_M_KIB).contains(&self.m_cost_kib)
            && (1..=MAX_T).contains(&self.t_cost)
            && (1..=MAX_P).contains(&self.p_cost)
    }

    /// Cheaper than today's cost in any dimension: re-wrapped at the next login.
    pub fn below_current(&self) -> bool {
        self.m_cost_kib < CURRENT_KDF.m_cost_kib || self.t_cost < CURRENT_KDF.t_cost
    }

    pub fn derive(&self, secret: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let params = Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32))
            .map_err(|e| StoreError::Io(e.to_string()))?;
        let mut out = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret, salt, out.as_mut())
            .map_err(|e| StoreError::Io(e.to_string()))?;
        Ok(out)
    }
}

/// Something encrypted under a key derived from a password, as the key file writes it (hex).
pub struct Wrapped<'a> {
    pub kdf: Kdf,
    pub salt: &'a str,
    pub nonce: &'a str,
    pub ciphertext: &'a str,
}

impl Wrapped<'_> {
    /// The plaintext, if `password` is the one it was wrapped with.
    pub fn open(&self, password: &str, aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let salt = hex::decode(self.salt).ok()?;
        let nonce: [u8; 24] = hex::decode(self.nonce).ok()?.try_into().ok()?;
        let ciphertext = hex::decode(self.ciphertext).ok()?;
        let kek = self.kdf.derive(password.as_bytes(), &salt).ok()?;
        let plain = XChaCha20Poly1305::new(kek.as_ref().into())
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad,
                },
            )
            .ok()?;
        Some(Zeroizing::new(plain))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderKind {
    Staff,
    Recovery,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub kind: HolderKind,
    /// The staff username; none for the recovery key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub public: String,
    pub kdf: Kdf,
    pub salt: String,
    pub nonce: String,
    /// The secret half of the key pair, encrypted with the password-derived key.
    pub secret: String,
    /// The database key sealed to `public`: one, or two (new and old) while it is changed.
    pub sealed: Vec<String>,
    /// The account's signing key, sealed to `public` like the database key: it opens with
    /// the same password, and a new password only re-seals it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing: Option<SealedSigning>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedSigning {
    /// The Ed25519 public key, which the account's signed record must name.
    pub public: String,
    pub sealed: String,
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Spends the time a real unwrap would, for a name that has no holder: a login must not
/// reveal which usernames exist by how fast it fails.
pub fn spend_like_an_unwrap(password: &str) {
    let _ = CURRENT_KDF.derive(password.as_bytes(), &random::<16>());
}

impl Holder {
    fn associated_data(&self) -> Vec<u8> {
        format!(
            "ldn-intake/holder@1|{:?}|{}|{}",
            self.kind,
            self.username.as_deref().unwrap_or(""),
            self.public
        )
        .into_bytes()
    }

    /// A new key pair for `password`, with `keys` sealed to it.
    pub fn new(
        kind: HolderKind,
        username: Option<&str>,
        password: &str,
        keys: &[&DbKey],
    ) -> Result<Holder> {
        let secret = SecretKey::generate(&mut crypto_box::aead::OsRng);
        let mut holder = Holder::wrapping(kind, username, &secret, password)?;
        holder.seal(keys)?;
        Ok(holder)
    }

    /// The same key pair under a new password or a new cost; nothing sealed yet.
    pub fn wrapping(
        kind: HolderKind,
        username: Option<&str>,
        secret: &SecretKey,
        password: &str,
    ) -> Result<Holder> {
        let salt = random::<16>();
        let nonce = random::<24>();
        let mut holder = Holder {
            kind,
            username: username.map(str::to_owned),
            public: hex::encode(secret.public_key().as_bytes()),
            kdf: CURRENT_KDF,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            secret: String::new(),
            sealed: Vec::new(),
            signing: None,
        };
        let kek = CURRENT_KDF.derive(password.as_bytes(), &salt)?;
        let aad = holder.associated_data();
        let secret_bytes = Zeroizing::new(secret.to_bytes());
        let wrapped = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret_bytes.as_ref(),
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::Io("key wrapping failed".into()))?;
        holder.secret = hex::encode(wrapped);
        Ok(holder)
    }

    /// Seals `keys` (the current database key, and while it changes the next one too).
    pub fn seal(&mut self, keys: &[&DbKey]) -> Result<()> {
        let public = self
            .public_key()
            .ok_or_else(|| StoreError::KeyFile("a public key in the key file is not one".into()))?;
        self.sealed = keys
            .iter()
            .map(|k| {
                public
                    .seal(&mut crypto_box::aead::OsRng, k.bytes())
                    .map(hex::encode)
                    .map_err(|_| StoreError::Io("sealing the database key failed".into()))
            })
            .collect::<Result<_>>()?;
        Ok(())
    }

    /// Seals an Ed25519 signing key to this holder, in place of any sealed before.
    pub fn seal_signing(&mut self, key: &SigningKey) -> Result<()> {
        let public = self
            .public_key()
            .ok_or_else(|| StoreError::KeyFile("a public key in the key file is not one".into()))?;
        let sealed = public
            .seal(&mut crypto_box::aead::OsRng, key.as_bytes())
            .map_err(|_| StoreError::Io("sealing the signing key failed".into()))?;
        self.signing = Some(SealedSigning {
            public: hex::encode(key.verifying_key().as_bytes()),
            sealed: hex::encode(sealed),
        });
        Ok(())
    }

    /// The signing key sealed to this holder, if any and if it is the one the file names.
    pub fn signing_key(&self, secret: &SecretKey) -> Option<SigningKey> {
        let signing = self.signing.as_ref()?;
        let plain = Zeroizing::new(secret.unseal(&hex::decode(&signing.sealed).ok()?).ok()?);
        let seed: [u8; 32] = plain.as_slice().try_into().ok()?;
        let key = SigningKey::from_bytes(&seed);
        (hex::encode(key.verifying_key().as_bytes()) == signing.public).then_some(key)
    }

    fn public_key(&self) -> Option<PublicKey> {
        let bytes: [u8; 32] = hex::decode(&self.public).ok()?.try_into().ok()?;
        Some(PublicKey::from(bytes))
    }

    /// The secret half, if `password` is this holder's.
    pub fn open(&self, password: &str) -> Option<SecretKey> {
        let wrap = Wrapped {
            kdf: self.kdf,
            salt: &self.salt,
            nonce: &self.nonce,
            ciphertext: &self.secret,
        };
        let plain = wrap.open(password, &self.associated_data())?;
        let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
        let secret = SecretKey::from(bytes);
        // The public half is part of what was authenticated; it must be this secret's.
        (secret.public_key().as_bytes() == self.public_key()?.as_bytes()).then_some(secret)
    }

    /// Every database key sealed to this holder, newest first.
    pub fn unseal(&self, secret: &SecretKey) -> Vec<DbKey> {
        self.sealed
            .iter()
            .filter_map(|s| {
                let plain = Zeroizing::new(secret.unseal(&hex::decode(s).ok()?).ok()?);
                DbKey::from_slice(&plain)
            })
            .collect()
    }
}
