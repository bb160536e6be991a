//! A ten-year practice for the benchmarks (issue 14): patients, completed intakes with the
//! saves their drafts went through, amendments, sign-offs, documents and the audit trail, all
//! written through the store's own API as the app writes them, into a real encrypted file.
//!
//! `scripts/make-big-db FILE [--scale S] [--saves-per-intake K]` runs it. At scale 1: 30,000
//! patients, 60,000 completed intakes (one in ten amended), 1,000 open drafts. K is how many
//! autosaves a draft went through before completion (the app saves once per answer).
//!
//! The file is a fixture, not a clinic's database: the writes skip the fsync a clinic's saves
//! wait for (`synchronous = OFF`), which changes how fast it is made, not what it holds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use ldn_engine::{Engine, Intake, Language};
use ldn_store::{
    Decision, DocumentKind, DocumentRecord, NewStaff, Paper, PrintedPlan, Role, Store,
};

const PASSWORD: &str = "benchmark password";
const GIVEN: &[&str] = &[
    "Ana", "Bo", "Carla", "Dmitri", "Elif", "Femi", "Gus", "Hana", "Iván", "Jo", "Lucía", "María",
];
const FAMILY: &[&str] = &[
    "García",
    "Ñúñez",
    "Smith",
    "Okafor",
    "Nguyen",
    "Kowalski",
    "Haddad",
    "Rossi",
    "Tanaka",
    "Müller",
    "O'Brien",
    "López-Díaz",
];

struct Options {
    out: PathBuf,
    patients: usize,
    intakes: usize,
    open_drafts: usize,
    saves: usize,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut scale = 1.0_f64;
    let mut saves = 30;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--scale" => {
                scale = value("--scale")?
                    .parse()
                    .map_err(|e| format!("--scale: {e}"))?
            }
            "--saves-per-intake" => {
                saves = value("--saves-per-intake")?
                    .parse()
                    .map_err(|e| format!("--saves-per-intake: {e}"))?
            }
            other if !other.starts_with('-') && out.is_none() => out = Some(PathBuf::from(other)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let out = out.ok_or("usage: make_big_db FILE [--scale S] [--saves-per-intake K]")?;
    if out.exists() {
        return Err(format!("{} exists: choose a new file", out.display()));
    }
    let n = |at_one: f64| ((at_one * scale).round() as usize).max(1);
    Ok(Options {
        out,
        patients: n(30_000.0),
        intakes: n(60_000.0),
        open_drafts: n(1_000.0),
        saves,
    })
}

/// The example intakes, whose answers and medicines vary the way a clinic's do.
fn templates(engine: &Engine) -> Vec<Intake> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".answers.json"))
        .collect();
    found.sort();
    found
        .iter()
        .filter_map(|p| engine.parse_answers(&std::fs::read_to_string(p).ok()?).ok())
        .collect()
}

/// Intake number `n`: a template given patient `p`'s name and birth date and a day in the
/// ten years before the template's own intake date.
fn intake_for(templates: &[Intake], n: usize, p: usize) -> Intake {
    let mut intake = templates[n % templates.len()].clone();
    intake.patient.given_name = GIVEN[p % GIVEN.len()].to_owned();
    intake.patient.family_name = format!("{}{}", FAMILY[(p / GIVEN.len()) % FAMILY.len()], p);
    let born = chrono::NaiveDate::from_ymd_opt(
        1940 + (p % 60) as i32,
        1 + (p % 12) as u32,
        1 + (p % 28) as u32,
    )
    .expect("a date");
    intake.patient.birth_date = born;
    let back = chrono::Days::new((n as u64 * 3653 / 60_000) % 3653);
    intake.intake_date = intake
        .intake_date
        .checked_sub_days(back)
        .unwrap_or(intake.intake_date);
    if intake.intake_date < born {
        intake.intake_date = born;
    }
    intake
}

/// The draft as it stood after `step` of `of` autosaves: the first answers given so far.
fn draft_at(intake: &Intake, step: usize, of: usize) -> Intake {
    let mut draft = intake.clone();
    let keep = intake.answers.len() * step / of.max(1);
    draft.answers = intake
        .answers
        .iter()
        .take(keep)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    draft
        .medications
        .truncate(intake.medications.len() * step / of.max(1));
    draft.incomplete_reason = None;
    draft
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let engine = ldn_data::engine()?;
    let templates = templates(&engine);
    drop(Store::create(
        &o.out,
        &NewStaff {
            username: "admin",
            display_name: "Ada Admin",
            password: PASSWORD,
            role: Role::Admin,
        },
    )?);
    let mut admin = Store::open(&o.out, "admin", PASSWORD)?;
    admin.add_staff(&NewStaff {
        username: "drlee",
        display_name: "Dr Sam Lee",
        password: "first password set by admin",
        role: Role::Clinician,
    })?;
    drop(admin);
    let mut store = Store::open(&o.out, "drlee", "first password set by admin")?;
    store.change_password("first password set by admin", PASSWORD)?;
    store
        .raw_connection()
        .pragma_update(None, "synchronous", "OFF")?;
    let settings = store.settings()?;
    let total = o.intakes + o.open_drafts;
    for n in 0..total {
        let intake = intake_for(&templates, n, n % o.patients);
        let open = n >= o.intakes;
        let mut id = None;
        let steps = if open { o.saves / 2 } else { o.saves };
        for step in 1..=steps {
            id = Some(
                store
                    .save_intake(&draft_at(&intake, step, o.saves), None, id)?
                    .intake_id,
            );
        }
        if open {
            continue;
        }
        let summary = engine.screen(&intake);
        let mut done = store.save_intake(&intake, Some(&summary), id)?;
        if n % 10 == 0 {
            done = store.save_intake(&intake, Some(&summary), Some(done.intake_id))?;
        }
        store.show_intake(done.intake_id)?;
        let decision = match summary.verdict {
            ldn_engine::Verdict::Contraindicated => Decision::DoNotStart,
            _ => Decision::Refer,
        };
        let signoff = store.sign_off(done.version_id, decision, "", None)?;
        let record = DocumentRecord {
            kind: DocumentKind::Handout,
            language: if n % 4 == 0 {
                Language::Es
            } else {
                Language::En
            },
            paper: Paper::Letter,
            settings: settings.clone(),
            plan: PrintedPlan::NotStarting,
            signoff_id: Some(signoff),
        };
        store.record_document(done.version_id, &record, format!("%PDF-1.7 {n}").as_bytes())?;
        if (n + 1) % 1000 == 0 {
            eprintln!(
                "{} of {total} intakes, {:.0} s",
                n + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    drop(store);
    let bytes = std::fs::metadata(&o.out)?.len();
    println!(
        "{}: {} patients, {} completed intakes ({} saves each before completion), {} open drafts; {:.1} MB, {:.1} KB per completed intake; made in {:.0} s",
        o.out.display(),
        o.patients.min(total),
        o.intakes,
        o.saves,
        o.open_drafts,
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / o.intakes as f64,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&o) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
