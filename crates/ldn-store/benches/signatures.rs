//! What signatures add: a clinician's login (goal: under 20 ms more) and a sign-off (goal:
//! under 5 ms more), each timed on a database with signatures and on the same clinic as a
//! database made before them (no root, no records, no signing keys). The difference of the
//! two medians is the cost.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use ldn_store::{Decision, NewStaff, Role, Store};

const ADMIN: &str = "benchmark password";
const CLEO: &str = "cleo benchmark phrase";

/// A clinic with an admin and Dr Cleo, and one completed intake; its version id.
fn clinic(dir: &Path, name: &str) -> (PathBuf, i64) {
    let db = dir.join(name);
    let admin = NewStaff {
        username: "admin",
        display_name: "Admin",
        password: ADMIN,
        role: Role::Admin,
    };
    let (mut store, _) = Store::create(&db, &admin).expect("create");
    store
        .add_staff(&NewStaff {
            username: "cleo",
            display_name: "Dr Cleo",
            password: "first phrase set by admin",
            role: Role::Clinician,
        })
        .expect("add");
    let engine = ldn_data::engine().expect("engine");
    let answers = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/02-vicodin-yesterday.answers.json"
    ))
    .expect("example");
    let intake = engine.parse_answers(&answers).expect("valid");
    let saved = store
        .save_intake(&intake, Some(&engine.screen(&intake)), None)
        .expect("save");
    drop(store);
    let mut cleo = Store::open(&db, "cleo", "first phrase set by admin").expect("first login");
    cleo.change_password("first phrase set by admin", CLEO)
        .expect("own password");
    (db, saved.version_id)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (signed, signed_version) = clinic(dir.path(), "signed.db");
    let (plain, plain_version) = clinic(dir.path(), "plain.db");
    let admin = Store::open(&plain, "admin", ADMIN).expect("open");
    ldn_store::insider::before_signatures(&admin).expect("as before signatures");
    drop(admin);

    let mut group = c.benchmark_group("signatures");
    group.sample_size(20);
    for (name, db) in [("login_signed", &signed), ("login_unsigned", &plain)] {
        group.bench_function(name, |b| {
            b.iter(|| Store::open(db, "cleo", CLEO).expect("login"))
        });
    }
    group.sample_size(50);
    for (name, db, version) in [
        ("sign_off_signed", &signed, signed_version),
        ("sign_off_unsigned", &plain, plain_version),
    ] {
        let mut cleo = Store::open(db, "cleo", CLEO).expect("login");
        group.bench_function(name, |b| {
            b.iter(|| {
                cleo.sign_off(version, Decision::DoNotStart, "bench", None)
                    .expect("sign off")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
