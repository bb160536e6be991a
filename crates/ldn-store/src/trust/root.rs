//! The clinic's root signing key, derived from the recovery key, and the fingerprint of its
//! public half that people compare on paper.

use ed25519_dalek::{SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const ROOT_INFO: &[u8] = b"ldn-intake/root-signing-key@1";

/// The root signing key made by a recovery key (as normalised by the keyring), or none if the
/// text is not a recovery key. The recovery key holds 256 random bits, so a plain HKDF is
/// enough: there is no password to stretch.
pub(crate) fn root_key(recovery: &str) -> Option<SigningKey> {
    let digits: String = recovery.chars().filter(char::is_ascii_hexdigit).collect();
    let bytes = Zeroizing::new(hex::decode(digits).ok()?);
    if bytes.len() != 32 {
        return None;
    }
    let mut seed = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(None, &bytes)
        .expand(ROOT_INFO, seed.as_mut())
        .ok()?;
    Some(SigningKey::from_bytes(&seed))
}

/// The root-key fingerprint a recovery key makes, or none if the text is not a recovery key:
/// what the recovery sheet prints beside the key.
pub fn recovery_fingerprint(recovery: &str) -> Option<String> {
    root_key(recovery).map(|key| fingerprint(&key.verifying_key()))
}

/// 80 bits of the public key's SHA-256 as five groups of four: short enough to read aloud and
/// compare by eye, far too long for anyone to make another key that matches.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let digits = hex::encode_upper(&digest[..10]);
    (0..5)
        .map(|i| &digits[i * 4..i * 4 + 4])
        .collect::<Vec<_>>()
        .join("-")
}

/// A fingerprint as typed: case, spaces and dashes do not matter.
pub fn normalize_fingerprint(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase()
}
