//! The key file beside the database (`<db>.keys`). The database is encrypted with one random
//! 256-bit key; the key file holds that key wrapped once per staff account (by a key derived
//! from the account's password with Argon2id) and once by the recovery key. It holds no key
//! or password in clear. Failed logins are noted here, because the encrypted database cannot
//! be written without a key, and moved into the audit trail at the next successful login.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Result, StoreError};

const FORMAT: &str = "ldn-intake/keyring@1";
/// OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// The database key. Zeroed when dropped.
pub struct DbKey(Zeroizing<[u8; 32]>);

impl DbKey {
    pub fn random() -> DbKey {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        DbKey(key)
    }

    /// The SQLCipher `PRAGMA key` value for a raw key.
    pub fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0.as_ref())))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    Staff,
    Recovery,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WrappedKey {
    pub holder: Holder,
    /// The staff username; none for the recovery key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    pub salt: String,
    pub nonce: String,
    pub wrapped: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedLogin {
    pub username: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keyring {
    pub format: String,
    pub keys: Vec<WrappedKey>,
    #[serde(default)]
    pub failed_logins: Vec<FailedLogin>,
}

pub fn keyring_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".keys");
    PathBuf::from(name)
}

fn associated_data(holder: Holder, username: Option<&str>) -> Vec<u8> {
    format!("{FORMAT}|{holder:?}|{}", username.unwrap_or("")).into_bytes()
}

fn derive(secret: &[u8], salt: &[u8], m: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(m, t, p, Some(32)).map_err(|e| StoreError::Io(e.to_string()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| StoreError::Io(e.to_string()))?;
    Ok(out)
}

fn wrap(key: &DbKey, secret: &str, holder: Holder, username: Option<&str>) -> Result<WrappedKey> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kek = derive(secret.as_bytes(), &salt, M_COST_KIB, T_COST, P_COST)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let aad = associated_data(holder, username);
    let wrapped = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.0.as_ref(),
                aad: &aad,
            },
        )
        .map_err(|_| StoreError::Io("key wrapping failed".into()))?;
    Ok(WrappedKey {
        holder,
        username: username.map(str::to_owned),
        m_cost_kib: M_COST_KIB,
        t_cost: T_COST,
        p_cost: P_COST,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        wrapped: hex::encode(wrapped),
    })
}

fn unwrap(entry: &WrappedKey, secret: &str) -> Option<DbKey> {
    let salt = hex::decode(&entry.salt).ok()?;
    let nonce = hex::decode(&entry.nonce).ok()?;
    let wrapped = hex::decode(&entry.wrapped).ok()?;
    if nonce.len() != 24 {
        return None;
    }
    let kek = derive(
        secret.as_bytes(),
        &salt,
        entry.m_cost_kib,
        entry.t_cost,
        entry.p_cost,
    )
    .ok()?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let aad = associated_data(entry.holder, entry.username.as_deref());
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: &aad,
                },
            )
            .ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DbKey(Zeroizing::new(bytes)))
}

/// A fresh recovery key: 32 random bytes written as 16 groups of 4 hex digits.
pub fn new_recovery_key() -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(bytes.as_mut());
    let digits = Zeroizing::new(hex::encode_upper(bytes.as_ref()));
    let groups: Vec<&str> = (0..16).map(|i| &digits[i * 4..i * 4 + 4]).collect();
    Zeroizing::new(groups.join("-"))
}

/// The recovery key as typed: case, spaces and dashes do not matter.
fn normalize_recovery(typed: &str) -> Zeroizing<String> {
    let digits: String = typed.chars().filter(char::is_ascii_hexdigit).collect();
    let digits = digits.to_ascii_uppercase();
    let groups: Vec<String> = digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    Zeroizing::new(groups.join("-"))
}

impl Keyring {
    pub fn new(key: &DbKey, username: &str, password: &str, recovery: &str) -> Result<Keyring> {
        Ok(Keyring {
            format: FORMAT.to_owned(),
            keys: vec![
                wrap(key, password, Holder::Staff, Some(username))?,
                wrap(key, recovery, Holder::Recovery, None)?,
            ],
            failed_logins: Vec::new(),
        })
    }

    pub fn load(path: &Path) -> Result<Keyring> {
        let shown = path.display().to_string();
        let text = fs::read_to_string(path).map_err(|_| StoreError::KeyFile(shown.clone()))?;
        let ring: Keyring =
            serde_json::from_str(&text).map_err(|_| StoreError::KeyFile(shown.clone()))?;
        if ring.format != FORMAT {
            return Err(StoreError::KeyFile(shown));
        }
        Ok(ring)
    }

    /// Writes through a temporary file, synced, then renamed over the old one.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| StoreError::Io(e.to_string()))?;
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(".tmp");
        let tmp = PathBuf::from(tmp_name);
        {
            let mut file = crate::private_file::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
        }
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }

    pub fn unlock(&self, username: &str, password: &str) -> Option<DbKey> {
        self.keys
            .iter()
            .filter(|k| k.holder == Holder::Staff && k.username.as_deref() == Some(username))
            .find_map(|k| unwrap(k, password))
    }

    pub fn unlock_recovery(&self, typed: &str) -> Option<DbKey> {
        let recovery = normalize_recovery(typed);
        self.keys
            .iter()
            .filter(|k| k.holder == Holder::Recovery)
            .find_map(|k| unwrap(k, &recovery))
    }

    /// Wraps the database key for `username` with `password`, replacing any older wrapping.
    pub fn set_password(&mut self, key: &DbKey, username: &str, password: &str) -> Result<()> {
        let entry = wrap(key, password, Holder::Staff, Some(username))?;
        self.keys
            .retain(|k| !(k.holder == Holder::Staff && k.username.as_deref() == Some(username)));
        self.keys.push(entry);
        Ok(())
    }
}
