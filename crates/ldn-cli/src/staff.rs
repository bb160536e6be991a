//! `ldn staff …` and `ldn passwd`: accounts from the command line, for scripts and the
//! clinic's IT person. The acting account comes from LDN_USER and LDN_PASSWORD (or a prompt),
//! a new password from LDN_NEW_PASSWORD (or a prompt, typed twice).

use std::path::Path;
use std::process::ExitCode;

use ldn_store::{NewStaff, Role, StoreError};
use zeroize::Zeroizing;

use crate::db::{env_or_prompt, json, open, print};
use crate::error::CliError;

/// A new password: LDN_NEW_PASSWORD, or typed twice at a prompt.
fn new_password(prompt: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(v) = std::env::var("LDN_NEW_PASSWORD") {
        return Ok(Zeroizing::new(v));
    }
    let first = env_or_prompt("LDN_NEW_PASSWORD", prompt, true)?;
    let again = env_or_prompt("LDN_NEW_PASSWORD", "Again: ", true)?;
    if first != again {
        return Err(CliError::Store(StoreError::Invalid {
            field: "password".into(),
            message: "the two entries differ".into(),
        }));
    }
    Ok(first)
}

pub fn list(db: &Path, as_json: bool) -> Result<ExitCode, CliError> {
    let store = open(db)?;
    let rows = store.staff()?;
    if as_json {
        print(&json(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in rows {
        let state = match (r.disabled, r.needs_reset, r.must_change_password) {
            (true, _, _) => "disabled",
            (false, true, _) => "needs a password reset",
            (false, false, true) => "active, must choose a password",
            (false, false, false) => "active",
        };
        print(&format!(
            "{:<20} {:<10} {:<30} {}",
            r.username,
            r.role.as_str(),
            r.display_name,
            state
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn add(db: &Path, name: &str, role: Role) -> Result<ExitCode, CliError> {
    let mut store = open(db)?;
    let display = std::env::var("LDN_DISPLAY_NAME").unwrap_or_else(|_| name.to_owned());
    let password = new_password(&format!("First password for {name}: "))?;
    store.add_staff(&NewStaff {
        username: name,
        display_name: &display,
        password: &password,
        role,
    })?;
    eprintln!(
        "Added {name} ({}); they choose their own password at their first login.",
        role.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn set_disabled(db: &Path, name: &str, disabled: bool) -> Result<ExitCode, CliError> {
    let mut store = open(db)?;
    store.set_disabled(name, disabled)?;
    if disabled {
        eprintln!("Disabled {name}; the database key changed, so their password opens nothing.");
    } else {
        eprintln!("Enabled {name}; give them a password with `ldn staff reset {name}`.");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reset(db: &Path, name: &str) -> Result<ExitCode, CliError> {
    let mut store = open(db)?;
    let password = new_password(&format!("Temporary password for {name}: "))?;
    store.reset_password(name, &password)?;
    eprintln!("Reset {name}; they choose their own password at their next login.");
    Ok(ExitCode::SUCCESS)
}

/// The acting account changes its own password: the way through a forced change.
pub fn passwd(db: &Path) -> Result<ExitCode, CliError> {
    let user = env_or_prompt("LDN_USER", "Username: ", false)?;
    let current = env_or_prompt("LDN_PASSWORD", "Current password: ", true)?;
    let mut store = ldn_store::Store::open(db, &user, &current)?;
    let password = new_password("New password: ")?;
    store.change_password(&current, &password)?;
    eprintln!("Changed the password of {}.", user.as_str());
    Ok(ExitCode::SUCCESS)
}
