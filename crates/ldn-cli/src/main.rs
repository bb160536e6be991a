//! `ldn`: LDN Intake without the desktop app. Exit status: 0 with a result, 1 when a check
//! finds problems, 2 on bad input (the message names the field).

// A short-lived process that builds a PDF allocates and frees large buffers; mimalloc reuses
// them where the system allocator returns them to the kernel and faults them in again
// (about 1,200 page faults per handout instead of 280).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod data_dir;
mod db;
mod documents;
mod error;
mod fhir;
mod meds;
mod render;
mod rules;
mod screen;
mod staff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ldn_engine::{Language, PlanName};
use ldn_handout::Paper;
use ldn_store::Role;

#[derive(Parser)]
#[command(
    name = "ldn",
    version,
    about = "LDN Intake: screen intakes for low-dose naltrexone, headless"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Screen an answers file (ldn-intake/answers@1) and print the summary.
    Screen {
        /// The answers file (JSON).
        file: PathBuf,
        /// Print the contract's summary JSON (ldn-intake/summary@1) instead of text.
        #[arg(long)]
        json: bool,
        /// Use the clinical data in this folder instead of the built-in data.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// Write the patient handout (PDF) for an answers file.
    Handout {
        file: PathBuf,
        #[command(flatten)]
        doc: DocArgs,
        /// Handout language; the intake's language when absent.
        #[arg(long, value_parser = parse_language)]
        lang: Option<Language>,
        /// Clinic settings (TOML: name, address, phone, optional [[titration.steps]] and
        /// [[low_start.steps]]).
        #[arg(long, value_name = "FILE")]
        clinic: Option<PathBuf>,
    },
    /// Write the clinician summary (PDF) for an answers file.
    Report {
        file: PathBuf,
        #[command(flatten)]
        doc: DocArgs,
        #[arg(long, value_name = "FILE")]
        clinic: Option<PathBuf>,
    },
    /// Write the wallet card (PDF) for an answers file.
    Card {
        file: PathBuf,
        #[command(flatten)]
        doc: DocArgs,
        #[arg(long, value_parser = parse_language)]
        lang: Option<Language>,
        #[arg(long, value_name = "FILE")]
        clinic: Option<PathBuf>,
    },
    /// The encrypted local database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Staff accounts in the local database (administrators).
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Change your own password (LDN_USER, LDN_PASSWORD; the new one from LDN_NEW_PASSWORD
    /// or a prompt). Required after an administrator set it.
    Passwd {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Intakes in the local database.
    Intake {
        #[command(subcommand)]
        command: IntakeCommand,
    },
    /// The medicine table.
    Meds {
        #[command(subcommand)]
        command: MedsCommand,
    },
    /// The rule set.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// FHIR R4 for the clinic's health record: the questionnaire, exports and imports.
    Fhir {
        #[command(subcommand)]
        command: fhir::FhirCommand,
    },
}

#[derive(clap::Args)]
struct DocArgs {
    /// Where to write the PDF.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Paper size.
    #[arg(long, default_value = "letter", value_parser = parse_paper)]
    paper: Paper,
    /// The dose plan chosen for this patient: "standard" or "low-start" (from the clinic file,
    /// or the built-in plans). Without it the handout prints the clinic's standard plan, or,
    /// when a low start is proposed, leaves the doses to the clinic.
    #[arg(long, value_name = "NAME", value_parser = parse_plan)]
    protocol: Option<PlanName>,
}

fn parse_plan(s: &str) -> Result<PlanName, String> {
    match s {
        "standard" => Ok(PlanName::Standard),
        "low-start" | "low_start" => Ok(PlanName::LowStart),
        other => Err(format!(
            "protocol must be \"standard\" or \"low-start\", not \"{other}\""
        )),
    }
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    s.parse()
}

fn parse_language(s: &str) -> Result<Language, String> {
    match s {
        "en" => Ok(Language::En),
        "es" => Ok(Language::Es),
        other => Err(format!(
            "language must be \"en\" or \"es\", not \"{other}\""
        )),
    }
}

#[derive(Subcommand)]
enum DbCommand {
    /// Create the database and its first administrator; prints the recovery key once.
    Init {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Check the database's integrity, its audit chain and every signature; exit 1 naming
    /// what is wrong.
    Verify {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The root key fingerprint printed with the recovery key: the database's must match.
        #[arg(long, value_name = "FINGERPRINT")]
        root: Option<String>,
        /// A backup whose signed audit head the database's trail must still contain.
        #[arg(long, value_name = "FILE")]
        backup: Vec<PathBuf>,
    },
    /// Set up signatures in a database made before them (needs LDN_RECOVERY_KEY); prints the
    /// root key fingerprint to keep with the recovery key.
    SetUpSignatures {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Write an encrypted backup of the whole database to one file.
    Backup {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into a new database path, then verify integrity and counts.
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// List the accounts and their state.
    List {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Add an account; its first password (LDN_NEW_PASSWORD or a prompt) must be changed at
    /// its first login. The display name comes from LDN_DISPLAY_NAME.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Disable an account: the database key changes, so its password opens nothing.
    Disable {
        name: String,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Enable a disabled account; it then needs `ldn staff reset`.
    Enable {
        name: String,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Set a temporary password (LDN_NEW_PASSWORD or a prompt), to be changed at next login.
    Reset {
        name: String,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    match s {
        "admin" => Ok(Role::Admin),
        "clinician" => Ok(Role::Clinician),
        "staff" => Ok(Role::Staff),
        other => Err(format!(
            "role must be \"admin\", \"clinician\" or \"staff\", not \"{other}\""
        )),
    }
}

#[derive(Subcommand)]
enum IntakeCommand {
    /// Validate and screen an answers file and save it as a new version; prints its id after
    /// the commit.
    Save {
        file: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Add the version to this intake instead of starting a new one.
        #[arg(long, value_name = "ID")]
        intake: Option<i64>,
    },
    /// List intakes with their latest version.
    List {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show every version of one intake.
    Show {
        id: i64,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum MedsCommand {
    /// Show how one medicine line is understood.
    Lookup {
        /// The line as a patient or staff member would type it, e.g. "Norco 10/325".
        text: String,
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// List table names that start with what was typed.
    Suggest {
        text: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Check the clinical data: sources, review dates, both languages, every id and class named.
    Check {
        /// The data folder to check; the built-in data when absent.
        dir: Option<PathBuf>,
    },
}

impl DocArgs {
    fn options<'a>(
        &'a self,
        file: &'a Path,
        language: Option<Language>,
        clinic: Option<&'a Path>,
    ) -> documents::Options<'a> {
        documents::Options {
            file,
            out: &self.out,
            paper: self.paper,
            language,
            clinic,
            protocol: self.protocol,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Screen { file, json, data } => screen::run(&file, json, data.as_deref()),
        Command::Handout {
            file,
            doc,
            lang,
            clinic,
        } => documents::run(
            documents::Kind::Handout,
            &doc.options(&file, lang, clinic.as_deref()),
        ),
        Command::Report { file, doc, clinic } => documents::run(
            documents::Kind::Report,
            &doc.options(&file, None, clinic.as_deref()),
        ),
        Command::Card {
            file,
            doc,
            lang,
            clinic,
        } => documents::run(
            documents::Kind::Card,
            &doc.options(&file, lang, clinic.as_deref()),
        ),
        Command::Fhir { command } => fhir::run(command),
        Command::Db { command } => match command {
            DbCommand::Init { db } => db::init(&db),
            DbCommand::Verify { db, root, backup } => db::verify(&db, root.as_deref(), &backup),
            DbCommand::SetUpSignatures { db } => db::set_up_signatures(&db),
            DbCommand::Backup { db, out } => db::backup(&db, &out),
            DbCommand::Restore { file, db } => db::restore(&file, &db),
        },
        Command::Staff { command } => match command {
            StaffCommand::List { db, json } => staff::list(&db, json),
            StaffCommand::Add { name, role, db } => staff::add(&db, &name, role),
            StaffCommand::Disable { name, db } => staff::set_disabled(&db, &name, true),
            StaffCommand::Enable { name, db } => staff::set_disabled(&db, &name, false),
            StaffCommand::Reset { name, db } => staff::reset(&db, &name),
        },
        Command::Passwd { db } => staff::passwd(&db),
        Command::Intake { command } => match command {
            IntakeCommand::Save { file, db, intake } => db::save(&file, &db, intake),
            IntakeCommand::List { db, json } => db::list(&db, json),
            IntakeCommand::Show { id, db, json } => db::show(id, &db, json),
        },
        Command::Meds {
            command: MedsCommand::Lookup { text, json, data },
        } => meds::lookup(&text, json, data.as_deref()),
        Command::Meds {
            command: MedsCommand::Suggest { text, limit },
        } => meds::suggest(&text, limit),
        Command::Rules {
            command: RulesCommand::Check { dir },
        } => rules::check(dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ldn: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
