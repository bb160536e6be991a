//! What a clinic's day costs on a database of a given history (issue 14): each step timed in
//! this process through the store's API, as the app calls it, and printed as one JSON object
//! of medians in milliseconds. `./scripts/bench` runs it on a new database and on the
//! ten-year practice `scripts/make-big-db` writes, and prints the two side by side.
//!
//! `bench_practice DB` signs in as the practice's clinician ("drlee"), and as its administrator
//! ("admin") for backup, restore and verify. It adds to the
//! database as a clinic would (audited views, saves, completed drafts, backups): run it on a
//! copy you can lose.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ldn_engine::AnswerValue;
use ldn_store::{IntakeFilter, Store};
use serde_json::{json, Map, Value};

const USER: &str = "drlee";
const PASSWORD: &str = "benchmark password";

/// The median of `runs` timings of `f`, in milliseconds.
fn median_ms<E>(runs: usize, mut f: impl FnMut(usize) -> Result<(), E>) -> Result<f64, E> {
    let mut times = Vec::with_capacity(runs);
    for k in 0..runs {
        let began = Instant::now();
        f(k)?;
        times.push(began.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// One value of the first row `sql` returns.
fn first<T: rusqlite::types::FromSql>(store: &Store, sql: &str) -> rusqlite::Result<T> {
    store.raw_connection().query_row(sql, [], |r| r.get(0))
}

fn run(db: &Path) -> Result<Map<String, Value>, Box<dyn std::error::Error>> {
    let engine = ldn_data::engine()?;
    let mut out = Map::new();
    let mut put = |name: &str, ms: f64| {
        out.insert(name.to_owned(), json!(ms));
    };
    put(
        "unlock",
        median_ms(7, |_| Store::open(db, USER, PASSWORD).map(drop))?,
    );
    let mut store = Store::open(db, USER, PASSWORD)?;
    // The first screen after the login: its two worklists.
    put(
        "home_worklists",
        median_ms(7, |_| {
            store.worklist(IntakeFilter::AwaitingSignoff)?;
            store.worklist(IntakeFilter::Unfinished).map(drop)
        })?,
    );
    let bytes = std::fs::metadata(db)?.len() as f64;
    let completed: i64 = first(
        &store,
        "SELECT count(DISTINCT intake_id) FROM intake_versions WHERE status <> 'draft'",
    )?;
    put("mb", bytes / 1e6);
    put(
        "kb_per_completed_intake",
        bytes / 1e3 / completed.max(1) as f64,
    );

    // Search as the front desk types: the start of a family name, a second surname alone,
    // a birth date.
    let family: String = first(
        &store,
        "SELECT family_name FROM patients ORDER BY id DESC LIMIT 1",
    )?;
    let prefix: String = family.chars().take(3).collect();
    let born: String = first(
        &store,
        "SELECT birth_date FROM patients ORDER BY id DESC LIMIT 1",
    )?;
    let second = store
        .raw_connection()
        .query_row(
            "SELECT family_name FROM patients WHERE family_name LIKE '%-%' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .ok()
        .and_then(|f| f.split('-').nth(1).map(str::to_owned))
        .unwrap_or_else(|| family.clone());
    for (name, query) in [
        ("search_name_prefix", prefix),
        ("search_second_surname", second),
        ("search_birth_date", born),
    ] {
        put(
            name,
            median_ms(21, |_| store.search_patients(&query).map(drop))?,
        );
    }

    // A patient's history: their intakes, then the latest one with its versions.
    let patient: i64 = first(
        &store,
        "SELECT patient_id FROM intakes ORDER BY id DESC LIMIT 1",
    )?;
    put(
        "history",
        median_ms(21, |_| {
            let rows = store.patient_intakes(patient)?;
            store.show_intake(rows[0].intake_id).map(drop)
        })?,
    );

    // Answers given into an open draft, one save each, as the app autosaves.
    let open: i64 = first(
        &store,
        "SELECT intake_id FROM intake_versions WHERE status = 'draft' ORDER BY id DESC LIMIT 1",
    )?;
    let mut draft = store
        .show_intake(open)?
        .versions
        .pop()
        .ok_or("no draft")?
        .answers;
    put(
        "autosave",
        median_ms(51, |k| {
            draft.answers.insert(
                "kidney.egfr".into(),
                AnswerValue::Number(60.0 + (k % 40) as f64),
            );
            store.save_intake(&draft, None, Some(open)).map(drop)
        })?,
    );

    // Completing intakes: a new draft made for each (the answers of a screened intake), then
    // the completion timed.
    let screened: i64 = first(
        &store,
        "SELECT intake_id FROM intake_versions WHERE status = 'completed' ORDER BY id DESC LIMIT 1",
    )?;
    let template = store
        .show_intake(screened)?
        .versions
        .pop()
        .ok_or("no completed version")?
        .answers;
    let mut ids = Vec::new();
    for k in 0..7 {
        let mut intake = template.clone();
        intake.patient.family_name = format!("Benchcomplete{k}x{}", std::process::id());
        ids.push((store.save_intake(&intake, None, None)?.intake_id, intake));
    }
    put(
        "complete",
        median_ms(7, |k| {
            let (id, intake) = &ids[k];
            let (intake, summary) = engine
                .complete(intake.clone())
                .map_err(|e| ldn_store::StoreError::Io(format!("{e:?}")))?;
            store
                .save_intake(&intake, Some(&summary), Some(*id))
                .map(drop)
        })?,
    );

    // Backup (which checks every page first), restore, and the whole verify: an
    // administrator's work.
    drop(store);
    let mut store = Store::open(db, "admin", PASSWORD)?;
    let scratch = tempfile::tempdir_in(db.parent().unwrap_or(Path::new(".")))?;
    let backup = |k: usize| scratch.path().join(format!("backup-{k}.ldnbak"));
    put(
        "backup",
        median_ms(3, |k| store.backup(&backup(k)).map(drop))?,
    );
    put(
        "restore",
        median_ms(3, |k| {
            ldn_store::restore(&backup(k), &scratch.path().join(format!("restored-{k}.db")))
                .map(drop)
        })?,
    );
    put("verify", median_ms(3, |_| store.verify().map(drop))?);
    Ok(out)
}

fn main() -> ExitCode {
    let Some(db) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: bench_practice DB");
        return ExitCode::from(2);
    };
    match run(&db) {
        Ok(figures) => {
            println!("{}", Value::Object(figures));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", db.display());
            ExitCode::FAILURE
        }
    }
}
