//! An insider with file access and only their own password, trying what signatures are for:
//! each attempt is refused at login or reported by `verify`, naming what and who.

use std::fs;
use std::path::Path;

use ldn_engine::{ChosenPlan, PlanName};
use ldn_store::{insider, Decision, Role, SignatureStatus, Store, StoreError};

mod common;

use common::{add_ready, intake, new_db, PASSWORD};

const FRANK: &str = "frank's own long password";
const CLEO: &str = "cleo signs with care";

/// A clinic: the admin, Frank at the front desk, Dr Cleo; one completed intake that Cleo
/// signed off. Returns the database, the recovery key and the sign-off's intake id.
fn clinic(dir: &Path) -> (std::path::PathBuf, String, i64) {
    let (db, recovery) = new_db(dir);
    add_ready(&db, "frank", FRANK, Role::Staff);
    add_ready(&db, "cleo", CLEO, Role::Clinician);
    let engine = ldn_data::engine().unwrap();
    let mut frank = Store::open(&db, "frank", FRANK).unwrap();
    let answers = intake(&engine, "Signed");
    let saved = frank
        .save_intake(&answers, Some(&engine.screen(&answers)), None)
        .unwrap();
    drop(frank);
    let mut cleo = Store::open(&db, "cleo", CLEO).unwrap();
    cleo.sign_off(
        saved.version_id,
        Decision::DoNotStart,
        "opioid yesterday",
        None,
    )
    .unwrap();
    (db, recovery, saved.intake_id)
}

fn problems(db: &Path) -> Vec<String> {
    Store::open(db, "admin", PASSWORD)
        .unwrap()
        .verify()
        .unwrap()
        .problems
}

fn refused_logins(db: &Path) -> Vec<String> {
    let admin = Store::open(db, "admin", PASSWORD).unwrap();
    admin
        .audit_trail()
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "refused_login")
        .map(|r| format!("{} {}", r.subject, r.detail))
        .collect()
}

#[test]
fn a_clinic_whose_files_are_untouched_verifies_clean() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, intake_id) = clinic(dir.path());
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let report = admin.verify().unwrap();
    assert_eq!(report.problems, Vec::<String>::new());
    assert!(report.last_signed_head.unwrap().contains("admin (login)"));
    let signoffs = admin.signoffs(intake_id).unwrap();
    assert_eq!(
        signoffs[0].signature,
        SignatureStatus::Valid {
            signed_by: "cleo".into()
        }
    );
    drop(admin);
    // The key file names the database's salt (read through SQLite, never by reopening the
    // file under an open connection), after creation and after every password change.
    let ring: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("ldn.db.keys")).unwrap()).unwrap();
    let head = fs::read(&db).unwrap();
    assert_eq!(ring["db_salt"], hex::encode(&head[..16]));
}

#[test]
fn a_holder_minted_for_another_account_gets_nobody_in() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery, _) = clinic(dir.path());
    insider::mint_holder(&db, ("frank", FRANK), "admin", "frank chose this one").unwrap();
    let refused = Store::open(&db, "admin", "frank chose this one").err();
    assert!(
        matches!(&refused, Some(StoreError::NotVouched(why)) if why.contains("not the one their signed record names")),
        "{refused:?}"
    );
    insider::mint_holder(&db, ("frank", FRANK), "cleo", "frank chose this one").unwrap();
    assert!(matches!(
        Store::open(&db, "cleo", "frank chose this one"),
        Err(StoreError::NotVouched(_))
    ));
    // The real admin's holder was replaced, so the recovery key is how the clinic reads the
    // trail; both attempts are in it, by name and reason.
    let trail = Store::open_with_recovery(&db, &recovery)
        .unwrap()
        .audit_trail()
        .unwrap();
    let refused: Vec<&str> = trail
        .iter()
        .filter(|r| r.action == "refused_login" && r.detail.contains("signed record names"))
        .map(|r| r.subject.as_str())
        .collect();
    assert_eq!(refused, ["admin", "cleo"]);
}

#[test]
fn an_edited_role_gets_nobody_in_and_verify_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = clinic(dir.path());
    let frank = Store::open(&db, "frank", FRANK).unwrap();
    frank
        .raw_connection()
        .execute(
            "UPDATE staff SET role = 'admin' WHERE username = 'frank'",
            [],
        )
        .unwrap();
    drop(frank);
    let refused = Store::open(&db, "frank", FRANK).err();
    assert!(
        matches!(&refused, Some(StoreError::NotVouched(why)) if why.contains("says admin and enabled, its signed record staff")),
        "{refused:?}"
    );
    assert!(refused_logins(&db).iter().any(|r| r.starts_with("frank ")));
    assert!(problems(&db)
        .iter()
        .any(|p| p.starts_with("account frank: the staff row of frank says admin")));
}

#[test]
fn a_signoff_changed_after_signing_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, intake_id) = clinic(dir.path());
    let frank = Store::open(&db, "frank", FRANK).unwrap();
    let plan = ChosenPlan {
        plan: PlanName::Standard,
        protocol: frank.settings().unwrap().titration,
        chosen_by: None,
    };
    frank
        .raw_connection()
        .execute(
            "UPDATE signoffs SET decision = 'start', note = '', plan = ?1",
            [serde_json::to_string(&plan).unwrap()],
        )
        .unwrap();
    let row = &frank.signoffs(intake_id).unwrap()[0];
    assert_eq!(row.decision, Decision::Start);
    assert!(
        matches!(&row.signature, SignatureStatus::DoesNotMatch { .. }),
        "{:?}",
        row.signature
    );
    assert!(row
        .signature
        .to_string()
        .starts_with("signature does not match"));
    drop(frank);
    assert!(problems(&db).iter().any(|p| p.starts_with(
        "sign-off 1 (version 1 of its intake, by Dr Cleo): signature does not match"
    )));
}

#[test]
fn audit_rows_cut_from_the_end_are_reported_with_who_signed_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = clinic(dir.path());
    let frank = Store::open(&db, "frank", FRANK).unwrap();
    let conn = frank.raw_connection();
    conn.execute_batch(
        "DROP TRIGGER audit_is_append_only_delete;
         DELETE FROM audit WHERE id > (SELECT max(id) - 4 FROM audit);",
    )
    .unwrap();
    // The chain itself is intact: only the signed heads know rows are gone.
    drop(frank);
    let found = problems(&db);
    assert!(
        found.iter().any(
            |p| p.starts_with("audit rows were cut off: the audit head signed by frank (login")
        ),
        "{found:?}"
    );
}

#[test]
fn audit_rows_rewritten_with_the_chain_recomputed_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = clinic(dir.path());
    let frank = Store::open(&db, "frank", FRANK).unwrap();
    let conn = frank.raw_connection();
    conn.execute_batch("DROP TRIGGER audit_is_append_only_update;")
        .unwrap();
    conn.execute(
        "UPDATE audit SET subject = 'nobody' WHERE id = (SELECT min(id) FROM audit WHERE action = 'sign_off')",
        [],
    )
    .unwrap();
    insider::recompute_audit_chain(conn).unwrap();
    drop(frank);
    let found = problems(&db);
    assert!(
        !found
            .iter()
            .any(|p| p.contains("was changed after it was written")),
        "the recomputed chain itself holds"
    );
    assert!(
        found.iter().any(|p| p.contains(
            "were rewritten: they no longer match the audit head signed by cleo (sign_off"
        )),
        "{found:?}"
    );
}

#[test]
fn a_swapped_root_is_caught_against_the_fingerprint_on_paper() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = clinic(dir.path());
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    let on_paper = admin.root_fingerprint().unwrap().unwrap();
    assert!(admin.verify_root(&on_paper).unwrap().problems.is_empty());
    drop(admin);
    let frank = Store::open(&db, "frank", FRANK).unwrap();
    let fake = insider::swap_root(frank.raw_connection()).unwrap();
    drop(frank);
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    // Every signature holds under the new root: only the paper tells.
    assert_eq!(admin.verify().unwrap().problems, Vec::<String>::new());
    assert_eq!(admin.root_fingerprint().unwrap(), Some(fake.clone()));
    let report = admin.verify_root(&on_paper.to_lowercase()).unwrap();
    assert!(
        report.problems[0].starts_with(&format!(
            "the clinic's root key is not the one on paper: this database's is {fake}"
        )),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_database_made_before_signatures_gets_its_root_from_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recovery, intake_id) = clinic(dir.path());
    let on_paper = Store::open(&db, "admin", PASSWORD)
        .unwrap()
        .root_fingerprint()
        .unwrap()
        .unwrap();
    insider::before_signatures(&Store::open(&db, "admin", PASSWORD).unwrap()).unwrap();

    // Everyone still signs in; sign-offs are unsigned until the root is set up.
    let mut cleo = Store::open(&db, "cleo", CLEO).unwrap();
    let version = cleo.signoffs(intake_id).unwrap()[0].version_id;
    cleo.sign_off(version, Decision::Refer, "before", None)
        .unwrap();
    drop(cleo);
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    assert!(admin.needs_root().unwrap());
    assert!(matches!(
        admin.establish_root(&common::new_db(tempfile::tempdir().unwrap().path()).1),
        Err(StoreError::Invalid { ref field, .. }) if field == "recovery_key"
    ));
    let set_up = admin.establish_root(&recovery).unwrap();
    assert_eq!(
        set_up.fingerprint, on_paper,
        "the root comes from the recovery key"
    );
    assert!(set_up.need_reset.is_empty());
    assert!(matches!(
        admin.establish_root(&recovery),
        Err(StoreError::NotAllowed(_))
    ));
    drop(admin);

    let mut cleo = Store::open(&db, "cleo", CLEO).unwrap();
    cleo.sign_off(version, Decision::DoNotStart, "after", None)
        .unwrap();
    let statuses: Vec<SignatureStatus> = cleo
        .signoffs(intake_id)
        .unwrap()
        .into_iter()
        .map(|s| s.signature)
        .collect();
    assert_eq!(
        statuses,
        [
            SignatureStatus::MadeBeforeSignatures,
            SignatureStatus::MadeBeforeSignatures,
            SignatureStatus::Valid {
                signed_by: "cleo".into()
            }
        ]
    );
    drop(cleo);
    assert_eq!(problems(&db), Vec::<String>::new());
    Store::open(&db, "frank", FRANK).unwrap();
}

#[test]
fn signatures_outlive_a_reset_and_a_disabled_account() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, intake_id) = clinic(dir.path());
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin
        .reset_password("cleo", "a temporary phrase for cleo")
        .unwrap();
    drop(admin);
    let mut cleo = Store::open(&db, "cleo", "a temporary phrase for cleo").unwrap();
    cleo.change_password("a temporary phrase for cleo", "cleo's second long phrase")
        .unwrap();
    let version = cleo.signoffs(intake_id).unwrap()[0].version_id;
    cleo.sign_off(version, Decision::Refer, "second look", None)
        .unwrap();
    drop(cleo);
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin.set_disabled("cleo", true).unwrap();
    let valid = SignatureStatus::Valid {
        signed_by: "cleo".into(),
    };
    let statuses: Vec<_> = admin
        .signoffs(intake_id)
        .unwrap()
        .into_iter()
        .map(|s| s.signature)
        .collect();
    assert_eq!(statuses, [valid.clone(), valid]);
    assert_eq!(admin.verify().unwrap().problems, Vec::<String>::new());
}

#[test]
fn a_backup_head_that_the_trail_no_longer_reaches_is_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = clinic(dir.path());
    let backup = dir.path().join("monday.ldnbak");
    Store::open(&db, "admin", PASSWORD)
        .unwrap()
        .backup(&backup)
        .unwrap();
    let admin = Store::open(&db, "admin", PASSWORD).unwrap();
    assert_eq!(
        admin.verify_against_backup(&backup).unwrap(),
        Vec::<String>::new()
    );
    let conn = admin.raw_connection();
    // The insider cuts the trail back to before the backup, heads and all.
    conn.execute_batch(
        "DROP TRIGGER audit_is_append_only_delete;
         DELETE FROM audit_heads WHERE audit_id > 10;
         DELETE FROM audit WHERE id > 10;",
    )
    .unwrap();
    assert_eq!(
        admin.verify().unwrap().problems,
        Vec::<String>::new(),
        "with the heads gone too, only the backup still knows"
    );
    let found = admin.verify_against_backup(&backup).unwrap();
    assert!(
        found[0].starts_with("tampering since the backup: audit rows were cut off: the backup"),
        "{found:?}"
    );
    assert!(found[0].contains("signed by admin (backup sha256:"));
}
