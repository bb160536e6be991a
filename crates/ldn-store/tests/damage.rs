//! The login no longer reads the whole file: damage anywhere is still reported as damage, by
//! the query that meets it and by `verify`, and never mistaken for a changed key.

mod common;

use std::fs;

use common::{intake, new_db, PASSWORD};
use ldn_store::{Store, StoreError};

const PAGE: usize = 4096;

/// Every read a clinic's day makes, with the errors they met.
fn read_everything(store: &mut Store) -> Vec<StoreError> {
    let mut met = Vec::new();
    for id in 1..=40 {
        met.extend(store.show_intake(id).err());
    }
    met.extend(store.list_intakes().err());
    met.extend(store.search_patients("pat").err());
    met.extend(store.audit_trail().err());
    met
}

#[test]
fn a_damaged_page_anywhere_is_reported_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let engine = ldn_data::engine().unwrap();
    {
        let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
        for k in 0..40 {
            let i = intake(&engine, &format!("Patient{k}"));
            let draft = store.save_intake(&i, None, None).unwrap();
            store
                .save_intake(&i, Some(&engine.screen(&i)), Some(draft.intake_id))
                .unwrap();
        }
    }
    let original = fs::read(&db).unwrap();
    let pages = original.len() / PAGE;
    assert!(pages > 10, "{pages} pages");
    let (mut met_by_queries, mut met_by_login) = (0, 0);
    // Page 1 holds the salt and the schema: damage there is the key file's error message
    // ("or the start of the database file is damaged"), tested with the key files.
    for page in 1..pages {
        let mut bytes = original.clone();
        let at = page * PAGE + PAGE / 2;
        for b in &mut bytes[at..at + 16] {
            *b ^= 0xA5;
        }
        fs::write(&db, &bytes).unwrap();
        let mut store = match Store::open(&db, "admin", PASSWORD) {
            Ok(store) => store,
            // The login itself read the damaged page.
            Err(StoreError::Damaged(_)) => {
                met_by_login += 1;
                continue;
            }
            Err(other) => panic!("page {page}: opening said {other:?}"),
        };
        let met = read_everything(&mut store);
        assert!(
            met.iter().all(|e| matches!(e, StoreError::Damaged(_))),
            "page {page}: {met:?}"
        );
        met_by_queries += usize::from(!met.is_empty());
        // However the page is used, the whole-file check finds it: `verify`, and the check the
        // app runs on its own connection after start-up.
        assert!(
            !store.verify().unwrap().problems.is_empty(),
            "page {page}: verify found nothing"
        );
        assert!(
            store.file_check().unwrap().run().unwrap().is_some(),
            "page {page}: the background check found nothing"
        );
    }
    eprintln!(
        "{pages} pages: {met_by_login} met by the login, {met_by_queries} by the queries after it"
    );
    assert!(
        met_by_queries > pages / 4,
        "only {met_by_queries} of {pages} damaged pages were met by a query"
    );
    fs::write(&db, &original).unwrap();
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    assert!(read_everything(&mut store).is_empty());
    assert_eq!(store.file_check().unwrap().run().unwrap(), None);
}

/// A password change re-encrypts every page with a new key: a background check started
/// before it cannot read them, and says the key changed rather than calling the file damaged.
#[test]
fn a_key_changed_under_the_background_check_is_not_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = new_db(dir.path());
    let mut store = Store::open(&db, "admin", PASSWORD).unwrap();
    let check = store.file_check().unwrap();
    store
        .change_password(PASSWORD, "a brand new admin passphrase")
        .unwrap();
    assert_eq!(check.run(), Err(StoreError::KeyChanged));
    assert_eq!(store.file_check().unwrap().run(), Ok(None));
}
