//! Checks on the rule set: sources, review dates, texts in both languages, the conditions'
//! questions, values, classes and placeholders, and how rules hold the start date.

use std::collections::HashSet;

use super::Report;
use crate::contract::PATIENT_DATA;
use crate::medicines::{MedicineTable, KNOWN_CLASSES, OPIOID};
use crate::questionnaire::{QuestionType, Questionnaire};
use crate::rules::{Condition, Rule, RuleSet, StartHold, Subject};
use crate::screen::{INTAKE_VARIABLES, MEDICINE_VARIABLES, UNANSWERED_VARIABLES};
use crate::template;

pub(super) fn check_rule_set(
    report: &mut Report,
    q: &Questionnaire,
    rules: &RuleSet,
    table: &MedicineTable,
) {
    for (id, source) in &rules.sources {
        let place = format!("rules.toml source {id}");
        if source.citation.trim().is_empty() {
            report.add(&place, "the citation is empty");
        }
        if source
            .url
            .as_ref()
            .is_some_and(|u| !u.starts_with("https://"))
        {
            report.add(&place, "the url must start with https://");
        }
    }
    if rules.washout.short_acting_days == 0
        || rules.washout.long_acting_days < rules.washout.short_acting_days
    {
        report.add(
            "rules.toml washout",
            "needs 0 < short_acting_days <= long_acting_days",
        );
    }
    for decision in rules.signoff.against.keys().chain(&rules.signoff.starting) {
        if !crate::signoff::SIGNOFF_DECISIONS.contains(&decision.as_str()) {
            report.add(
                "rules.toml signoff",
                format!(
                    "unknown decision \"{decision}\" (one of {})",
                    crate::signoff::SIGNOFF_DECISIONS.join(", ")
                ),
            );
        }
    }
    for (i, reason) in rules.low_start.iter().enumerate() {
        let place = format!("rules.toml low_start[{i}]");
        if reason.because.trim().is_empty() {
            report.add(&place, "because is empty");
        }
        if reason.sources.is_empty() {
            report.add(&place, "has no sources");
        }
        for source in reason
            .sources
            .iter()
            .filter(|s| !rules.sources.contains_key(*s))
        {
            report.add(&place, format!("unknown source \"{source}\""));
        }
        if reason.when.subject() != Subject::Intake {
            report.add(
                &place,
                "the condition must be about the answers, not medicine lines",
            );
        }
        check_condition(report, q, table, &place, &reason.when, true);
    }
    let mut ids = HashSet::new();
    for rule in &rules.rules {
        if !ids.insert(rule.id.as_str()) {
            report.add(
                format!("rules.toml rule {}", rule.id),
                "the id is used twice",
            );
        }
        check_rule(report, q, rules, table, rule);
    }
    let suicide_rule = rules
        .rules
        .iter()
        .any(|r| r.urgent && r.category == crate::summary::Category::SuicideRisk);
    if !suicide_rule {
        report.add(
            "rules.toml",
            "no urgent suicide_risk rule: the contract requires one",
        );
    }
}

fn check_rule(
    report: &mut Report,
    q: &Questionnaire,
    rules: &RuleSet,
    table: &MedicineTable,
    rule: &Rule,
) {
    let place = format!("rules.toml rule {}", rule.id);
    if rule.sources.is_empty() {
        report.add(&place, "has no sources");
    }
    for source in &rule.sources {
        if !rules.sources.contains_key(source) {
            report.add(&place, format!("unknown source \"{source}\""));
        }
    }
    if rule.reviewed > rules.released {
        report.add(
            &place,
            format!(
                "reviewed {} is after the release date {}",
                rule.reviewed, rules.released
            ),
        );
    }
    for (what, text) in [
        ("title", &rule.title),
        ("detail", &rule.detail),
        ("action", &rule.action),
        ("patient_text.en", &rule.patient_text.en),
        ("patient_text.es", &rule.patient_text.es),
    ] {
        if text.trim().is_empty() {
            report.add(&place, format!("{what} is empty"));
        }
    }
    if rule.uses.is_empty() {
        report.add(&place, "uses lists no patient data");
    }
    for used in &rule.uses {
        if q.question(used).is_none() && !PATIENT_DATA.contains(&used.as_str()) {
            report.add(&place, format!("uses names unknown data \"{used}\""));
        }
    }
    check_condition(report, q, table, &place, &rule.when, true);

    let subject = rule.when.subject();
    let per_line_washout = match &rule.when {
        Condition::Medicine { class, .. } => class == OPIOID,
        Condition::UnrecognizedMedicine => true,
        _ => false,
    };
    if rule.holds_start == Some(StartHold::WashoutEnd) && !per_line_washout {
        report.add(
            &place,
            "holds_start = \"washout_end\" needs a rule on opioid or unrecognized medicine lines",
        );
    }
    for (what, text) in [
        ("detail", &rule.detail),
        ("action", &rule.action),
        ("patient_text.en", &rule.patient_text.en),
        ("patient_text.es", &rule.patient_text.es),
    ] {
        for name in template::placeholders(text) {
            if !placeholder_allowed(q, subject, name) {
                report.add(
                    &place,
                    format!("{what}: no value for {{{name}}} in this kind of rule"),
                );
            }
        }
    }
}

fn placeholder_allowed(q: &Questionnaire, subject: Subject, name: &str) -> bool {
    if let Some(id) = name.strip_prefix("answer:") {
        return q.question(id).is_some();
    }
    if let Some(class) = name.strip_prefix("medicines:") {
        return KNOWN_CLASSES.contains(&class);
    }
    INTAKE_VARIABLES.contains(&name)
        || (subject == Subject::EachMedicine && MEDICINE_VARIABLES.contains(&name))
        || (subject == Subject::Unanswered && UNANSWERED_VARIABLES.contains(&name))
}

fn check_condition(
    report: &mut Report,
    q: &Questionnaire,
    table: &MedicineTable,
    place: &str,
    cond: &Condition,
    top: bool,
) {
    if !top && cond.subject() != Subject::Intake {
        report.add(
            place,
            "medicine-line and unanswered conditions must stand alone, not inside all/any/not",
        );
    }
    let check_class = |report: &mut Report, class: &str| {
        if !KNOWN_CLASSES.contains(&class) {
            report.add(place, format!("unknown medicine class \"{class}\""));
        } else if !table.classes_in_use().contains(class) {
            report.add(
                place,
                format!("no medicine in the table has class \"{class}\""),
            );
        }
    };
    match cond {
        Condition::Answer { question, values } => match q.question(question) {
            None => report.add(place, format!("unknown question {question}")),
            Some(found)
                if !matches!(
                    found.kind,
                    QuestionType::TriState | QuestionType::Choice | QuestionType::MultiChoice
                ) =>
            {
                report.add(
                    place,
                    format!("{question} is not a tri-state or choice question"),
                );
            }
            Some(found) => {
                let allowed = q.allowed_values(found);
                for v in values.iter().filter(|v| !allowed.contains(&v.as_str())) {
                    report.add(place, format!("{question} has no answer value \"{v}\""));
                }
            }
        },
        Condition::Number {
            question,
            at_least,
            below,
        } => {
            if q.question(question)
                .is_none_or(|f| f.kind != QuestionType::Number)
            {
                report.add(place, format!("{question} is not a number question"));
            }
            if at_least.is_none() && below.is_none() {
                report.add(place, "a number condition needs at_least or below");
            }
            // NaN or infinity would make a rule that never holds, or always does.
            for (name, bound) in [("at_least", at_least), ("below", below)] {
                if bound.is_some_and(|v| !v.is_finite()) {
                    report.add(place, format!("{name} must be a finite number"));
                }
            }
        }
        Condition::Phq9Item { item, .. } if !(1..=9).contains(item) => {
            report.add(place, format!("PHQ-9 has items 1 to 9, not {item}"));
        }
        Condition::HasMedicine {
            class,
            ingredient,
            at_least,
            ..
        } => {
            match (class, ingredient) {
                (Some(class), None) => check_class(report, class),
                (None, Some(name)) => {
                    if !table.ingredients().iter().any(|i| &i.name == name) {
                        report.add(place, format!("no ingredient \"{name}\" in the table"));
                    }
                }
                _ => report.add(place, "has_medicine needs one of class or ingredient"),
            }
            if *at_least == 0 {
                report.add(place, "has_medicine: at_least must be 1 or more");
            }
        }
        Condition::Unanswered { question } | Condition::Answered { question }
            if q.question(question).is_none() =>
        {
            report.add(place, format!("unknown question {question}"));
        }
        Condition::Medicine {
            class,
            washout,
            moud,
            street,
        } => {
            check_class(report, class);
            if (washout.is_some() || moud.is_some() || street.is_some()) && class != OPIOID {
                report.add(
                    place,
                    "washout, moud and street apply only to class \"opioid\"",
                );
            }
        }
        _ => {}
    }
    for child in cond.children() {
        check_condition(report, q, table, place, child, false);
    }
}
