//! Reading a QuestionnaireResponse's items: each must be an item of our Questionnaire, in
//! its place, answered once with a value of its type. Values go into the answers file as it
//! writes them; the engine checks them afterwards.

use std::collections::{BTreeMap, HashMap, HashSet};

use ldn_engine::{Engine, FieldError, Question, QuestionType};
use serde_json::{Map, Value};

use crate::codes::*;
use crate::form::{self, PatientField, Target};

pub(super) struct Reader<'a> {
    index: HashMap<String, Target<'a>>,
    /// Each item's parent in the Questionnaire: an item elsewhere is refused, not read.
    parents: HashMap<String, Option<String>>,
    pub(super) errors: Vec<FieldError>,
    /// Items answered once per response (all but a medicine line's).
    seen: HashSet<String>,
    pub(super) patient: Map<String, Value>,
    answers: Map<String, Value>,
    /// Each scale's items as found, by question.
    scales: HashMap<&'a str, (&'a Question, BTreeMap<usize, u8>)>,
    pub(super) medications: Vec<Value>,
}

/// A medicine line being read: its place in the answers file and what it holds so far.
struct Line {
    index: usize,
    fields: Map<String, Value>,
    seen: HashSet<String>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(engine: &'a Engine) -> Reader<'a> {
        Reader {
            index: form::index(engine.questionnaire()),
            parents: form::parents(&crate::questionnaire::questionnaire(engine)),
            errors: Vec::new(),
            seen: HashSet::new(),
            patient: Map::new(),
            answers: Map::new(),
            scales: HashMap::new(),
            medications: Vec::new(),
        }
    }

    pub(super) fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// The response's top-level items.
    pub(super) fn read(&mut self, items: &[Value]) {
        self.items(items, "item", None, None);
    }

    fn items(
        &mut self,
        items: &[Value],
        path: &str,
        parent: Option<&str>,
        mut line: Option<&mut Line>,
    ) {
        for (i, item) in items.iter().enumerate() {
            let here = format!("{path}[{i}]");
            let Some(link_id) = item.get("linkId").and_then(Value::as_str) else {
                self.fail(here, "must be an item with a linkId");
                continue;
            };
            let Some(&target) = self.index.get(link_id) else {
                self.fail(
                    format!("item \"{link_id}\""),
                    "is not an item of the LDN Intake questionnaire",
                );
                continue;
            };
            let expected = self.parents.get(link_id).cloned().flatten();
            if expected.as_deref() != parent {
                let place =
                    |p: Option<&str>| p.map_or("the top".to_owned(), |p| format!("\"{p}\""));
                self.fail(
                    format!("item \"{link_id}\""),
                    format!(
                        "belongs under {}, not {}",
                        place(expected.as_deref()),
                        place(parent)
                    ),
                );
                continue;
            }
            self.item(item, link_id, target, &here, line.as_deref_mut());
        }
    }

    fn item(
        &mut self,
        item: &Value,
        link_id: &str,
        target: Target<'a>,
        path: &str,
        mut line: Option<&mut Line>,
    ) {
        let repeated = match (&target, &line) {
            // A line is a repeating group; text shown carries no answer.
            (Target::MedicationLine | Target::Display, _) => false,
            (_, Some(line)) => line.seen.contains(link_id),
            (_, None) => !self.seen.insert(link_id.to_owned()),
        };
        if repeated {
            match line.as_deref() {
                Some(l) => {
                    let field = self.field_name(target, Some(l.index));
                    self.fail(field, "appears twice in one medicine line");
                }
                None => self.fail(format!("item \"{link_id}\""), "appears twice"),
            }
            return;
        }
        if let Some(line) = line.as_deref_mut() {
            line.seen.insert(link_id.to_owned());
        }
        let answers = match item.get("answer") {
            None => Vec::new(),
            Some(Value::Array(answers)) => answers.iter().collect(),
            Some(_) => {
                self.fail(format!("item \"{link_id}\""), "answer must be a list");
                return;
            }
        };
        if answers.iter().any(|a| a.get("item").is_some()) {
            self.fail(
                format!("item \"{link_id}\""),
                "has items under an answer; this questionnaire has none there",
            );
            return;
        }
        let children = item.get("item").and_then(Value::as_array);
        let nested = |reader: &mut Self, line: Option<&mut Line>| {
            if let Some(children) = children {
                reader.items(children, &format!("{path}.item"), Some(link_id), line);
            }
        };
        match target {
            Target::Group | Target::Display | Target::MedicationLine if !answers.is_empty() => {
                self.fail(format!("item \"{link_id}\""), "takes no answer");
            }
            Target::Group | Target::Display => nested(self, None),
            Target::Question(question) if question.kind == QuestionType::ItemScale => {
                if !answers.is_empty() {
                    self.fail(
                        format!("answers.{link_id}"),
                        "takes its answers in its items",
                    );
                }
                nested(self, None);
            }
            Target::MedicationLine => {
                let mut line = Line {
                    index: self.medications.len(),
                    fields: Map::new(),
                    seen: HashSet::new(),
                };
                nested(self, Some(&mut line));
                self.medications.push(Value::Object(line.fields));
            }
            _ => {
                // Only help text sits under a question; anything else there is refused by
                // the parent check, never skipped.
                nested(self, None);
                let field = self.field_name(target, line.as_deref().map(|l| l.index));
                let value = match answers.as_slice() {
                    [] => return,
                    many if repeats(target) => {
                        let values: Option<Vec<Value>> =
                            many.iter().map(|a| self.value(target, a, &field)).collect();
                        values.map(Value::Array)
                    }
                    [one] => self.value(target, one, &field),
                    many => {
                        self.fail(field, format!("has {} answers; it takes one", many.len()));
                        return;
                    }
                };
                let Some(value) = value else { return };
                self.store(target, value, line);
            }
        }
    }

    /// The answers file's name for an item, so messages match those for an answers file.
    fn field_name(&self, target: Target, line: Option<usize>) -> String {
        match target {
            Target::Patient(field) => format!("patient.{}", field.key()),
            Target::MedicationName => format!("medications[{}].name", line.unwrap_or(0)),
            Target::MedicationLastTaken => {
                format!("medications[{}].last_taken", line.unwrap_or(0))
            }
            Target::Question(question) => format!("answers.{}", question.id),
            Target::ScaleItem(question, index) => {
                format!("answers.{} item {}", question.id, index + 1)
            }
            Target::Group | Target::Display | Target::MedicationLine => String::new(),
        }
    }

    /// The answer's value as the answers file writes it; the engine checks it afterwards.
    fn value(&mut self, target: Target, answer: &Value, field: &str) -> Option<Value> {
        let (key, expected) = match target {
            Target::Patient(PatientField::BirthDate) | Target::MedicationLastTaken => {
                ("valueDate", "a date (valueDate)")
            }
            Target::Patient(PatientField::SexAtBirth) | Target::ScaleItem(..) => {
                ("valueCoding", "a coding (valueCoding)")
            }
            Target::Question(question) => match question.kind {
                QuestionType::TriState | QuestionType::Choice | QuestionType::MultiChoice => {
                    ("valueCoding", "a coding (valueCoding)")
                }
                QuestionType::Number => ("valueDecimal", "a number (valueDecimal)"),
                QuestionType::Text | QuestionType::ItemScale => {
                    ("valueString", "text (valueString)")
                }
            },
            _ => ("valueString", "text (valueString)"),
        };
        let raw = match (key, answer.get(key)) {
            (_, Some(raw)) => raw,
            // Integers are decimals to the engine; some forms write whole numbers as such.
            ("valueDecimal", None) if answer.get("valueInteger").is_some() => {
                &answer["valueInteger"]
            }
            _ => {
                self.fail(field, format!("must be answered with {expected}"));
                return None;
            }
        };
        if key != "valueCoding" {
            return Some(raw.clone());
        }
        let system = raw.get("system").and_then(Value::as_str);
        if system.is_some_and(|s| s != ANSWER_SYSTEM) {
            self.fail(field, format!("must be a coding from {ANSWER_SYSTEM}"));
            return None;
        }
        let Some(code) = raw.get("code").and_then(Value::as_str) else {
            self.fail(field, "must be a coding with a code");
            return None;
        };
        if let Target::ScaleItem(question, _) = target {
            let max = question.max.unwrap_or(0.0);
            return match code.parse::<u8>() {
                Ok(v) if f64::from(v) <= max => Some(Value::from(v)),
                _ => {
                    self.fail(
                        field,
                        format!("must be a whole number from 0 to {max}, not \"{code}\""),
                    );
                    None
                }
            };
        }
        Some(Value::from(code))
    }

    fn store(&mut self, target: Target<'a>, value: Value, line: Option<&mut Line>) {
        match (target, line) {
            (Target::Patient(field), _) => {
                self.patient.insert(field.key().into(), value);
            }
            (Target::MedicationName, Some(line)) => {
                line.fields.insert("name".into(), value);
            }
            (Target::MedicationLastTaken, Some(line)) => {
                line.fields.insert("last_taken".into(), value);
            }
            (Target::Question(question), _) => {
                self.answers.insert(question.id.clone(), value);
            }
            (Target::ScaleItem(question, index), _) => {
                if let Some(v) = value.as_u64().and_then(|v| u8::try_from(v).ok()) {
                    self.scales
                        .entry(&question.id)
                        .or_insert_with(|| (question, BTreeMap::new()))
                        .1
                        .insert(index, v);
                }
            }
            _ => {}
        }
    }

    /// Each scale's items into a whole answer, or into `partial_items` when some are missing.
    /// Items carried over from another scale (the PHQ-9's first two, from the PHQ-2) are
    /// taken from it.
    pub(super) fn scales_into_answers(
        &mut self,
        engine: &Engine,
    ) -> (Map<String, Value>, Map<String, Value>) {
        let q = engine.questionnaire();
        let mut answers = std::mem::take(&mut self.answers);
        let mut partial = Map::new();
        let found: HashMap<&str, BTreeMap<usize, u8>> = self
            .scales
            .iter()
            .map(|(id, (_, items))| (*id, items.clone()))
            .collect();
        for (id, (question, items)) in &self.scales {
            let count = question.items.unwrap_or(0);
            let carried = form::carried_items(q, question);
            let source = question
                .prefilled_from
                .as_deref()
                .and_then(|source| found.get(source));
            let values: Vec<Option<u8>> = (0..count)
                .map(|index| {
                    if index < carried {
                        source.and_then(|s| s.get(&index).copied())
                    } else {
                        items.get(&index).copied()
                    }
                })
                .collect();
            if values.iter().all(Option::is_some) {
                answers.insert((*id).to_owned(), values.into_iter().flatten().collect());
            } else {
                partial.insert((*id).to_owned(), values.into());
            }
        }
        (answers, partial)
    }
}

fn repeats(target: Target) -> bool {
    matches!(target, Target::Question(q) if q.kind == QuestionType::MultiChoice)
}
