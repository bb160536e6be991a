//! Screening: answers in, Summary out. Rules come from data; this module only applies them and
//! the contract's verdict, urgency and earliest-start arithmetic.

use chrono::NaiveDate;

use crate::answers::{Intake, Language};
use crate::facts::{Facts, LineFacts};
use crate::questionnaire::Localized;
use crate::rules::{Rule, StartHold, Subject};
use crate::summary::{Finding, Summary, SUMMARY_FORMAT};
use crate::template;
use crate::Engine;

/// Names every rule text may use, whatever its subject.
pub const INTAKE_VARIABLES: &[&str] = &[
    "intake_date",
    "age",
    "phq9",
    "audit_c",
    "phq2",
    "phq9_item9",
    "answer:<question id>",
    "medicines:<class>",
];
/// Names added for rules about one medicine line.
pub const MEDICINE_VARIABLES: &[&str] = &[
    "medicine",
    "product",
    "ingredients",
    "acting",
    "last_taken",
    "washout_days",
    "washout_end",
    "unsure_note",
    "reason",
];
/// Names added for the unanswered-questions rule.
pub const UNANSWERED_VARIABLES: &[&str] = &["missing"];

const NOT_RECORDED: &str = "not recorded";

pub(crate) fn screen(engine: &Engine, intake: &Intake) -> Summary {
    let facts = Facts::gather(
        intake,
        &engine.questionnaire,
        &engine.medicines,
        &engine.rules.washout,
    );
    let mut findings: Vec<(usize, Finding, Hold)> = Vec::new();
    let mut add = |order: usize, rule: &Rule, line: Option<(usize, &LineFacts)>| {
        let hold = hold(rule, line.map(|(_, l)| l));
        let mut finding = finding(engine, rule, &facts, line.map(|(_, l)| l));
        finding.holds_start = hold.delays(intake.intake_date);
        finding.medication = line.map(|(index, _)| index);
        findings.push((order, finding, hold));
    };
    for (order, rule) in engine.rules.rules.iter().enumerate() {
        match rule.when.subject() {
            Subject::Intake => {
                if rule.when.holds(&facts, &engine.medicines) {
                    add(order, rule, None);
                }
            }
            Subject::Unanswered => {
                if !facts.missing.is_empty() {
                    add(order, rule, None);
                }
            }
            Subject::EachMedicine => {
                for line in facts
                    .lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| rule.when.matches_line(l, &engine.medicines))
                {
                    add(order, rule, Some(line));
                }
            }
        }
    }
    // Most serious first; within a severity, rule-file order; the line order is already fixed.
    findings.sort_by(|a, b| b.1.severity.cmp(&a.1.severity).then(a.0.cmp(&b.0)));

    let earliest_start = earliest_start(intake.intake_date, findings.iter().map(|f| f.2));
    let low_start = low_start(engine, &facts, &findings);
    let findings: Vec<Finding> = findings.into_iter().map(|(_, f, _)| f).collect();
    let urgent = findings.iter().any(|f| f.urgent);
    Summary {
        format: SUMMARY_FORMAT.to_owned(),
        verdict: Summary::verdict_for(&findings, urgent),
        urgent,
        earliest_start,
        findings,
        medications: facts.lines.iter().map(|l| l.result.clone()).collect(),
        scores: facts.scores,
        rules_version: engine.rules_version.clone(),
        low_start,
    }
}

/// Why the low-start plan is proposed: the findings of rules that call for it, then the
/// answers the rule set names (ME/CFS, long COVID).
fn low_start(engine: &Engine, facts: &Facts, findings: &[(usize, Finding, Hold)]) -> Vec<String> {
    let mut because: Vec<String> = Vec::new();
    for (order, finding, _) in findings {
        if engine.rules.rules[*order].low_start && !because.contains(&finding.title) {
            because.push(finding.title.clone());
        }
    }
    for reason in &engine.rules.low_start {
        if reason.when.holds(facts, &engine.medicines) {
            because.push(reason.because.clone());
        }
    }
    because
}

/// What one finding does to the earliest start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    Nothing,
    Until(NaiveDate),
    Unknown,
}

impl Hold {
    /// Whether this hold alone puts the start after the intake date or makes it unknown.
    fn delays(self, intake_date: NaiveDate) -> bool {
        match self {
            Hold::Nothing => false,
            Hold::Until(date) => date > intake_date,
            Hold::Unknown => true,
        }
    }
}

fn hold(rule: &Rule, line: Option<&LineFacts>) -> Hold {
    match rule.holds_start {
        None => Hold::Nothing,
        Some(StartHold::Unknown) => Hold::Unknown,
        // A line still taken, a depot, or (never, once the data are checked) a line without a
        // washout: no date can be computed, so none is given.
        Some(StartHold::WashoutEnd) => line
            .and_then(|l| l.washout.as_ref())
            .and_then(|w| w.end)
            .map_or(Hold::Unknown, Hold::Until),
    }
}

/// The contract's earliest start: unknown while any finding holds it as unknown; otherwise
/// the latest date a finding holds it to, never before the intake date.
fn earliest_start(intake_date: NaiveDate, holds: impl Iterator<Item = Hold>) -> Option<NaiveDate> {
    let mut start = intake_date;
    for hold in holds {
        match hold {
            Hold::Nothing => {}
            Hold::Until(date) => start = start.max(date),
            Hold::Unknown => return None,
        }
    }
    Some(start)
}

/// Variables whose value is a date: ISO in clinician texts, the page's own words in patient
/// texts.
const DATE_VARIABLES: &[&str] = &["intake_date", "last_taken", "washout_end"];

fn finding(engine: &Engine, rule: &Rule, facts: &Facts, line: Option<&LineFacts>) -> Finding {
    // Clinician texts name products as the intake does; each patient text in its own language.
    let value = |name: &str| variable(engine, rule, facts, line, facts.intake.language, name);
    let patient_text_in = |language: Language| {
        let patient_value = |name: &str| {
            let raw = variable(engine, rule, facts, line, language, name)?;
            match raw.parse::<NaiveDate>() {
                Ok(date) if DATE_VARIABLES.contains(&name) => {
                    Some(engine.rules.patient_dates.write(date, language))
                }
                _ => Some(raw),
            }
        };
        sentence_case(template::fill(
            rule.patient_text.get(language),
            patient_value,
        ))
    };
    let patient_texts = Localized {
        en: patient_text_in(Language::En),
        es: patient_text_in(Language::Es),
    };
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        category: rule.category,
        title: rule.title.clone(),
        detail: template::fill(&rule.detail, value),
        action: template::fill(&rule.action, value),
        patient_text: patient_texts.get(facts.intake.language).to_owned(),
        sources: rule
            .sources
            .iter()
            .filter_map(|id| engine.rules.sources.get(id).cloned())
            .collect(),
        reviewed: rule.reviewed,
        urgent: rule.urgent,
        holds_start: false,
        patient_texts: Some(patient_texts),
        medication: None,
    }
}

/// A text that begins with a table name ("methadone contains…") begins a sentence.
fn sentence_case(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

fn variable(
    engine: &Engine,
    rule: &Rule,
    facts: &Facts,
    line: Option<&LineFacts>,
    language: Language,
    name: &str,
) -> Option<String> {
    let intake = facts.intake;
    let or_not_recorded = |v: Option<String>| v.unwrap_or_else(|| NOT_RECORDED.to_owned());
    if let Some(id) = name.strip_prefix("answer:") {
        return Some(or_not_recorded(intake.answer(id).map(|a| a.display())));
    }
    if let Some(class) = name.strip_prefix("medicines:") {
        let lines: Vec<&str> = facts
            .lines
            .iter()
            .filter(|l| l.has_class(class, &engine.medicines))
            .map(|l| l.result.input.as_str())
            .collect();
        return Some(lines.join(", "));
    }
    let value = match name {
        "intake_date" => intake.intake_date.to_string(),
        "age" => intake.age_years().to_string(),
        "phq9" => or_not_recorded(facts.scores.phq9.map(|s| s.to_string())),
        "audit_c" => or_not_recorded(facts.scores.audit_c.map(|s| s.to_string())),
        "phq2" => or_not_recorded(facts.scores.phq2.map(|s| s.to_string())),
        "phq9_item9" => or_not_recorded(facts.phq9_item(9).map(|s| s.to_string())),
        // The questions as the clinician reads them, not their ids.
        "missing" => facts
            .missing
            .iter()
            .map(|id| {
                engine
                    .questionnaire
                    .question(id)
                    .map_or_else(|| id.clone(), |q| format!("“{}”", q.text.en))
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => return line.and_then(|l| line_variable(engine, rule, l, language, name)),
    };
    Some(value)
}

fn line_variable(
    engine: &Engine,
    rule: &Rule,
    line: &LineFacts,
    language: crate::answers::Language,
    name: &str,
) -> Option<String> {
    let table = &engine.medicines;
    // The ingredients the rule is about ("codeine"), or all of them when it names no class.
    let relevant: Vec<usize> = match rule.when.line_class() {
        Some(class) => line
            .ingredients
            .iter()
            .copied()
            .filter(|&i| table.ingredient(i).has_class(class))
            .collect(),
        None => line.ingredients.clone(),
    };
    let washout = line.washout.as_ref();
    let value = match name {
        "medicine" => line.result.input.clone(),
        // The table's own names, not what was typed ("Imodium", not "imodium 2mg 16 a day").
        "product" => {
            if line.result.matched.is_empty() {
                line.result.input.clone()
            } else {
                line.result
                    .matched
                    .iter()
                    .map(|m| table.display_name(m, language))
                    .collect::<Vec<_>>()
                    .join(" + ")
            }
        }
        "ingredients" => relevant
            .iter()
            .map(|&i| table.ingredient(i).name.as_str())
            .collect::<Vec<_>>()
            .join(" and "),
        "acting" => if line.result.depot {
            "depot"
        } else if line.result.street {
            "street or unregulated"
        } else if line.result.long_acting {
            "long-acting"
        } else {
            "short-acting"
        }
        .to_owned(),
        "last_taken" => line
            .result
            .last_taken
            .map_or_else(|| NOT_RECORDED.to_owned(), |d| d.to_string()),
        "washout_days" => washout.map_or(0, |w| w.days).to_string(),
        "washout_end" => washout
            .and_then(|w| w.end)
            .map_or_else(|| NOT_RECORDED.to_owned(), |d| d.to_string()),
        "unsure_note" => relevant
            .iter()
            .filter_map(|&i| table.ingredient(i).washout_note.as_deref())
            .collect::<String>(),
        "reason" => line.result.reason.clone().unwrap_or_default(),
        _ => return None,
    };
    Some(value)
}
