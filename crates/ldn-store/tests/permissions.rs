//! Every public store method refuses an actor without its permission: one table, checked
//! against the methods the source actually declares, so a new method without a row fails.

use std::fs;
use std::path::{Path, PathBuf};

use ldn_engine::Engine;
use ldn_store::{
    Decision, DocumentKind, DocumentRecord, NewStaff, Permission, PrintedPlan, Role, Settings,
    Store, StoreError,
};

mod common;

use common::PASSWORD;

/// Who may do what, written out here rather than read from the store:
/// [admin, clinician, staff, recovery key].
fn expected(permission: Permission) -> [bool; 4] {
    use Permission::*;
    match permission {
        ViewRecords | ViewSettings | Verify => [true, true, true, true],
        EditIntakes | ChangeOwnPassword => [true, true, true, false],
        SignOff => [false, true, false, false],
        ChangeSettings | ManageStaff | ReadAudit | Backup => [true, false, false, true],
    }
}

type Call = fn(&mut Store, &Fixture) -> Result<(), StoreError>;

struct Fixture {
    engine: Engine,
    dir: PathBuf,
    version_id: i64,
    intake_id: i64,
}

/// Each gated method, called so that a permitted actor changes nothing lasting (unknown ids,
/// refused values): what is checked is only whether the gate let it through.
fn methods() -> Vec<(&'static str, Permission, Call)> {
    use Permission::*;
    fn record() -> DocumentRecord {
        DocumentRecord {
            kind: DocumentKind::Card,
            language: ldn_engine::Language::En,
            paper: ldn_store::Paper::Letter,
            settings: Settings::default(),
            plan: PrintedPlan::NotStarting,
            signoff_id: None,
        }
    }
    vec![
        ("search_patients", ViewRecords, |s, _| {
            s.search_patients("a").map(drop)
        }),
        ("list_intakes", ViewRecords, |s, _| {
            s.list_intakes().map(drop)
        }),
        ("patient_intakes", ViewRecords, |s, _| {
            s.patient_intakes(1).map(drop)
        }),
        ("patient", ViewRecords, |s, _| s.patient(1).map(drop)),
        ("edit_patient", EditIntakes, |s, _| {
            s.edit_patient(
                1,
                "A",
                "B",
                chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
            )
            .map(drop)
        }),
        ("patient_of_intake", ViewRecords, |s, _| {
            s.patient_of_intake(1).map(drop)
        }),
        ("set_patient_contact", EditIntakes, |s, _| {
            s.set_patient_contact(1, Some("MRN-1"), None).map(drop)
        }),
        ("check_patient_contact", EditIntakes, |s, _| {
            s.check_patient_contact(None, Some("MRN-1"), None).map(drop)
        }),
        ("worklist", ViewRecords, |s, _| {
            s.worklist(ldn_store::IntakeFilter::AwaitingSignoff)
                .map(drop)
        }),
        ("show_intake", ViewRecords, |s, f| {
            s.show_intake(f.intake_id).map(drop)
        }),
        ("intake_date", ViewRecords, |s, f| {
            s.intake_date(f.intake_id).map(drop)
        }),
        ("version", ViewRecords, |s, f| {
            s.version(f.version_id).map(drop)
        }),
        ("signoffs", ViewRecords, |s, f| {
            s.signoffs(f.intake_id).map(drop)
        }),
        ("latest_signoff", ViewRecords, |s, f| {
            s.latest_signoff(f.version_id).map(drop)
        }),
        ("documents", ViewRecords, |s, f| {
            s.documents(f.intake_id).map(drop)
        }),
        ("document", ViewRecords, |s, _| s.document(999).map(drop)),
        ("save_intake", EditIntakes, |s, f| {
            let i = common::intake(&f.engine, "Permission");
            s.save_intake(&i, None, None).map(drop)
        }),
        ("record_export", EditIntakes, |s, _| {
            s.record_export(999, "fhir-bundle", b"{}").map(drop)
        }),
        ("record_import", EditIntakes, |s, _| {
            s.record_import(999, "fhir-questionnaire-response", b"{}")
                .map(drop)
        }),
        ("record_document", EditIntakes, |s, _| {
            s.record_document(999, &record(), b"%PDF").map(drop)
        }),
        ("sign_off", SignOff, |s, _| {
            s.sign_off(999, Decision::Refer, "", None).map(drop)
        }),
        ("settings", ViewSettings, |s, _| s.settings().map(drop)),
        ("save_settings", ChangeSettings, |s, _| {
            s.save_settings(&Settings::default()).map(drop)
        }),
        ("staff", ManageStaff, |s, _| s.staff().map(drop)),
        ("add_staff", ManageStaff, |s, _| {
            s.add_staff(&NewStaff {
                username: "not valid!",
                display_name: "X",
                password: "long enough words here",
                role: Role::Staff,
            })
            .map(drop)
        }),
        ("set_disabled", ManageStaff, |s, _| {
            s.set_disabled("nobody", true)
        }),
        ("reset_password", ManageStaff, |s, _| {
            s.reset_password("nobody", "short")
        }),
        ("audit_trail", ReadAudit, |s, _| s.audit_trail().map(drop)),
        ("backup", Backup, |s, f| {
            let n = rand_name();
            s.backup(&f.dir.join(n)).map(drop)
        }),
        ("verify_restore", Backup, |s, _| {
            s.verify_restore(None).map(drop)
        }),
        ("verify", Verify, |s, _| s.verify().map(drop)),
        ("verify_reporting", Verify, |s, _| {
            s.verify_reporting(|_| {}).map(drop)
        }),
        ("verify_root_reporting", Verify, |s, _| {
            s.verify_root_reporting("0000", |_| {}).map(drop)
        }),
        ("file_check", Verify, |s, _| s.file_check().map(drop)),
        ("verify_root", Verify, |s, _| {
            s.verify_root("0000").map(drop)
        }),
        ("verify_against_backup", Verify, |s, f| {
            s.verify_against_backup(&f.dir.join("no such backup"))
                .map(drop)
        }),
        ("root_fingerprint", ViewSettings, |s, _| {
            s.root_fingerprint().map(drop)
        }),
        ("needs_root", ViewSettings, |s, _| s.needs_root().map(drop)),
        ("establish_root", ManageStaff, |s, _| {
            s.establish_root("not a recovery key").map(drop)
        }),
        ("schema_version", Verify, |s, _| {
            s.schema_version().map(drop)
        }),
        ("change_password", ChangeOwnPassword, |s, _| {
            s.change_password("not my password", "whatever new words")
        }),
    ]
}

fn rand_name() -> String {
    format!(
        "backup-{}.ldnbak",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// Methods that need no permission: opening (a login is the check) and what the signed-in
/// store says about itself.
const UNGATED: &[&str] = &[
    "create",
    "open",
    "open_with_policy",
    "open_with_recovery",
    "open_read_only",
    "may",
    "must_change_password",
    "damage",
    "actor",
    "path",
    "raw_connection",
    // What the session did: audited whoever holds it, even before a password change.
    "record_session_event",
    // The idle lock applies to any session.
    "auto_lock_minutes",
];

/// The `pub fn` names inside every `impl Store` block of the crate's source.
fn declared_methods() -> Vec<String> {
    let mut names = Vec::new();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("impl Store {") {
                inside = true;
            } else if line == "}" {
                inside = false;
            } else if inside {
                if let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push(name);
                }
            }
        }
    }
    names.sort();
    names
}

fn open(db: &Path, user: &str, password: &str) -> Store {
    Store::open(db, user, password).unwrap()
}

#[test]
fn every_public_method_refuses_an_actor_without_its_permission() {
    let table = methods();
    let mut listed: Vec<String> = table
        .iter()
        .map(|(n, ..)| n.to_string())
        .chain(UNGATED.iter().map(|n| n.to_string()))
        .collect();
    listed.sort();
    assert_eq!(
        declared_methods(),
        listed,
        "a public store method has no row in the permission table"
    );

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ldn.db");
    let (_, recovery) = Store::create(
        &db,
        &NewStaff {
            username: "admin",
            display_name: "Admin",
            password: PASSWORD,
            role: Role::Admin,
        },
    )
    .unwrap();
    let mut admin = open(&db, "admin", PASSWORD);
    for (user, role) in [
        ("cleo", Role::Clinician),
        ("sam", Role::Staff),
        ("newbie", Role::Staff),
    ] {
        admin
            .add_staff(&NewStaff {
                username: user,
                display_name: user,
                password: &format!("{user} first words"),
                role,
            })
            .unwrap();
    }
    drop(admin);
    for user in ["cleo", "sam"] {
        let first = format!("{user} first words");
        open(&db, user, &first)
            .change_password(&first, &format!("{user} chosen words"))
            .unwrap();
    }
    let engine = ldn_data::engine().unwrap();
    let mut admin = open(&db, "admin", PASSWORD);
    let i = common::intake(&engine, "Permission");
    let saved = admin
        .save_intake(&i, Some(&engine.screen(&i)), None)
        .unwrap();
    let fixture = Fixture {
        engine,
        dir: dir.path().to_owned(),
        version_id: saved.version_id,
        intake_id: saved.intake_id,
    };
    let mut actors = [
        ("admin", admin),
        ("clinician", open(&db, "cleo", "cleo chosen words")),
        ("staff", open(&db, "sam", "sam chosen words")),
        (
            "recovery",
            Store::open_with_recovery(&db, &recovery).unwrap(),
        ),
    ];
    let mut newbie = open(&db, "newbie", "newbie first words");

    for (name, permission, call) in &table {
        for (k, (who, store)) in actors.iter_mut().enumerate() {
            let result = call(store, &fixture);
            let gated = matches!(
                result,
                Err(StoreError::NotAllowed(_) | StoreError::MustChangePassword)
            );
            assert_eq!(
                gated,
                !expected(*permission)[k],
                "{name} as {who}: {result:?}"
            );
            assert_eq!(
                store.may(*permission),
                expected(*permission)[k],
                "may({permission:?}) as {who}"
            );
        }
        // An account that has not chosen its own password yet may only choose one.
        let result = call(&mut newbie, &fixture);
        if *permission == Permission::ChangeOwnPassword {
            assert!(
                !matches!(result, Err(StoreError::MustChangePassword)),
                "{name}"
            );
        } else {
            assert_eq!(
                result.err(),
                Some(StoreError::MustChangePassword),
                "{name} before a password change"
            );
        }
    }
}
