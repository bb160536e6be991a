//! LDN Intake's printable documents: the patient handout, the clinician summary and the
//! wallet card, as PDF bytes. No files are read or written here; fonts and text are compiled
//! in from `data/`. The documents only display the engine's Summary: nothing clinical is
//! decided here.

mod card;
mod fonts;
mod handout;
mod html;
mod layout;
mod pdf;
mod recovery;
mod report;
mod text;

use std::str::FromStr;

use ldn_engine::{ChosenPlan, FieldError, Intake, Language, Summary, TitrationProtocol};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use card::wallet_card;
pub use handout::{patient_handout, patient_handout_html};
pub use recovery::{recovery_sheet, RecoverySheet};
pub use report::clinician_summary;
pub use text::{fill, Texts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    Letter,
    A4,
}

impl Paper {
    /// Width and height in points: exactly 612 × 792 (US Letter) or 595.28 × 841.89 (A4).
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (210.0 * 72.0 / 25.4, 297.0 * 72.0 / 25.4),
        }
    }
}

impl FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Paper, String> {
        match s.to_ascii_lowercase().as_str() {
            "letter" => Ok(Paper::Letter),
            "a4" => Ok(Paper::A4),
            other => Err(format!(
                "paper must be \"letter\" or \"a4\", not \"{other}\""
            )),
        }
    }
}

/// The clinic as printed in document headers and on the wallet card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clinic {
    pub name: String,
    #[serde(default)]
    pub address: String,
    pub phone: String,
}

/// Which dose plan the handout prints.
#[derive(Debug, Clone, Copy)]
pub enum DosePlan<'a> {
    /// Nobody has chosen a plan for this patient yet: the clinic's standard plan, unless the
    /// engine proposes a low start, which the clinic then sets.
    ClinicDefault(&'a TitrationProtocol),
    /// Chosen for this patient, at sign-off or on the command line.
    Chosen(&'a ChosenPlan),
    /// The clinician decided not to start LDN, or to refer: no plan, no date.
    NotStarting,
}

impl DosePlan<'_> {
    fn protocol(&self) -> Option<&TitrationProtocol> {
        match self {
            DosePlan::ClinicDefault(p) => Some(p),
            DosePlan::Chosen(c) => Some(&c.protocol),
            DosePlan::NotStarting => None,
        }
    }

    /// Refuses a protocol that cannot be printed, naming its step.
    pub fn validate(&self) -> Result<(), HandoutError> {
        match self.protocol() {
            Some(p) => p.validate().map_err(HandoutError::Protocol),
            None => Ok(()),
        }
    }
}

/// Everything a document is made from.
#[derive(Debug, Clone, Copy)]
pub struct DocumentInput<'a> {
    pub intake: &'a Intake,
    pub summary: &'a Summary,
    pub clinic: &'a Clinic,
    pub paper: Paper,
    pub language: Language,
    pub plan: DosePlan<'a>,
    /// What the clinician summary says about the decision; the other documents ignore it.
    pub attestation: &'a Attestation,
}

/// The clinician's decision as the summary prints it, and the clinic's root key fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attestation {
    /// None before a clinician signed off: the summary then has boxes to tick by hand.
    pub signoff: Option<SignedDecision>,
    /// To compare with the recovery key sheet; none until the clinic set up signatures.
    pub root_fingerprint: Option<String>,
}

impl Attestation {
    /// Nothing signed, no root: a summary made outside the clinic's database.
    pub const NONE: Attestation = Attestation {
        signoff: None,
        root_fingerprint: None,
    };
}

/// An electronic sign-off, with whether its signature held when the summary was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDecision {
    /// The decision's id: "start", "start_with_caution", "do_not_start" or "refer".
    pub decision: String,
    pub clinician: String,
    /// When it was signed, as the store writes times (UTC, RFC 3339).
    pub signed_at: String,
    pub note: String,
    /// The signature check in words, e.g. "signature valid, signed by cleo".
    pub signature: String,
}

/// A finished document.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Characters no bundled font has; each was printed as a visible '?'.
    pub unprintable: Vec<char>,
}

impl Rendered {
    /// One warning per character that could not be printed, for the user to see.
    pub fn warnings(&self) -> Vec<String> {
        self.unprintable
            .iter()
            .map(|c| {
                format!(
                    "the character '{c}' (U+{:04X}) is not in the bundled fonts and was printed as '?'",
                    u32::from(*c)
                )
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
#[non_exhaustive]
pub enum HandoutError {
    #[error("the bundled fonts could not be read")]
    Font,
    #[error("{file}: {message}")]
    Text { file: String, message: String },
    #[error("titration protocol: {0}")]
    Protocol(FieldError),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// Parses the bundled fonts now (about 2 ms), so that the first document does not wait for
/// them. Safe to call from another thread while the caller does other work.
pub fn prepare() -> Result<(), HandoutError> {
    fonts::fonts().map(|_| ())
}

/// The patient's name as printed.
pub(crate) fn patient_name(intake: &Intake) -> String {
    format!(
        "{} {}",
        intake.patient.given_name, intake.patient.family_name
    )
}

/// Lays out blocks on pages of `paper` and writes the PDF, dated `date`.
pub(crate) fn render(
    (paper, date): (Paper, chrono::NaiveDate),
    title: &str,
    footer: &str,
    page_label: impl Fn(usize, usize) -> String,
    draw: impl FnOnce(&mut layout::Composer),
) -> Result<Rendered, HandoutError> {
    let fonts = fonts::fonts()?;
    let (width, height) = paper.size();
    let (regular, bold) = pdf::font_ids();
    let mut composer = layout::Composer::new(
        fonts,
        regular,
        bold,
        layout::PageSetup {
            width,
            height,
            margin: 50.0,
        },
    );
    draw(&mut composer);
    let (pages, missing) = composer.finish(footer, page_label);
    let count = pages.len();
    let pdf = pdf::assemble(title, date, fonts, (width, height), pages)?;
    Ok(Rendered {
        pdf,
        pages: count,
        unprintable: missing.into_iter().collect(),
    })
}
