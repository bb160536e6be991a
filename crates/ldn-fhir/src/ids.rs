//! Full URLs in a Bundle: UUIDs derived from what is exported, so exporting the same intake
//! twice gives the same file, byte for byte (a record system still gives each POST its own id).

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Fixed once for LDN Intake; changing it would change every exported id.
const NAMESPACE: Uuid = Uuid::from_u128(0x6f1d_2c47_9a3e_4b8c_a1d5_3e7f_0b9c_4d21);

pub(crate) struct Ids {
    seed: String,
}

impl Ids {
    pub(crate) fn new(parts: &[&str]) -> Ids {
        let mut hash = Sha256::new();
        for part in parts {
            // Each part's length first, so ("ab", "c") and ("a", "bc") differ.
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        Ids {
            seed: hex::encode(hash.finalize()),
        }
    }

    /// The `urn:uuid:` full URL of the resource called `name` in this export.
    pub(crate) fn full_url(&self, name: &str) -> String {
        let id = Uuid::new_v5(&NAMESPACE, format!("{}/{name}", self.seed).as_bytes());
        format!("urn:uuid:{id}")
    }
}
