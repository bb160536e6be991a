//! FHIR R4 for LDN Intake, so an intake can travel into a clinic's health record as data.
//!
//! - [`questionnaire`]: the questionnaire as an HL7 SDC `Questionnaire`, generated from the
//!   engine's questionnaire data, never kept by hand beside it.
//! - [`response`]: an intake as a `QuestionnaireResponse` against it.
//! - [`bundle`]: a screening as a transaction `Bundle` (patient, answers, findings, verdict,
//!   sign-off, documents).
//! - [`import`]: answers back from a `QuestionnaireResponse` filled in elsewhere, checked like
//!   any answers file.
//!
//! Resources are written as JSON values: the typed FHIR crates generate every resource of the
//! standard (minutes of compiling on a clinic laptop) for the nine we write, and what we write
//! is checked by tools we did not write (the test script validates it with `fhir.resources`
//! and loads the Questionnaire in LHC-Forms).

mod bundle;
mod codes;
mod documents;
mod form;
mod ids;
mod import;
mod questionnaire;
mod response;

pub use bundle::{bundle, Record, SignOff};
pub use codes::{FHIR_VERSION, QUESTIONNAIRE_URL};
pub use documents::{Document, DocumentKind};
pub use import::{answers_from_response, check_answered_on, import};
pub use questionnaire::questionnaire;
pub use response::{response, ResponseStatus};
