//! Plain-text views of a summary and a medicine line, for a terminal.

use std::fmt::Write;

use ldn_engine::{Intake, MedicationResult, MedicationStatus, OpioidKind, Summary, Verdict};

pub fn summary_text(intake: &Intake, summary: &Summary) -> String {
    let mut s = String::new();
    let p = &intake.patient;
    // Writing into a String cannot fail.
    let _ = writeln!(
        s,
        "LDN screening: {} {}, born {}, intake {}",
        p.given_name, p.family_name, p.birth_date, intake.intake_date
    );
    let verdict = match summary.verdict {
        Verdict::Contraindicated => "CONTRAINDICATED",
        Verdict::NeedsReview => "NEEDS REVIEW",
        Verdict::NoContraindicationFound => "no contraindication found",
    };
    let _ = writeln!(s, "Verdict: {verdict}");
    if summary.urgent {
        let _ = writeln!(
            s,
            "URGENT: possible suicide risk. The clinician must see the patient today."
        );
    }
    let start = summary
        .earliest_start
        .map_or_else(|| "cannot be known yet".to_owned(), |d| d.to_string());
    let _ = writeln!(s, "Earliest start: {start}");
    if summary.findings.is_empty() {
        let _ = writeln!(s, "\nFindings: none");
    } else {
        let _ = writeln!(s, "\nFindings:");
    }
    for f in &summary.findings {
        let severity = serde_json::to_value(f.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let held = if f.holds_start {
            " — holds the start date"
        } else {
            ""
        };
        let _ = writeln!(s, "  [{severity}] {} ({}){held}", f.title, f.rule);
        let _ = writeln!(s, "    Why: {}", f.detail);
        let _ = writeln!(s, "    Do: {}", f.action);
        let sources: Vec<&str> = f.sources.iter().map(|x| x.citation.as_str()).collect();
        let _ = writeln!(
            s,
            "    Sources: {} (reviewed {})",
            sources.join("; "),
            f.reviewed
        );
    }
    if !summary.medications.is_empty() {
        let _ = writeln!(s, "\nMedicines:");
        for m in &summary.medications {
            let _ = writeln!(s, "  {}", medication_text(m));
        }
    }
    let show = |v: Option<u32>| v.map_or_else(|| "not asked".to_owned(), |n| n.to_string());
    let _ = writeln!(
        s,
        "\nScores: PHQ-9 {}, AUDIT-C {}",
        show(summary.scores.phq9),
        show(summary.scores.audit_c)
    );
    let _ = write!(s, "Rules version: {}", summary.rules_version);
    s
}

pub fn medication_text(m: &MedicationResult) -> String {
    let mut s = format!("{} -> ", m.input);
    match m.status {
        MedicationStatus::Recognized => {
            let _ = write!(s, "{}", m.ingredients.join(" + "));
        }
        MedicationStatus::Unrecognized => {
            let reason = m.reason.as_deref().unwrap_or("not recognised");
            let _ = write!(s, "NOT RECOGNISED ({reason})");
            if !m.ingredients.is_empty() {
                let _ = write!(s, "; found {}", m.ingredients.join(" + "));
            }
        }
    }
    match m.opioid_kind() {
        Some(OpioidKind::ShortActing) => s.push_str(" [OPIOID, short-acting]"),
        Some(OpioidKind::LongActing) => s.push_str(" [OPIOID, long-acting]"),
        Some(OpioidKind::Street) => s.push_str(" [OPIOID, street: 14 days and a drug screen]"),
        Some(OpioidKind::Depot) => s.push_str(" [OPIOID, depot: no washout date]"),
        Some(OpioidKind::Antidiarrheal) => s.push_str(" [opioid antidiarrheal]"),
        None => {}
    }
    let other: Vec<&str> = m
        .classes
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with("opioid"))
        .collect();
    if !other.is_empty() {
        let _ = write!(s, " [{}]", other.join(", "));
    }
    if let Some(d) = m.last_taken {
        let _ = write!(s, " last taken {d}");
    }
    s
}
