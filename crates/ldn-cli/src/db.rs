//! `ldn db …` and `ldn intake …`: the encrypted local store from the command line. Scripts
//! pass the account in LDN_USER and LDN_PASSWORD (or LDN_RECOVERY_KEY, the emergency way in);
//! a person is prompted.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ldn_store::{NewStaff, Role, Store, StoreError};
use zeroize::Zeroizing;

use crate::data_dir;
use crate::error::CliError;

pub(crate) fn env_or_prompt(
    var: &str,
    prompt: &str,
    secret: bool,
) -> Result<Zeroizing<String>, CliError> {
    if let Ok(v) = std::env::var(var) {
        return Ok(Zeroizing::new(v));
    }
    let read_err = |e: std::io::Error| CliError::Read {
        path: "(terminal)".into(),
        message: e.to_string(),
    };
    if secret {
        return rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(read_err);
    }
    eprint!("{prompt}");
    std::io::stderr().flush().map_err(read_err)?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(read_err)?;
    Ok(Zeroizing::new(line.trim().to_owned()))
}

pub(crate) fn open(db: &Path) -> Result<Store, CliError> {
    open_as(db, false)
}

/// For commands that only read: a damaged database is opened read-only, with a warning.
fn open_for_reading(db: &Path) -> Result<Store, CliError> {
    open_as(db, true)
}

fn open_as(db: &Path, read_only_if_damaged: bool) -> Result<Store, CliError> {
    if let Ok(recovery) = std::env::var("LDN_RECOVERY_KEY") {
        return Ok(Store::open_with_recovery(db, &Zeroizing::new(recovery))?);
    }
    let user = env_or_prompt("LDN_USER", "Username: ", false)?;
    let password = env_or_prompt("LDN_PASSWORD", "Password: ", true)?;
    match Store::open(db, &user, &password) {
        Err(StoreError::Damaged(why)) if read_only_if_damaged => {
            eprintln!("ldn: warning: the database is damaged ({why}).");
            eprintln!(
                "ldn: showing what can still be read, read-only; restore the latest backup with"
            );
            eprintln!("ldn:   ldn db restore BACKUP_FILE --db NEW_PATH");
            Ok(Store::open_read_only(db, &user, &password)?)
        }
        other => Ok(other?),
    }
}

pub(crate) fn print(text: &str) -> Result<(), CliError> {
    writeln!(std::io::stdout().lock(), "{text}").map_err(|e| CliError::Output(e.to_string()))
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))
}

pub fn init(db: &Path) -> Result<ExitCode, CliError> {
    let user = env_or_prompt("LDN_USER", "First administrator's username: ", false)?;
    let display = std::env::var("LDN_DISPLAY_NAME").unwrap_or_else(|_| user.to_string());
    let password = env_or_prompt("LDN_PASSWORD", "Password (10 characters or more): ", true)?;
    let (store, recovery) = Store::create(
        db,
        &NewStaff {
            username: &user,
            display_name: &display,
            password: &password,
            role: Role::Admin,
        },
    )?;
    eprintln!(
        "Created {} with administrator {}.",
        db.display(),
        user.as_str()
    );
    eprintln!("RECOVERY KEY: the emergency way into this database if every password is lost.");
    eprintln!("Print it or write it down and lock it away. It is shown only this once:");
    print(&recovery)?;
    if let Some(root) = store.root_fingerprint()? {
        eprintln!(
            "ROOT KEY FINGERPRINT (write it on the same paper; `ldn db verify --root` checks it):"
        );
        eprintln!("{root}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn set_up_signatures(db: &Path) -> Result<ExitCode, CliError> {
    let recovery =
        Zeroizing::new(
            std::env::var("LDN_RECOVERY_KEY").map_err(|_| StoreError::Invalid {
                field: "LDN_RECOVERY_KEY".into(),
                message: "set it to the recovery key to set up signatures".into(),
            })?,
        );
    let mut store = open(db)?;
    let done = store.establish_root(&recovery)?;
    print(&done.fingerprint)?;
    eprintln!(
        "Signatures are set up. Write the root key fingerprint above beside the recovery key."
    );
    if !done.need_reset.is_empty() {
        eprintln!(
            "These accounts sign in again only after a password reset: {}",
            done.need_reset.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(db: &Path, root: Option<&str>, backups: &[PathBuf]) -> Result<ExitCode, CliError> {
    let store = open_for_reading(db)?;
    // The page check reads the whole file: say what is being checked, and how long each
    // step took, on stderr as it goes.
    let started = std::time::Instant::now();
    let step = |what: &str| eprintln!("[{:6.1} s] {what}…", started.elapsed().as_secs_f64());
    let mut report = match root {
        Some(root) => store.verify_root_reporting(root, step)?,
        None => store.verify_reporting(step)?,
    };
    eprintln!("[{:6.1} s] done", started.elapsed().as_secs_f64());
    for backup in backups {
        report.problems.extend(store.verify_against_backup(backup)?);
    }
    if report.problems.is_empty() {
        print(&format!(
            "{}: ok ({} intake versions, {} audit rows, audit chain intact)",
            db.display(),
            report.intake_versions,
            report.audit_rows
        ))?;
        match &report.root_fingerprint {
            Some(print_) => print(&format!(
                "signatures hold under root key {print_}{}; last signed audit head: {} ({} rows after it not yet signed)",
                if root.is_some() { " (matches the paper)" } else { "" },
                report.last_signed_head.as_deref().unwrap_or("none"),
                report.unsigned_audit_rows
            ))?,
            None => print("signatures are not set up yet: run `ldn db set-up-signatures` with the recovery key")?,
        }
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &report.problems {
            print(&format!("{}: {p}", db.display()))?;
        }
        Ok(ExitCode::from(1))
    }
}

pub fn save(file: &Path, db: &Path, intake_id: Option<i64>) -> Result<ExitCode, CliError> {
    let engine = data_dir::engine(None)?;
    let intake = crate::screen::read_intake(&engine, file)?;
    // Saved as completed: with required questions open, the file must say why.
    let (intake, summary) = engine
        .complete(intake)
        .map_err(|errors| CliError::BadAnswers {
            path: file.display().to_string(),
            errors,
        })?;
    let mut store = open(db)?;
    let saved = store.save_intake(&intake, Some(&summary), intake_id)?;
    // Printed only after the commit has returned: a printed id is a durable save.
    print(&format!("{}", saved.version_id))?;
    eprintln!(
        "saved intake {} version {} ({:?}) for patient {}",
        saved.intake_id, saved.version, saved.status, saved.patient_id
    );
    Ok(ExitCode::SUCCESS)
}

pub fn list(db: &Path, as_json: bool) -> Result<ExitCode, CliError> {
    let mut store = open_for_reading(db)?;
    let rows = store.list_intakes()?;
    if as_json {
        print(&json(&rows)?)?;
    } else if rows.is_empty() {
        print("no intakes yet")?;
    } else {
        for r in rows {
            print(&format!(
                "{:>6}  {}  {} (born {})  v{} {}  {}",
                r.intake_id,
                r.saved_at,
                r.patient,
                r.birth_date,
                r.versions,
                r.status.as_str(),
                r.verdict
                    .map_or("not screened".into(), |v| format!("{v:?}").to_lowercase())
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(id: i64, db: &Path, as_json: bool) -> Result<ExitCode, CliError> {
    let mut store = open_for_reading(db)?;
    let detail = store.show_intake(id)?;
    let signoffs = store.signoffs(id)?;
    if as_json {
        let mut value =
            serde_json::to_value(&detail).map_err(|e| CliError::Output(e.to_string()))?;
        value["signoffs"] =
            serde_json::to_value(&signoffs).map_err(|e| CliError::Output(e.to_string()))?;
        print(&json(&value)?)?;
    } else {
        print(&format!(
            "Intake {}: {} (born {})",
            detail.intake_id, detail.patient, detail.birth_date
        ))?;
        for v in &detail.versions {
            let verdict = v.summary.as_ref().map_or("not screened".into(), |s| {
                format!("{:?}", s.verdict).to_lowercase()
            });
            let saves = match v.saves {
                1 => String::new(),
                n => format!(", {n} saves"),
            };
            print(&format!(
                "  version {} ({}{saves}) saved {} by {}: {}",
                v.version,
                v.status.as_str(),
                v.saved_at,
                v.saved_by,
                verdict
            ))?;
        }
        for o in &signoffs {
            print(&format!(
                "  sign-off of version {}: {} by {} at {}: {}",
                o.version,
                o.decision.as_str(),
                o.clinician,
                o.signed_at,
                o.signature
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn backup(db: &Path, out: &Path) -> Result<ExitCode, CliError> {
    let mut store = open(db)?;
    let counts = store.backup(out)?;
    print(&format!(
        "wrote {} ({} patients, {} intake versions, {} staff accounts)",
        out.display(),
        counts.patients,
        counts.intake_versions,
        counts.staff
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub fn restore(backup: &Path, db: &Path) -> Result<ExitCode, CliError> {
    let header = ldn_store::restore(backup, db)?;
    let store = open(db)?;
    let problems = store.verify_restore(header.as_ref())?;
    if problems.is_empty() {
        print(&format!(
            "restored {} into {}: integrity, audit chain and counts verified",
            backup.display(),
            db.display()
        ))?;
        Ok(ExitCode::SUCCESS)
    } else {
        for p in problems {
            print(&format!("{}: {p}", db.display()))?;
        }
        Ok(ExitCode::from(1))
    }
}
