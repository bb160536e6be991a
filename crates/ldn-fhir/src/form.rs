//! The shape of the FHIR form: which linkId stands for what. The Questionnaire is written with
//! these names and imported responses are read through [`index`], so the two cannot drift apart.

use std::collections::HashMap;

use ldn_engine::{Question, QuestionType, Questionnaire};
use serde_json::Value;

pub(crate) const PATIENT_GROUP: &str = "patient";
pub(crate) const MEDICATIONS_GROUP: &str = "medications";
pub(crate) const MEDICATION_NAME: &str = "medications.name";
pub(crate) const MEDICATION_LAST_TAKEN: &str = "medications.last_taken";

/// The patient's details as a portal form asks them; the names are the answers file's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatientField {
    GivenName,
    FamilyName,
    BirthDate,
    SexAtBirth,
}

impl PatientField {
    pub(crate) const ALL: [PatientField; 4] = [
        PatientField::GivenName,
        PatientField::FamilyName,
        PatientField::BirthDate,
        PatientField::SexAtBirth,
    ];

    /// The key in the answers file's `patient` object.
    pub(crate) fn key(self) -> &'static str {
        match self {
            PatientField::GivenName => "given_name",
            PatientField::FamilyName => "family_name",
            PatientField::BirthDate => "birth_date",
            PatientField::SexAtBirth => "sex_at_birth",
        }
    }

    pub(crate) fn link_id(self) -> String {
        format!("{PATIENT_GROUP}.{}", self.key())
    }
}

pub(crate) fn section_link_id(section: &str) -> String {
    format!("section.{section}")
}

/// Item `index` (from 0) of a scale question: `mh.phq9.item3` is the PHQ-9's third item.
pub(crate) fn scale_item_link_id(question: &str, index: usize) -> String {
    format!("{question}.item{}", index + 1)
}

pub(crate) fn help_link_id(owner: &str) -> String {
    format!("{owner}.help")
}

pub(crate) fn stem_link_id(question: &str) -> String {
    format!("{question}.stem")
}

/// How many leading items a scale carries over from another question instead of asking them
/// again (the PHQ-9's first two are the PHQ-2).
pub(crate) fn carried_items(q: &Questionnaire, question: &Question) -> usize {
    question
        .prefilled_from
        .as_deref()
        .and_then(|id| q.question(id))
        .and_then(|source| source.items)
        .unwrap_or(0)
}

/// Every question, retired ones included: a form does not show those (they are hidden), but
/// an older intake that answered one keeps the answer when it travels.
pub(crate) fn questions(q: &Questionnaire) -> impl Iterator<Item = &Question> {
    q.questions.iter()
}

/// What one linkId of the form stands for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// A heading that holds other items (a section, the patient's details).
    Group,
    /// Text shown, never answered (help, a scale's stem).
    Display,
    Patient(PatientField),
    MedicationLine,
    MedicationName,
    MedicationLastTaken,
    Question(&'a Question),
    /// One item of a scale question, counted from 0 over all its items.
    ScaleItem(&'a Question, usize),
}

/// Every linkId of the form and what it stands for.
pub(crate) fn index(q: &Questionnaire) -> HashMap<String, Target<'_>> {
    let mut index = HashMap::new();
    index.insert(PATIENT_GROUP.to_owned(), Target::Group);
    for field in PatientField::ALL {
        index.insert(field.link_id(), Target::Patient(field));
    }
    index.insert(MEDICATIONS_GROUP.to_owned(), Target::MedicationLine);
    index.insert(MEDICATION_NAME.to_owned(), Target::MedicationName);
    index.insert(help_link_id(MEDICATION_NAME), Target::Display);
    index.insert(
        MEDICATION_LAST_TAKEN.to_owned(),
        Target::MedicationLastTaken,
    );
    index.insert(help_link_id(MEDICATION_LAST_TAKEN), Target::Display);
    for section in &q.sections {
        index.insert(section_link_id(&section.id), Target::Group);
    }
    for question in questions(q) {
        index.insert(question.id.clone(), Target::Question(question));
        if question.help.is_some() {
            index.insert(help_link_id(&question.id), Target::Display);
        }
        if question.kind == QuestionType::ItemScale {
            if question.stem.is_some() {
                index.insert(stem_link_id(&question.id), Target::Display);
            }
            for item in carried_items(q, question)..question.items.unwrap_or(0) {
                index.insert(
                    scale_item_link_id(&question.id, item),
                    Target::ScaleItem(question, item),
                );
            }
        }
    }
    index
}

/// Where each item sits in a generated Questionnaire: its parent's linkId (none at the top).
pub(crate) fn parents(questionnaire: &Value) -> HashMap<String, Option<String>> {
    fn walk(parent: Option<&str>, items: &Value, out: &mut HashMap<String, Option<String>>) {
        for item in items.as_array().into_iter().flatten() {
            if let Some(link_id) = item["linkId"].as_str() {
                out.insert(link_id.to_owned(), parent.map(str::to_owned));
                walk(Some(link_id), &item["item"], out);
            }
        }
    }
    let mut out = HashMap::new();
    walk(None, &questionnaire["item"], &mut out);
    out
}
