//! The store on real database files: encryption, logins, versions, audit chain, damage.

use std::fs;
use std::path::{Path, PathBuf};

use ldn_engine::{ChosenPlan, Engine, PlanName};
use ldn_store::{NewStaff, Role, Store, StoreError, VersionStatus};

const CANARY: &str = "Qzxcanaryvkw";
mod common;

use common::{add_ready, intake, PASSWORD};

fn engine() -> Engine {
    ldn_data::engine().unwrap()
}

fn admin() -> NewStaff<'static> {
    NewStaff {
        username: "admin",
        display_name: "Ada Admin",
        password: PASSWORD,
        role: Role::Admin,
    }
}

fn new_db(dir: &Path) -> (PathBuf, String) {
    let db = dir.join("ldn.db");
    let (_, recovery) = Store::create(&db, &admin()).unwrap();
    (db, recovery.to_string())
}

/// A new database holding `n` screened intakes, closed again.
fn db_with_patients(dir: &Path, engine: &Engine, n: usize) -> PathBuf {
    let (db, _) = new_db(dir);
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    for k in 0..n {
        let i = intake(engine, &format!("Patient{k}"));
        store
            .save_intake(&i, Some(&engine.screen(&i)), None)
            .unwrap();
    }
    db
}

/// [`add_ready`], returning the administrator's store opened again: the database key
/// changed with the password.
fn add_ready_staff(admin: Store, db: &Path, username: &str, password: &str, role: Role) -> Store {
    drop(admin);
    add_ready(db, username, password, role);
    Store::open(db, "admin", PASSWORD).unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn saves_are_versions_and_the_database_is_unreadable_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let intake = intake(&engine, CANARY);
    let summary = engine.screen(&intake);
    let draft = store.save_intake(&intake, None, None).unwrap();
    assert_eq!((draft.version, draft.status), (1, VersionStatus::Draft));
    let done = store
        .save_intake(&intake, Some(&summary), Some(draft.intake_id))
        .unwrap();
    // The draft row became the completed version.
    assert_eq!((done.version, done.status), (1, VersionStatus::Completed));
    let amended = store
        .save_intake(&intake, Some(&summary), Some(draft.intake_id))
        .unwrap();
    assert_eq!(
        (amended.version, amended.status),
        (2, VersionStatus::Amended)
    );

    // While the store is open the WAL holds the latest pages: check every file now.
    for entry in fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        assert!(
            !contains(&bytes, CANARY),
            "{} holds the patient's name in clear",
            path.display()
        );
        assert!(
            !contains(&bytes, "SQLite format 3"),
            "{} is a plain SQLite file",
            path.display()
        );
    }
    let detail = store.show_intake(draft.intake_id).unwrap();
    assert_eq!(detail.versions.len(), 2);
    assert!(detail.patient.contains(CANARY));
    assert_eq!(
        detail.versions[1].summary.as_ref().unwrap().verdict,
        ldn_engine::Verdict::Contraindicated
    );
    // Completed versions are never overwritten or deleted.
    let conn = store.raw_connection();
    assert!(conn
        .execute(
            "UPDATE intake_versions SET status = 'draft' WHERE version = 2",
            []
        )
        .is_err());
    assert!(conn.execute("DELETE FROM intake_versions", []).is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
    drop(store);
    for entry in fs::read_dir(dir.path()).unwrap() {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        assert!(!contains(&bytes, CANARY));
        assert!(!contains(&bytes, PASSWORD));
    }
}

#[test]
fn an_intake_keeps_the_date_it_was_first_saved_on() {
    // Screening-contract.md §4: the intake date is set when the intake is first saved and
    // cannot change between versions; moving it forward would end washouts early.
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let first = intake(&engine, "Datekeeper");
    let saved = store.save_intake(&first, None, None).unwrap();
    assert_eq!(
        store.intake_date(saved.intake_id).unwrap(),
        first.intake_date
    );
    let mut moved = first.clone();
    moved.intake_date = first.intake_date + chrono::Days::new(30);
    let err = store
        .save_intake(&moved, Some(&engine.screen(&moved)), Some(saved.intake_id))
        .unwrap_err();
    match &err {
        StoreError::Invalid { field, message } => {
            assert_eq!(field, "intake_date");
            assert!(
                message.contains(&first.intake_date.to_string()),
                "{message}"
            );
        }
        other => panic!("expected a refused intake_date, got {other:?}"),
    }
    // Nothing was saved: still one version, with the first date.
    let detail = store.show_intake(saved.intake_id).unwrap();
    assert_eq!(detail.versions.len(), 1);
    assert_eq!(detail.versions[0].answers.intake_date, first.intake_date);
    // The same date saves.
    store
        .save_intake(&first, Some(&engine.screen(&first)), Some(saved.intake_id))
        .unwrap();
}

#[test]
fn a_wrong_password_fails_cleanly_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    assert_eq!(
        Store::open(&db, "admin", "not the password").err(),
        Some(StoreError::WrongCredentials)
    );
    assert_eq!(
        Store::open(&db, "nobody", PASSWORD).err(),
        Some(StoreError::WrongCredentials)
    );
    let store = Store::open(&db, "admin", PASSWORD).unwrap();
    let trail = store.audit_trail().unwrap();
    let failed: Vec<_> = trail
        .iter()
        .filter(|r| r.action == "failed_login")
        .map(|r| r.subject.as_str())
        .collect();
    assert_eq!(failed, ["admin", "nobody"]);
    assert!(trail.iter().any(|r| r.action == "login"));
    assert!(store.verify().unwrap().problems.is_empty());
}

#[test]
fn staff_accounts_recovery_key_and_password_change() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    store
        .add_staff(&NewStaff {
            username: "cleo",
            display_name: "Dr Cleo",
            password: "clinician pass 1",
            role: Role::Clinician,
        })
        .unwrap();
    let err = store.add_staff(&NewStaff {
        username: "cleo",
        display_name: "Again",
        password: "clinician pass 1",
        role: Role::Staff,
    });
    assert!(matches!(err, Err(StoreError::Invalid { ref field, .. }) if field == "username"));
    let err = store.add_staff(&NewStaff {
        username: "short",
        display_name: "S",
        password: "short",
        role: Role::Staff,
    });
    assert!(matches!(err, Err(StoreError::Invalid { ref field, .. }) if field == "password"));
    drop(store);

    // A new account must choose its own password before anything else.
    let mut cleo = Store::open(&db, "cleo", "clinician pass 1").unwrap();
    assert!(cleo.must_change_password());
    assert_eq!(
        cleo.search_patients("x").err(),
        Some(StoreError::MustChangePassword)
    );
    cleo.change_password("clinician pass 1", "a brand new pass")
        .unwrap();
    let err = cleo.add_staff(&NewStaff {
        username: "x",
        display_name: "X",
        password: "0123456789",
        role: Role::Staff,
    });
    assert!(matches!(err, Err(StoreError::NotAllowed(_))));
    drop(cleo);
    assert_eq!(
        Store::open(&db, "cleo", "clinician pass 1").err(),
        Some(StoreError::WrongCredentials)
    );
    Store::open(&db, "cleo", "a brand new pass").unwrap();

    // The recovery key, typed in lower case without dashes, still opens the database.
    let typed: String = recovery
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_lowercase();
    let store = Store::open_with_recovery(&db, &typed).unwrap();
    assert!(store
        .audit_trail()
        .unwrap()
        .iter()
        .any(|r| r.action == "recovery_login"));
    assert_eq!(
        Store::open_with_recovery(&db, "0000-1111").err(),
        Some(StoreError::WrongCredentials)
    );
    let keys = fs::read(dir.path().join("ldn.db.keys")).unwrap();
    assert!(!contains(&keys, &recovery) && !contains(&keys, PASSWORD));
}

#[test]
fn an_edited_audit_row_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let i = intake(&engine, "Audit");
    store
        .save_intake(&i, Some(&engine.screen(&i)), None)
        .unwrap();
    assert!(store.verify().unwrap().problems.is_empty());
    let conn = store.raw_connection();
    conn.execute_batch("DROP TRIGGER audit_is_append_only_update; UPDATE audit SET detail = 'nothing happened' WHERE action = 'save';")
        .unwrap();
    let problems = store.verify().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("was changed")),
        "{problems:?}"
    );

    conn.execute_batch("DROP TRIGGER audit_is_append_only_delete; DELETE FROM audit WHERE id = 2;")
        .unwrap();
    let problems = store.verify().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("missing")),
        "{problems:?}"
    );
}

#[test]
fn flipped_bytes_and_truncation_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine();
    let db = db_with_patients(dir.path(), &engine, 30);
    let original = fs::read(&db).unwrap();
    assert!(original.len() > 8192);

    let mut flipped = original.clone();
    let at = original.len() / 2;
    for b in &mut flipped[at..at + 16] {
        *b ^= 0xA5;
    }
    fs::write(&db, &flipped).unwrap();
    match Store::open(&db, "admin", PASSWORD) {
        Err(StoreError::Damaged(_)) => {}
        Ok(store) => assert!(
            !store.verify().unwrap().problems.is_empty(),
            "flipped bytes went unnoticed"
        ),
        Err(other) => panic!("unexpected {other:?}"),
    }

    fs::write(&db, &original[..original.len() - 4096 - 100]).unwrap();
    assert!(matches!(
        Store::open(&db, "admin", PASSWORD),
        Err(StoreError::Damaged(_))
    ));

    fs::write(&db, &original).unwrap();
    Store::open(&db, "admin", PASSWORD).unwrap();
}

#[test]
fn a_newer_database_is_refused_and_existing_files_are_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    {
        let store = Store::open(&db, "admin", PASSWORD).unwrap();
        assert_eq!(store.schema_version().unwrap(), 11);
        store
            .raw_connection()
            .pragma_update(None, "user_version", 99)
            .unwrap();
    }
    assert_eq!(
        Store::open(&db, "admin", PASSWORD).err(),
        Some(StoreError::TooNew {
            found: 99,
            known: 11
        })
    );
    assert!(matches!(
        Store::create(&db, &admin()),
        Err(StoreError::AlreadyExists(_))
    ));
    fs::remove_file(dir.path().join("ldn.db.keys")).unwrap();
    assert!(matches!(
        Store::open(&db, "admin", PASSWORD),
        Err(StoreError::KeyFile(_))
    ));
    assert!(matches!(
        Store::open(&dir.path().join("none.db"), "admin", PASSWORD),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn a_database_from_the_first_schema_version_migrates() {
    // tests/fixtures/schema-v1.db was written by the first release of the store (schema 1,
    // two versions of one intake). Opening a copy brings it to the latest schema with every
    // row and the audit chain intact.
    let dir = tempfile::tempdir().unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.path().join("old.db");
    fs::copy(fixtures.join("schema-v1.db"), &db).unwrap();
    fs::copy(
        fixtures.join("schema-v1.db.keys"),
        dir.path().join("old.db.keys"),
    )
    .unwrap();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    assert_eq!(store.schema_version().unwrap(), 11);
    // Signatures wait for an administrator with the recovery key; logins do not.
    assert!(store.needs_root().unwrap());
    let detail = store.show_intake(1).unwrap();
    assert_eq!(detail.versions.len(), 2);
    // Schema 8 indexes every part of the names already there: the family name alone, and
    // the given name alone, find the patient.
    let (given, family) = detail.patient.split_once(' ').unwrap();
    for part in [given, family] {
        let found = store.search_patients(&part.to_lowercase()).unwrap();
        assert_eq!(found.len(), 1, "{part}");
    }
    // Schema 3 records each intake's date, taken from its first version.
    assert_eq!(
        store.intake_date(1).unwrap(),
        detail.versions[0].answers.intake_date
    );
    assert_eq!(
        detail.versions[0]
            .summary
            .as_ref()
            .unwrap()
            .earliest_start
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-03-11")
    );
    assert!(store.verify().unwrap().problems.is_empty());
    let columns: Vec<String> = store
        .raw_connection()
        .prepare("SELECT name FROM pragma_table_info('documents')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(columns.contains(&"paper".to_owned()) && columns.contains(&"settings".to_owned()));
    drop(store);
}

#[test]
fn reopening_a_current_database_changes_no_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let store = Store::open(&db, "admin", PASSWORD).unwrap();
    assert_eq!(store.schema_version().unwrap(), 11);
    let tables: i64 = store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(store);
    let store = Store::open(&db, "admin", PASSWORD).unwrap();
    let again: i64 = store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, again);
}

#[test]
fn patients_are_found_by_name_prefix_birth_date_or_mrn() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    for family in ["Núñez", "Nunes", "Smith", "Ñúñez-García"] {
        store
            .save_intake(&intake(&engine, family), None, None)
            .unwrap();
    }
    store
        .raw_connection()
        .execute(
            "UPDATE patients SET mrn = 'MRN-77' WHERE family_name = 'Smith'",
            [],
        )
        .unwrap();
    let names = |q: &str| -> Vec<String> {
        store
            .search_patients(q)
            .unwrap()
            .into_iter()
            .map(|p| p.family_name)
            .collect()
    };
    assert_eq!(names("nu"), ["Nunes", "Núñez", "Ñúñez-García"]);
    assert_eq!(names("NÚÑEZ"), ["Núñez", "Ñúñez-García"]);
    assert_eq!(names("nunez"), ["Núñez", "Ñúñez-García"]);
    // Any part of a name, in any order, accents or not.
    assert_eq!(names("Garcia"), ["Ñúñez-García"]);
    assert_eq!(names("garc ana"), ["Ñúñez-García"]);
    assert_eq!(names("ana garcía"), ["Ñúñez-García"]);
    assert_eq!(names("ana sm"), ["Smith"]);
    assert_eq!(names("MRN-77"), ["Smith"]);
    assert_eq!(names("1980-01-20").len(), 4);
    assert!(names("zz").is_empty() && names("  ").is_empty());
}

#[test]
fn contact_details_are_kept_checked_and_searchable_by_mrn() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let first = store
        .save_intake(&intake(&engine, "First"), None, None)
        .unwrap()
        .patient_id;
    let second = store
        .save_intake(&intake(&engine, "Second"), None, None)
        .unwrap()
        .patient_id;
    let row = store
        .set_patient_contact(first, Some(" A-1001 "), Some("(555) 555-0100"))
        .unwrap();
    assert_eq!(
        (row.mrn.as_deref(), row.phone.as_deref()),
        (Some("A-1001"), Some("(555) 555-0100"))
    );
    let found = store.search_patients("A-1001").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, first);
    // Refused values name their field and change nothing.
    for (mrn, phone, field) in [
        (Some("A-1001"), None, "mrn"),
        (Some("<script>"), None, "mrn"),
        (None, Some("call me maybe"), "phone"),
    ] {
        match store.set_patient_contact(second, mrn, phone) {
            Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{mrn:?} {phone:?}: {other:?}"),
        }
    }
    let untouched = store.patient(second).unwrap();
    assert_eq!((untouched.mrn, untouched.phone), (None, None));
    // Empty clears.
    let cleared = store.set_patient_contact(first, Some(""), None).unwrap();
    assert_eq!((cleared.mrn, cleared.phone), (None, None));
}

#[test]
fn a_backup_restores_into_a_fresh_install_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery) = new_db(dir.path());
    let engine = engine();
    let backup = dir.path().join("ldn.backup");
    {
        let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
        for n in 0..5 {
            let i = intake(&engine, &format!("{CANARY}{n}"));
            store
                .save_intake(&i, Some(&engine.screen(&i)), None)
                .unwrap();
        }
        let counts = store.backup(&backup).unwrap();
        assert_eq!((counts.patients, counts.intake_versions), (5, 5));
        assert!(matches!(
            store.backup(&backup),
            Err(StoreError::AlreadyExists(_))
        ));
    }
    let bytes = fs::read(&backup).unwrap();
    assert!(
        !contains(&bytes, CANARY),
        "the backup holds a patient's name in clear"
    );

    let fresh = tempfile::tempdir().unwrap();
    let restored = fresh.path().join("restored.db");
    let header = ldn_store::restore(&backup, &restored).unwrap();
    assert!(matches!(
        ldn_store::restore(&backup, &restored),
        Err(StoreError::AlreadyExists(_))
    ));
    let mut store = Store::open(&restored, "admin", PASSWORD).unwrap();
    assert_eq!(
        store.verify_restore(header.as_ref()).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(store.list_intakes().unwrap().len(), 5);
    drop(store);
    Store::open_with_recovery(&restored, &recovery).unwrap();

    // A damaged backup is refused before anything is written.
    let mut broken = bytes.clone();
    let last = broken.len() - 10;
    broken[last] ^= 0xFF;
    let bad = dir.path().join("bad.backup");
    fs::write(&bad, &broken).unwrap();
    let target = fresh.path().join("other.db");
    assert!(matches!(
        ldn_store::restore(&bad, &target),
        Err(StoreError::Damaged(_))
    ));
    assert!(!target.exists());
}

#[test]
fn sign_off_documents_and_settings() {
    use ldn_store::{Decision, DocumentKind, DocumentRecord, PrintedPlan, Settings};
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let mut admin = add_ready_staff(admin, &db, "cleo", "clinician pass 1", Role::Clinician);
    let i = intake(&engine, "Signoff");
    let draft = admin.save_intake(&i, None, None).unwrap();
    let done = admin
        .save_intake(&i, Some(&engine.screen(&i)), Some(draft.intake_id))
        .unwrap();
    assert!(matches!(
        admin.sign_off(done.version_id, Decision::Start, "", None),
        Err(StoreError::NotAllowed(_))
    ));

    let mut bad = Settings::default();
    assert!(
        matches!(admin.save_settings(&bad), Err(StoreError::Invalid { ref field, .. }) if field == "clinic_name")
    );
    bad.clinic_name = "Riverside".into();
    bad.clinic_phone = "555".into();
    bad.auto_lock_minutes = 0;
    assert!(
        matches!(admin.save_settings(&bad), Err(StoreError::Invalid { ref field, .. }) if field == "auto_lock_minutes")
    );
    let good = Settings {
        paper: ldn_store::Paper::A4,
        auto_lock_minutes: 5,
        ..bad
    };
    admin.save_settings(&good).unwrap();
    let still_open = admin
        .save_intake(&intake(&engine, "Stillopen"), None, None)
        .unwrap();
    drop(admin);

    let mut cleo = Store::open(&db, "cleo", "clinician pass 1").unwrap();
    assert_eq!(cleo.settings().unwrap(), good);
    assert!(matches!(
        cleo.save_settings(&good),
        Err(StoreError::NotAllowed(_))
    ));
    assert!(matches!(
        cleo.sign_off(still_open.version_id, Decision::Start, "", None),
        Err(StoreError::NotAllowed(_))
    ));
    // Starting needs a dose plan; not starting takes none.
    let low = ChosenPlan {
        plan: PlanName::LowStart,
        protocol: good.low_start_titration.clone(),
        chosen_by: None,
    };
    assert!(matches!(
        cleo.sign_off(done.version_id, Decision::Start, "", None),
        Err(StoreError::Invalid { ref field, .. }) if field == "plan"
    ));
    assert!(matches!(
        cleo.sign_off(done.version_id, Decision::Refer, "", Some(&low)),
        Err(StoreError::Invalid { ref field, .. }) if field == "plan"
    ));
    cleo.sign_off(
        done.version_id,
        Decision::StartWithCaution,
        "kidneys: go slowly",
        Some(&low),
    )
    .unwrap();
    let chosen = cleo
        .latest_signoff(done.version_id)
        .unwrap()
        .unwrap()
        .plan
        .unwrap();
    assert_eq!(chosen.plan, PlanName::LowStart);
    assert_eq!(chosen.chosen_by.as_deref(), Some("Dr Cleo"));
    assert_eq!(chosen.protocol.steps[0].dose_mg, 0.5);
    cleo.sign_off(
        done.version_id,
        Decision::DoNotStart,
        "washout running",
        None,
    )
    .unwrap();
    assert!(cleo
        .latest_signoff(done.version_id)
        .unwrap()
        .unwrap()
        .plan
        .is_none());
    let record = DocumentRecord {
        kind: DocumentKind::Handout,
        language: ldn_engine::Language::Es,
        paper: ldn_store::Paper::A4,
        settings: good.clone(),
        plan: PrintedPlan::Chosen { chosen },
        signoff_id: None,
    };
    let digest = cleo
        .record_document(done.version_id, &record, b"%PDF-1.7 test")
        .unwrap();
    assert_eq!(digest.len(), 64);
    assert!(matches!(
        cleo.record_document(999, &record, b"x"),
        Err(StoreError::Missing { .. })
    ));
    assert!(cleo.verify().unwrap().problems.is_empty());
    drop(cleo);
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let actions: Vec<String> = admin
        .audit_trail()
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for wanted in ["sign_off", "print", "settings", "save", "login"] {
        assert!(
            actions.iter().any(|a| a == wanted),
            "{wanted} not audited: {actions:?}"
        );
    }
}

#[test]
fn administrators_disable_accounts_and_reset_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin
        .add_staff(&NewStaff {
            username: "sam",
            display_name: "Sam",
            password: "staff password",
            role: Role::Staff,
        })
        .unwrap();
    admin.set_disabled("sam", true).unwrap();
    assert!(matches!(
        admin.set_disabled("admin", true),
        Err(StoreError::NotAllowed(_))
    ));
    assert!(matches!(
        admin.set_disabled("nobody", true),
        Err(StoreError::Invalid { .. })
    ));
    // A disabled account holds no key any more: its password opens nothing.
    assert_eq!(
        Store::open(&db, "sam", "staff password").err(),
        Some(StoreError::WrongCredentials)
    );
    // Re-enabled, it needs a new password from an administrator.
    admin.set_disabled("sam", false).unwrap();
    let row = admin
        .staff()
        .unwrap()
        .into_iter()
        .find(|r| r.username == "sam")
        .unwrap();
    assert!(!row.disabled && row.needs_reset);
    admin.reset_password("sam", "a new staff password").unwrap();
    assert_eq!(
        Store::open(&db, "sam", "staff password").err(),
        Some(StoreError::WrongCredentials)
    );
    drop(admin);
    let mut sam = Store::open(&db, "sam", "a new staff password").unwrap();
    sam.change_password("a new staff password", "sam's own secret words")
        .unwrap();
    assert!(matches!(
        sam.reset_password("admin", "0123456789ab"),
        Err(StoreError::NotAllowed(_))
    ));
    drop(sam);
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let actions: Vec<String> = admin
        .audit_trail()
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for wanted in [
        "disable_staff",
        "enable_staff",
        "reset_password",
        "change_password",
        "key_changed",
    ] {
        assert!(actions.iter().any(|a| a == wanted), "{wanted}: {actions:?}");
    }
}

#[test]
fn a_damaged_file_opens_read_only_and_refuses_changes() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine();
    let db = db_with_patients(dir.path(), &engine, 30);
    let mut bytes = fs::read(&db).unwrap();
    let at = bytes.len() / 2;
    for b in &mut bytes[at..at + 16] {
        *b ^= 0xA5;
    }
    fs::write(&db, &bytes).unwrap();
    // The login reads only the pages it needs; the query that meets the damaged page says so.
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let met: Vec<StoreError> = (1..=30)
        .filter_map(|id| store.show_intake(id).err())
        .collect();
    assert!(!met.is_empty(), "no read met the damaged page");
    assert!(
        met.iter().all(|e| matches!(e, StoreError::Damaged(_))),
        "{met:?}"
    );
    drop(store);
    let mut damaged = Store::open_read_only(&db, "admin", PASSWORD).unwrap();
    assert!(
        damaged.damage().unwrap().contains("HMAC"),
        "{:?}",
        damaged.damage()
    );
    assert!(!damaged.verify().unwrap().problems.is_empty());
    // Reading what can be read is not audited (the file cannot be written) and does not fail
    // for that reason.
    let _ = damaged.show_intake(1);
    let i = intake(&engine, "After");
    assert!(matches!(
        damaged.save_intake(&i, None, None),
        Err(StoreError::NotAllowed(_))
    ));
    assert_eq!(
        Store::open_read_only(&db, "admin", "wrong password").err(),
        Some(StoreError::WrongCredentials)
    );
}

#[test]
fn history_lists_sign_offs_documents_and_a_patients_intakes() {
    use ldn_store::{Decision, DocumentKind, DocumentRecord, PrintedPlan, Settings};
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = engine();
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let mut admin = add_ready_staff(admin, &db, "cleo", "clinician pass 1", Role::Clinician);
    let staff = admin.staff().unwrap();
    assert_eq!(
        staff
            .iter()
            .map(|s| s.username.as_str())
            .collect::<Vec<_>>(),
        ["admin", "cleo"]
    );
    let i = intake(&engine, "History");
    let first = admin
        .save_intake(&i, Some(&engine.screen(&i)), None)
        .unwrap();
    let second = admin
        .save_intake(&i, Some(&engine.screen(&i)), None)
        .unwrap();
    assert_eq!(first.patient_id, second.patient_id);
    let other = intake(&engine, "Elsewhere");
    admin.save_intake(&other, None, None).unwrap();

    // An intake belongs to one person: a save naming someone else is refused, and nothing
    // is written.
    assert!(matches!(
        admin.save_intake(&other, None, Some(first.intake_id)),
        Err(StoreError::Invalid { ref field, .. }) if field == "patient"
    ));
    let mine = admin.patient_intakes(first.patient_id).unwrap();
    assert_eq!(mine.len(), 2);
    assert!(mine
        .iter()
        .all(|r| r.patient.ends_with("History") && r.versions == 1));
    drop(admin);

    let mut cleo = Store::open(&db, "cleo", "clinician pass 1").unwrap();
    let signoff = cleo
        .sign_off(first.version_id, Decision::Refer, "see hepatology", None)
        .unwrap();
    let record = DocumentRecord {
        kind: DocumentKind::Card,
        language: ldn_engine::Language::En,
        paper: ldn_store::Paper::Letter,
        settings: Settings {
            clinic_name: "Riverside".into(),
            ..Settings::default()
        },
        plan: PrintedPlan::NotStarting,
        signoff_id: Some(signoff),
    };
    let digest = cleo
        .record_document(first.version_id, &record, b"%PDF-1.7 card")
        .unwrap();
    let signoffs = cleo.signoffs(first.intake_id).unwrap();
    assert_eq!(signoffs.len(), 1);
    assert_eq!(signoffs[0].clinician, "Dr Cleo");
    assert_eq!(signoffs[0].decision, Decision::Refer);
    assert!(cleo.signoffs(second.intake_id).unwrap().is_empty());
    let documents = cleo.documents(first.intake_id).unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].sha256, digest);
    assert_eq!(documents[0].record, record);
    assert_eq!(cleo.document(documents[0].id).unwrap(), documents[0]);
    assert!(matches!(
        cleo.document(9999),
        Err(StoreError::Missing { .. })
    ));
    let (intake_id, version) = cleo.version(first.version_id).unwrap();
    assert_eq!(intake_id, first.intake_id);
    assert_eq!(version.answers.patient.family_name, "History");
    assert!(version.summary.is_some());
    assert!(matches!(
        cleo.version(9999),
        Err(StoreError::Missing { .. })
    ));
}

#[test]
fn a_stored_value_that_does_not_read_is_damage_not_a_default() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let store = Store::open(&db, "admin", PASSWORD).unwrap();
    store
        .raw_connection()
        .execute(
            "INSERT INTO settings (key, value) VALUES ('clinic', '{\"clinic_name\": 7')",
            [],
        )
        .unwrap();
    // A handout must never print with an empty clinic because its settings were unreadable.
    assert!(matches!(store.settings(), Err(StoreError::Damaged(_))));
    store
        .raw_connection()
        .execute(
            "UPDATE staff SET role = 'superuser' WHERE username = 'admin'",
            [],
        )
        .unwrap_err();
}
