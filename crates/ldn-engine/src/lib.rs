//! LDN Intake screening engine.
//!
//! Pure: no files, no clock, no database. The clinical content (questionnaire, rules, medicine
//! table) is data handed over by the caller (`ldn-data` holds the bundled data, checked and built
//! into tables at compile time); the engine validates answers, recognises medicines, applies the
//! rules and returns the contract's [`Summary`].

mod answers;
mod check;
mod completion;
mod contract;
mod data;
mod error;
mod facts;
mod medicine_files;
mod medicines;
mod prebuilt;
mod questionnaire;
mod rules;
mod safety;
mod scores;
mod screen;
mod signoff;
mod summary;
mod template;
mod titration;
mod validate;

pub use answers::{AnswerValue, Intake, Language, MedicationLine, Patient, Sex, ANSWERS_FORMAT};
pub use contract::{CONTRACT_QUESTIONS, CONTRACT_REQUIRED};
pub use data::{DataSources, DATA_FILES};
pub use error::{DataError, FieldError, InvalidAnswers, Problem};
pub use facts::WashoutState;
pub use medicines::{tokenize, MedicineTable};
pub use questionnaire::{
    AnswerOption, Localized, LoincCodes, MedicationEntry, PatientEntry, Question, QuestionType,
    Questionnaire, ScaleOption, ShownWhen,
};
pub use rules::{Condition, Rule, RuleSet};
pub use signoff::{SignoffPolicy, SIGNOFF_DECISIONS};
pub use summary::{
    Category, Finding, MedicationResult, MedicationStatus, OpioidKind, Scores, Severity, Source,
    Summary, Verdict, SUMMARY_FORMAT,
};
pub use template::fill as fill_template;
pub use titration::{ChosenPlan, PlanName, PlannedStep, TitrationProtocol, TitrationStep};

use data::parse_toml;
use medicine_files::{IngredientsFile, ProductsFile, VocabularyFile};

/// The loaded, checked clinical data; screening is a method on it.
#[derive(Debug, Clone)]
pub struct Engine {
    questionnaire: Questionnaire,
    rules: RuleSet,
    medicines: MedicineTable,
    rules_version: String,
}

impl Engine {
    /// Parses and checks the data; refuses data with any consistency problem.
    pub fn load(sources: &DataSources) -> Result<Engine, DataError> {
        let engine = Engine::parse(sources)?;
        let problems = engine.problems();
        if problems.is_empty() {
            Ok(engine)
        } else {
            Err(DataError::Inconsistent(problems))
        }
    }

    /// Every problem in a data set, parse errors included (for `ldn rules check`).
    pub fn check(sources: &DataSources) -> Vec<Problem> {
        match Engine::parse(sources) {
            Ok(engine) => engine.problems(),
            Err(DataError::Parse { file, message }) => vec![Problem {
                place: file,
                message,
            }],
            Err(DataError::Inconsistent(problems)) => problems,
        }
    }

    fn parse(sources: &DataSources) -> Result<Engine, DataError> {
        let [q, r, i, p, v] = sources.named();
        let questionnaire: Questionnaire = parse_toml(q.0, q.1)?;
        let rules: RuleSet = parse_toml(r.0, r.1)?;
        let ingredients: IngredientsFile = parse_toml(i.0, i.1)?;
        let products: ProductsFile = parse_toml(p.0, p.1)?;
        let vocabulary: VocabularyFile = parse_toml(v.0, v.1)?;
        let (medicines, table_problems) = MedicineTable::build(ingredients, products, vocabulary);
        if !table_problems.is_empty() {
            return Err(DataError::Inconsistent(table_problems));
        }
        Ok(Engine {
            rules_version: format!("{}+{}", rules.version, sources.digest()),
            questionnaire,
            rules,
            medicines,
        })
    }

    /// Structural problems first; only data that is whole is then screened against the
    /// safety invariant.
    fn problems(&self) -> Vec<Problem> {
        let problems = check::check(&self.questionnaire, &self.rules, &self.medicines);
        if problems.is_empty() {
            safety::start_hold_problems(self)
        } else {
            problems
        }
    }

    /// Parses and validates an answers document (JSON text).
    pub fn parse_answers(&self, json: &str) -> Result<Intake, InvalidAnswers> {
        validate::parse(&self.questionnaire, json)
    }

    /// Validates an answers document already parsed as JSON.
    pub fn validate_answers(&self, value: &serde_json::Value) -> Result<Intake, InvalidAnswers> {
        validate::validate(&self.questionnaire, value)
    }

    /// Checks a patient's name and birth date as an answers document's `patient` is checked,
    /// with `today` as the latest birth date (a correction to the record, not an intake).
    pub fn validate_patient_on(
        &self,
        value: &serde_json::Value,
        today: chrono::NaiveDate,
    ) -> Result<Patient, InvalidAnswers> {
        validate::validate_patient(&self.questionnaire, value, today)
    }

    /// Screens a validated intake. Deterministic: no clock, and the order of the medicine lines
    /// does not matter.
    pub fn screen(&self, intake: &Intake) -> Summary {
        screen::screen(self, intake)
    }

    /// How one medicine line is understood.
    pub fn lookup(&self, line: &str) -> MedicationResult {
        self.medicines.recognize(line).result
    }

    /// Table names beginning with what has been typed, for suggestions while typing.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<String> {
        self.medicines.suggest(typed, limit)
    }

    pub fn questionnaire(&self) -> &Questionnaire {
        &self.questionnaire
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn medicines(&self) -> &MedicineTable {
        &self.medicines
    }

    /// The rule-set version and a digest of all clinical data, as written in each summary.
    pub fn rules_version(&self) -> &str {
        &self.rules_version
    }
}
