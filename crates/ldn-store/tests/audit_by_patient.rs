//! The audit trail read one patient at a time: every row about a patient, one of their intakes
//! or one of its versions says which patient it is about.

use ldn_store::Store;

mod common;

use common::{intake, new_db, PASSWORD};

#[test]
fn each_row_about_a_patient_names_that_patient() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = ldn_data::engine().unwrap();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let first = store
        .save_intake(&intake(&engine, "First"), None, None)
        .unwrap();
    let second = store
        .save_intake(&intake(&engine, "Second"), None, None)
        .unwrap();
    store.show_intake(first.intake_id).unwrap();
    store.patient_intakes(second.patient_id).unwrap();
    store
        .set_patient_contact(first.patient_id, Some("A-1"), None)
        .unwrap();

    let rows = store.audit_trail().unwrap();
    let about = |patient: i64| -> Vec<(String, String)> {
        rows.iter()
            .filter(|r| r.patient_id == Some(patient))
            .map(|r| (r.action.clone(), r.subject.clone()))
            .collect()
    };
    let firsts = about(first.patient_id);
    for action in ["save", "view", "edit_patient"] {
        assert!(
            firsts.iter().any(|(a, _)| a == action),
            "no {action} row for the first patient: {firsts:?}"
        );
    }
    let seconds = about(second.patient_id);
    assert!(seconds.iter().any(|(a, _)| a == "save"), "{seconds:?}");
    assert!(
        seconds
            .iter()
            .any(|(a, s)| a == "view" && s.starts_with("patient ")),
        "{seconds:?}"
    );
    assert!(
        rows.iter()
            .filter(|r| r.patient_id == Some(first.patient_id))
            .all(|r| r
                .patient_name
                .as_deref()
                .is_some_and(|n| n.ends_with("First"))),
        "rows about the first patient carry their name"
    );
    // Rows about no patient (log-ins, set-up) name none.
    assert!(rows
        .iter()
        .filter(|r| r.action == "login" || r.action == "create_database")
        .all(|r| r.patient_id.is_none()));
}

/// A name or birth date put right on the record: search finds the new name, another patient's
/// name and birth date are refused, and the trail says what changed without the values.
#[test]
fn a_patients_name_and_birth_date_are_corrected_on_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = ldn_data::engine().unwrap();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let typo = store
        .save_intake(&intake(&engine, "Nunes"), None, None)
        .unwrap();
    let other = store
        .save_intake(&intake(&engine, "Other"), None, None)
        .unwrap();
    let other_row = store.patient(other.patient_id).unwrap();
    let born = chrono::NaiveDate::from_ymd_opt(1984, 3, 15).unwrap();

    let fixed = store
        .edit_patient(typo.patient_id, "Lucía", "Ñúñez-García", born)
        .unwrap();
    assert_eq!(
        (
            fixed.given_name.as_str(),
            fixed.family_name.as_str(),
            fixed.birth_date.as_str()
        ),
        ("Lucía", "Ñúñez-García", "1984-03-15")
    );
    let found = store.search_patients("garcia").unwrap();
    assert_eq!(
        found.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![typo.patient_id]
    );
    assert!(
        store.search_patients("Nunes").unwrap().is_empty(),
        "the old name still finds her"
    );
    assert_eq!(
        store.patient_of_intake(typo.intake_id).unwrap().id,
        typo.patient_id
    );

    // Another patient's name and birth date: refused, naming the field; nothing changes.
    let other_born = chrono::NaiveDate::parse_from_str(&other_row.birth_date, "%Y-%m-%d").unwrap();
    match store.edit_patient(
        typo.patient_id,
        &other_row.given_name,
        &other_row.family_name,
        other_born,
    ) {
        Err(ldn_store::StoreError::Invalid { field, .. }) => assert_eq!(field, "patient"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.patient(typo.patient_id).unwrap(), fixed);

    let trail = store.audit_trail().unwrap();
    let edit = trail
        .iter()
        .rev()
        .find(|r| r.action == "edit_patient")
        .unwrap();
    assert_eq!(edit.detail, "name and birth date corrected");
    assert!(!edit.detail.contains("Lucía") && !edit.subject.contains("Lucía"));
}
