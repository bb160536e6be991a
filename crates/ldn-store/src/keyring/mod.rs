//! The files that hold the database key, beside the database: `<db>.keys` (one holder per
//! active staff account and one for the recovery key) and `<db>.recovery` (the recovery
//! holder alone, so that one damaged file cannot lock the clinic out). Neither holds a key or
//! a password in clear. See `holder` for how a holder opens.

mod holder;
mod legacy;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use holder::{spend_like_an_unwrap, Holder, HolderKind};
pub use legacy::WrappedKey;

use crate::error::{Result, StoreError};
use crate::files::{beside, write_atomically};

pub const FORMAT: &str = "ldn-intake/keyring@2";
const RECOVERY_FORMAT: &str = "ldn-intake/recovery@1";

/// The database key. Zeroed when dropped.
pub struct DbKey(Zeroizing<[u8; 32]>);

impl DbKey {
    pub fn random() -> DbKey {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        DbKey(key)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<DbKey> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(DbKey(Zeroizing::new(bytes)))
    }

    pub fn bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// A second copy for a connection of its own (the background file check); zeroed when
    /// dropped like the first.
    pub(crate) fn duplicate(&self) -> DbKey {
        DbKey(self.0.clone())
    }

    /// The SQLCipher `PRAGMA key` value for a raw key.
    pub fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0.as_ref())))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyring {
    pub format: String,
    /// The database file's salt (its first 16 bytes, in clear): tells a key file that belongs
    /// to another database, or to an older key, from a damaged database.
    pub db_salt: String,
    pub holders: Vec<Holder>,
    /// First-format wraps not yet replaced by a holder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legacy: Vec<WrappedKey>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecoveryFile {
    format: String,
    db_salt: String,
    holder: Holder,
}

pub fn keys_path(db: &Path) -> PathBuf {
    beside(db, ".keys")
}

pub fn recovery_path(db: &Path) -> PathBuf {
    beside(db, ".recovery")
}

/// The salt SQLCipher keeps in clear at the start of the database file, read from the file:
/// only where this process has no connection to it open (see `store::cipher_salt`).
pub fn db_salt(db: &Path) -> Option<String> {
    let mut salt = [0u8; 16];
    fs::File::open(db).ok()?.read_exact(&mut salt).ok()?;
    Some(hex::encode(salt))
}

fn damaged(path: &Path, why: &str) -> StoreError {
    StoreError::KeyFile(format!("{} ({why})", path.display()))
}

impl Keyring {
    pub fn new(db_salt: String, holders: Vec<Holder>) -> Keyring {
        Keyring {
            format: FORMAT.to_owned(),
            db_salt,
            holders,
            legacy: Vec::new(),
        }
    }

    pub fn parse(text: &str) -> std::result::Result<Keyring, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let ring = match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => serde_json::from_value(value).map_err(|e| e.to_string())?,
            Some(legacy::FORMAT) => {
                let old: legacy::KeyringV1 =
                    serde_json::from_value(value).map_err(|e| e.to_string())?;
                Keyring {
                    legacy: old.keys,
                    ..Keyring::new(String::new(), Vec::new())
                }
            }
            _ => return Err("not an LDN Intake key file".into()),
        };
        ring.check()?;
        Ok(ring)
    }

    /// What a key file must satisfy before any of it is used.
    fn check(&self) -> std::result::Result<(), String> {
        let costs = self
            .holders
            .iter()
            .map(|h| h.kdf)
            .chain(self.legacy.iter().map(WrappedKey::kdf));
        if costs.into_iter().any(|k| !k.within_bounds()) {
            return Err("a key derivation cost is out of bounds".into());
        }
        let mut names: Vec<&str> = self
            .holders
            .iter()
            .filter_map(|h| h.username.as_deref())
            .collect();
        let total = names.len();
        names.sort_unstable();
        names.dedup();
        if names.len() != total {
            return Err("an account holds more than one key".into());
        }
        let recovery = self
            .holders
            .iter()
            .filter(|h| h.kind == HolderKind::Recovery);
        if recovery.count() > 1 {
            return Err("more than one recovery holder".into());
        }
        Ok(())
    }

    pub fn load(db: &Path) -> Result<Keyring> {
        let path = keys_path(db);
        let text = fs::read_to_string(&path).map_err(|e| damaged(&path, &e.to_string()))?;
        Keyring::parse(&text).map_err(|why| damaged(&path, &why))
    }

    /// Writes the recovery file, then the key file, each replaced atomically.
    pub fn save(&self, db: &Path) -> Result<()> {
        if let Some(holder) = self.recovery() {
            let file = RecoveryFile {
                format: RECOVERY_FORMAT.to_owned(),
                db_salt: self.db_salt.clone(),
                holder: holder.clone(),
            };
            let text =
                serde_json::to_vec_pretty(&file).map_err(|e| StoreError::Io(e.to_string()))?;
            write_atomically(&recovery_path(db), &text)?;
        }
        let text = serde_json::to_vec_pretty(self).map_err(|e| StoreError::Io(e.to_string()))?;
        write_atomically(&keys_path(db), &text)?;
        Ok(())
    }

    /// The recovery holder from `<db>.recovery`, for when the key file is lost or damaged.
    pub fn load_recovery_file(db: &Path) -> Result<Keyring> {
        let path = recovery_path(db);
        let text = fs::read_to_string(&path).map_err(|e| damaged(&path, &e.to_string()))?;
        let file: RecoveryFile =
            serde_json::from_str(&text).map_err(|e| damaged(&path, &e.to_string()))?;
        if file.format != RECOVERY_FORMAT || file.holder.kind != HolderKind::Recovery {
            return Err(damaged(&path, "not an LDN Intake recovery file"));
        }
        let ring = Keyring::new(file.db_salt, vec![file.holder]);
        ring.check().map_err(|why| damaged(&path, &why))?;
        Ok(ring)
    }

    pub fn staff(&self, username: &str) -> Option<&Holder> {
        self.holders
            .iter()
            .find(|h| h.kind == HolderKind::Staff && h.username.as_deref() == Some(username))
    }

    pub fn recovery(&self) -> Option<&Holder> {
        self.holders.iter().find(|h| h.kind == HolderKind::Recovery)
    }

    pub fn legacy_staff(&self, username: &str) -> Option<&WrappedKey> {
        self.legacy
            .iter()
            .find(|k| k.holder == HolderKind::Staff && k.username.as_deref() == Some(username))
    }

    pub fn legacy_recovery(&self) -> Option<&WrappedKey> {
        self.legacy
            .iter()
            .find(|k| k.holder == HolderKind::Recovery)
    }

    /// Puts `holder` in place of any holder (or first-format wrap) of the same account.
    pub fn replace(&mut self, holder: Holder) {
        let same = |kind: HolderKind, name: Option<&str>| {
            kind == holder.kind && name == holder.username.as_deref()
        };
        self.holders
            .retain(|h| !same(h.kind, h.username.as_deref()));
        self.legacy
            .retain(|k| !same(k.holder, k.username.as_deref()));
        self.holders.push(holder);
    }

    /// Removes an account's holder and any first-format wrap; true if there was one.
    pub fn remove_staff(&mut self, username: &str) -> bool {
        let before = self.holders.len() + self.legacy.len();
        self.holders
            .retain(|h| h.username.as_deref() != Some(username));
        self.legacy
            .retain(|k| k.username.as_deref() != Some(username));
        before != self.holders.len() + self.legacy.len()
    }
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
pub fn normalize_recovery(typed: &str) -> Zeroizing<String> {
    let digits: String = typed.chars().filter(char::is_ascii_hexdigit).collect();
    let digits = digits.to_ascii_uppercase();
    let groups: Vec<String> = digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    Zeroizing::new(groups.join("-"))
}
