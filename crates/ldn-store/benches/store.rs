//! A save with synchronous=FULL (goal: median 10 ms or less) and patient search among 100,000
//! patients (goal: 5 ms or less), on a real encrypted database file; and what access costs
//! there: a login (Argon2id, 64 MiB) and a password change, which re-encrypts the database.

use criterion::{criterion_group, criterion_main, Criterion};
use ldn_store::{NewStaff, Role, Store};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    let admin = NewStaff {
        username: "admin",
        display_name: "Admin",
        password: "benchmark password",
        role: Role::Admin,
    };
    drop(Store::create(&db, &admin).expect("create"));
    let mut store = Store::open(&db, "admin", "benchmark password").expect("open");
    let engine = ldn_data::engine().expect("engine");
    let answers = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/02-vicodin-yesterday.answers.json"
    ))
    .expect("example");
    let intake = engine.parse_answers(&answers).expect("valid");
    let summary = engine.screen(&intake);
    let first = store
        .save_intake(&intake, Some(&summary), None)
        .expect("save");
    c.bench_function("save_intake_version_sync_full", |b| {
        b.iter(|| {
            store
                .save_intake(&intake, Some(&summary), Some(first.intake_id))
                .expect("save")
        })
    });

    // 100,000 patients, bulk-loaded in one transaction with the same keys the store writes.
    {
        let conn = store.raw_connection();
        conn.execute_batch("BEGIN").expect("begin");
        let mut insert = conn
            .prepare("INSERT INTO patients (given_name, family_name, birth_date, search_key, search_given, created_at) VALUES (?1, ?2, ?3, ?4, ?5, '2026-01-01')")
            .expect("prepare");
        let given = [
            "ana", "bo", "carla", "dmitri", "elif", "femi", "gus", "hana", "ivan", "jo",
        ];
        for n in 0..100_000u32 {
            let g = given[(n % 10) as usize];
            let f = format!("fam{:05}x{}", n.wrapping_mul(7919) % 100_000, n % 97);
            let birth = format!("19{:02}-{:02}-{:02}", 30 + n % 70, 1 + n % 12, 1 + n % 28);
            insert
                .execute(rusqlite::params![
                    g,
                    f,
                    birth,
                    format!("{f} {g}"),
                    format!("{g} {f}")
                ])
                .expect("insert");
        }
        drop(insert);
        conn.execute_batch("COMMIT; ANALYZE;").expect("commit");
    }
    c.bench_function("search_100k_patients_name_prefix", |b| {
        b.iter(|| {
            store
                .search_patients(std::hint::black_box("fam0421"))
                .expect("search")
        })
    });
    c.bench_function("search_100k_patients_birth_date", |b| {
        b.iter(|| {
            store
                .search_patients(std::hint::black_box("1955-02-14"))
                .expect("search")
        })
    });

    let mut access = c.benchmark_group("access");
    access.sample_size(10);
    access.bench_function("login_argon2id_64mib", |b| {
        b.iter(|| Store::open(&db, "admin", "benchmark password").expect("login"))
    });
    let passwords = ["benchmark password", "benchmark phrase two"];
    let mut turn = 0;
    access.bench_function("change_password_rekey_100k_patients", |b| {
        b.iter(|| {
            let (current, next) = (passwords[turn % 2], passwords[(turn + 1) % 2]);
            store.change_password(current, next).expect("change");
            turn += 1;
        })
    });
    access.finish();
    drop(store);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}

criterion_main!(benches);
