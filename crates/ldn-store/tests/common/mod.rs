//! What the store's test files share: a database with its first administrator, an account
//! ready to use, and a screened intake from the shared cases.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use ldn_engine::{Engine, Intake};
use ldn_store::{NewStaff, Role, Store};
use serde_json::json;

pub const PASSWORD: &str = "correct horse battery";

/// A new database at `dir/ldn.db` with the administrator "admin"; and its recovery key.
pub fn new_db(dir: &Path) -> (PathBuf, String) {
    let db = dir.join("ldn.db");
    let (_, recovery) = Store::create(
        &db,
        &NewStaff {
            username: "admin",
            display_name: "Ada Admin",
            password: PASSWORD,
            role: Role::Admin,
        },
    )
    .unwrap();
    (db, recovery.to_string())
}

/// Adds an account the way a clinic does: an administrator sets a first password, and the
/// person chooses their own (`password`) at their first login.
pub fn add_ready(db: &Path, username: &str, password: &str, role: Role) {
    let first = format!("{password} set by admin");
    let mut admin = Store::open(db, "admin", PASSWORD).unwrap();
    admin
        .add_staff(&NewStaff {
            username,
            display_name: &format!("Dr {}{}", username[..1].to_uppercase(), &username[1..]),
            password: &first,
            role,
        })
        .unwrap();
    drop(admin);
    let mut person = Store::open(db, username, &first).unwrap();
    assert!(person.must_change_password());
    person.change_password(&first, password).unwrap();
}

/// Case 02 (Vicodin yesterday) with another family name.
pub fn intake(engine: &Engine, family: &str) -> Intake {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/cases/02-vicodin-yesterday.answers.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    v["patient"]["family_name"] = json!(family);
    engine.validate_answers(&v).unwrap()
}
