//! Who can open the database, tried as a staff member with file access would: revoked
//! passwords with old key files, parallel wrong logins, backups during saves, waiting after
//! failures, and key files that ask for too much.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ldn_store::{LoginPolicy, NewStaff, Role, Store, StoreError};
use serde_json::json;

mod common;

use common::{add_ready, intake, new_db, PASSWORD};

fn keys(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.keys", db.display()))
}

fn refused(result: Result<Store, StoreError>) -> StoreError {
    match result {
        Ok(_) => panic!("the database opened"),
        Err(e) => e,
    }
}

#[test]
fn a_disabled_accounts_password_opens_nothing_even_with_its_old_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    add_ready(&db, "sam", "sam's own secret words", Role::Staff);
    let old_keys = fs::read(keys(&db)).unwrap();

    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin.set_disabled("sam", true).unwrap();
    drop(admin);
    assert_eq!(
        refused(Store::open(&db, "sam", "sam's own secret words")),
        StoreError::WrongCredentials
    );
    let current = fs::read(keys(&db)).unwrap();

    // Sam puts back the key file from before: it unwraps only the old database key.
    fs::write(keys(&db), &old_keys).unwrap();
    let err = refused(Store::open(&db, "sam", "sam's own secret words"));
    assert!(
        matches!(
            err,
            StoreError::WrongKey {
                another_database: false,
                ..
            }
        ),
        "{err:?}"
    );
    fs::write(keys(&db), &current).unwrap();
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    assert!(admin.verify().unwrap().problems.is_empty());
    let rows = admin.audit_trail().unwrap();
    assert!(rows
        .iter()
        .any(|r| r.action == "key_changed" && r.subject == "disabled sam"));
}

#[test]
fn a_reset_password_opens_nothing_even_with_the_old_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    add_ready(&db, "cleo", "cleo's chosen words", Role::Clinician);
    let old_keys = fs::read(keys(&db)).unwrap();
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin.reset_password("cleo", "temporary words 42").unwrap();
    drop(admin);
    assert_eq!(
        refused(Store::open(&db, "cleo", "cleo's chosen words")),
        StoreError::WrongCredentials
    );
    fs::write(keys(&db), &old_keys).unwrap();
    assert!(matches!(
        refused(Store::open(&db, "cleo", "cleo's chosen words")),
        StoreError::WrongKey { .. }
    ));
    // The old key file's recovery holder is no better; the recovery file beside the
    // database still opens it.
    let fresh = fs::read(format!("{}.recovery", db.display())).unwrap();
    assert!(!fresh.is_empty());
    fs::remove_file(keys(&db)).unwrap();
    let store = Store::open_with_recovery(&db, &recovery).unwrap();
    assert!(store.verify().unwrap().problems.is_empty());
}

#[test]
fn one_damaged_key_file_does_not_lock_the_clinic_out() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    fs::write(keys(&db), b"{ not json").unwrap();
    assert!(matches!(
        refused(Store::open(&db, "admin", PASSWORD)),
        StoreError::KeyFile(_)
    ));
    Store::open_with_recovery(&db, &recovery).unwrap();
}

/// The child side of the parallel-login test: wrong passwords as fast as they go.
fn hammer(db: &Path, who: usize) {
    for n in 0..200 {
        let user = ["admin", "cleo", "nobody", "sam"][(who + n) % 4];
        let result =
            Store::open_with_policy(db, user, "wrong password!", &LoginPolicy::never_wait());
        assert_eq!(result.err(), Some(StoreError::WrongCredentials));
    }
}

#[test]
fn parallel_wrong_logins_leave_every_key_working_and_are_all_audited() {
    if let Ok(db) = std::env::var("LDN_TEST_HAMMER_DB") {
        let who = std::env::var("LDN_TEST_HAMMER_WHO")
            .unwrap()
            .parse()
            .unwrap();
        return hammer(Path::new(&db), who);
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    add_ready(&db, "cleo", "cleo's chosen words", Role::Clinician);
    let me = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..4)
        .map(|who| {
            Command::new(&me)
                .args([
                    "--exact",
                    "parallel_wrong_logins_leave_every_key_working_and_are_all_audited",
                    "--nocapture",
                ])
                .env("LDN_TEST_HAMMER_DB", &db)
                .env("LDN_TEST_HAMMER_WHO", who.to_string())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(
            child.wait().unwrap().success(),
            "a hammering process failed"
        );
    }
    Store::open_with_policy(
        &db,
        "cleo",
        "cleo's chosen words",
        &LoginPolicy::never_wait(),
    )
    .unwrap();
    drop(Store::open_with_recovery(&db, &recovery).unwrap());
    let admin =
        Store::open_with_policy(&db, "admin", PASSWORD, &LoginPolicy::never_wait()).unwrap();
    let failed = admin
        .audit_trail()
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "failed_login")
        .count();
    assert_eq!(
        failed, 800,
        "every failed login reaches the audit trail once"
    );
    assert!(admin.verify().unwrap().problems.is_empty());
}

#[test]
fn backups_taken_during_saves_all_restore_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = ldn_data::engine().unwrap();
    let saver = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
            for k in 0..120 {
                let i = intake(&engine, &format!("Busy{k}"));
                store
                    .save_intake(&i, Some(&engine.screen(&i)), None)
                    .unwrap();
            }
        })
    };
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let backups: Vec<PathBuf> = (0..20)
        .map(|n| {
            let out = dir.path().join(format!("backup-{n}.ldnbak"));
            store.backup(&out).unwrap();
            std::thread::sleep(Duration::from_millis(20));
            out
        })
        .collect();
    saver.join().unwrap();
    for (n, backup) in backups.iter().enumerate() {
        let target = dir.path().join(format!("restored-{n}.db"));
        let header = ldn_store::restore(backup, &target).unwrap();
        let restored = Store::open(&target, "admin", PASSWORD).unwrap();
        assert_eq!(
            restored.verify_restore(header.as_ref()).unwrap(),
            Vec::<String>::new(),
            "backup {n}"
        );
    }
}

#[test]
fn wrong_passwords_make_the_next_login_wait() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    for _ in 0..3 {
        assert_eq!(
            refused(Store::open(&db, "admin", "not the password")),
            StoreError::WrongCredentials
        );
    }
    // Even the right password waits now, and a guess during the wait is not even tried.
    assert!(matches!(
        refused(Store::open(&db, "admin", PASSWORD)),
        StoreError::TooManyAttempts { seconds: 1 }
    ));
    std::thread::sleep(Duration::from_millis(1100));
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let failed = admin
        .audit_trail()
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "failed_login" && r.subject == "admin")
        .count();
    assert_eq!(failed, 3);
    drop(admin);
    // A successful login clears the account's count.
    assert_eq!(
        refused(Store::open(&db, "admin", "not the password")),
        StoreError::WrongCredentials
    );
    Store::open(&db, "admin", PASSWORD).unwrap();
}

#[test]
fn a_key_file_asking_for_absurd_costs_or_two_keys_for_one_account_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let original = fs::read_to_string(keys(&db)).unwrap();
    let mut ring: serde_json::Value = serde_json::from_str(&original).unwrap();
    ring["holders"][0]["kdf"]["m_cost_kib"] = json!(100u64 * 1024 * 1024);
    fs::write(keys(&db), ring.to_string()).unwrap();
    let started = std::time::Instant::now();
    assert!(matches!(
        refused(Store::open(&db, "admin", PASSWORD)),
        StoreError::KeyFile(_)
    ));
    assert!(started.elapsed() < Duration::from_secs(5));

    let mut ring: serde_json::Value = serde_json::from_str(&original).unwrap();
    let extra = ring["holders"][0].clone();
    ring["holders"].as_array_mut().unwrap().push(extra);
    fs::write(keys(&db), ring.to_string()).unwrap();
    assert!(matches!(
        refused(Store::open(&db, "admin", PASSWORD)),
        StoreError::KeyFile(_)
    ));
    fs::write(keys(&db), original).unwrap();
    Store::open(&db, "admin", PASSWORD).unwrap();
}

#[test]
fn weak_passwords_and_names_with_direction_controls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    for weak in ["password123", "0123456789ab", "aaaaaaaaaaaa"] {
        let err = admin.reset_password("admin", weak).unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "password"),
            "{weak}: {err:?}"
        );
    }
    let err = admin
        .add_staff(&NewStaff {
            username: "eve",
            display_name: "Eve \u{202E}nimda",
            password: "long enough words here",
            role: Role::Staff,
        })
        .unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "display_name"));
    let engine = ldn_data::engine().unwrap();
    let mut i = intake(&engine, "Plain");
    i.patient.family_name = "Ro\u{2067}ss".into();
    let err = admin.save_intake(&i, None, None).unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "patient.family_name"));
}

#[test]
fn a_first_format_key_file_is_upgraded_by_logging_in() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.path().join("old.db");
    fs::copy(fixtures.join("schema-v1.db"), &db).unwrap();
    fs::copy(fixtures.join("schema-v1.db.keys"), keys(&db)).unwrap();
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let ring: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(keys(&db)).unwrap()).unwrap();
    assert_eq!(ring["format"], "ldn-intake/keyring@2");
    assert_eq!(ring["holders"][0]["username"], "admin");
    assert_eq!(ring["holders"][0]["kdf"]["m_cost_kib"], 65536);
    // The old recovery wrap cannot be carried over without the recovery key, so access
    // cannot change until it has been used once.
    assert!(matches!(
        admin.reset_password("admin", "a brand new set of words"),
        Err(StoreError::NotAllowed(_))
    ));
}

#[test]
fn a_session_whose_key_was_changed_elsewhere_cannot_change_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    add_ready(&db, "sam", "sam's own secret words", Role::Staff);
    add_ready(&db, "cleo", "cleo's chosen words", Role::Clinician);
    // The app has the database open while the command line disables sam.
    let mut app = Store::open(&db, "admin", PASSWORD).unwrap();
    let mut cli = Store::open(&db, "admin", PASSWORD).unwrap();
    cli.set_disabled("sam", true).unwrap();
    drop(cli);
    // The app's key is stale: sealing it to everyone would leave the real key to nobody.
    // (A password change reads nothing from the database before it changes the key.)
    assert_eq!(
        app.change_password(PASSWORD, "another admin phrase here"),
        Err(StoreError::KeyChanged)
    );
    drop(app);
    Store::open(&db, "cleo", "cleo's chosen words").unwrap();
    Store::open(&db, "admin", PASSWORD).unwrap();
    Store::open_with_recovery(&db, &recovery).unwrap();
}

#[test]
fn a_disabled_accounts_holder_put_back_gets_no_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    add_ready(&db, "sam", "sam's own secret words", Role::Staff);
    add_ready(&db, "cleo", "cleo's chosen words", Role::Clinician);
    let before: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(keys(&db)).unwrap()).unwrap();
    let sams = before["holders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["username"] == "sam")
        .unwrap()
        .clone();
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin.set_disabled("sam", true).unwrap();
    drop(admin);
    // Sam writes his old holder back into the current key file...
    let mut now: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(keys(&db)).unwrap()).unwrap();
    now["holders"].as_array_mut().unwrap().push(sams);
    fs::write(keys(&db), now.to_string()).unwrap();
    // ...and waits for the next change of key, which must not be sealed to him.
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin.reset_password("cleo", "temporary words 42").unwrap();
    drop(admin);
    // The store would refuse him as disabled; what matters is that no key is sealed to him,
    // since with one he could open the file with any SQLCipher tool.
    let after: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(keys(&db)).unwrap()).unwrap();
    assert!(
        after["holders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["username"] != "sam"),
        "a disabled account holds the new key"
    );
}

#[test]
fn parallel_guesses_cannot_get_past_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let guesses: Vec<_> = (0..8)
        .map(|n| {
            let db = db.clone();
            std::thread::spawn(move || {
                Store::open(&db, "admin", &format!("guess number {n}")).err()
            })
        })
        .collect();
    let results: Vec<_> = guesses.into_iter().map(|g| g.join().unwrap()).collect();
    let tried = results
        .iter()
        .filter(|r| **r == Some(StoreError::WrongCredentials))
        .count();
    assert_eq!(
        tried, 3,
        "only three guesses are checked before the wait: {results:?}"
    );
    assert!(results.iter().all(|r| matches!(
        r,
        Some(StoreError::WrongCredentials | StoreError::TooManyAttempts { .. })
    )));
}

#[test]
fn an_old_key_file_does_not_keep_out_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    add_ready(&db, "sam", "sam's own secret words", Role::Staff);
    let old_keys = fs::read(keys(&db)).unwrap();
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin.set_disabled("sam", true).unwrap();
    drop(admin);
    fs::write(keys(&db), &old_keys).unwrap();
    let store = Store::open_with_recovery(&db, &recovery).unwrap();
    assert!(store.verify().unwrap().problems.is_empty());
}

#[test]
fn an_unreadable_failed_login_file_refuses_logins_instead_of_forgetting() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    fs::create_dir(format!("{}.attempts", db.display())).unwrap();
    assert!(matches!(
        refused(Store::open(&db, "admin", PASSWORD)),
        StoreError::Io(_)
    ));
}
