//! A screened intake as a transaction Bundle a clinic's record system can take in one go:
//! the Patient, the QuestionnaireResponse, the scale totals as Observations, each medicine as
//! a MedicationStatement, one DetectedIssue per finding, a RiskAssessment for the verdict and
//! the earliest start, the clinician's sign-off as a Provenance, and the PDFs given out as
//! DocumentReferences. Every resource carries the rule-set version in `meta.tag`.

use ldn_engine::{
    AnswerValue, Engine, Finding, Intake, MedicationResult, MedicationStatus, QuestionType,
    Severity, Summary, Verdict,
};
use serde_json::{json, Value};

use crate::codes::*;
use crate::documents::{document_reference, Document};
use crate::ids::Ids;
use crate::questionnaire::rules_version_tag;
use crate::response::{response, ResponseStatus};

/// What is exported: the intake and its screening, and what the clinic's records add.
pub struct Record<'a> {
    pub intake: &'a Intake,
    pub summary: &'a Summary,
    pub status: ResponseStatus,
    /// The clinic's medical record number for the patient, when it has one.
    pub mrn: Option<&'a str>,
    pub signoff: Option<SignOff<'a>>,
    pub documents: &'a [Document<'a>],
}

/// The clinician's decision on the screening.
pub struct SignOff<'a> {
    pub clinician: &'a str,
    /// When it was signed: an instant with its time zone (`2026-03-02T10:15:00.000Z`).
    pub signed_at: &'a str,
    /// The decision's code as the store writes it (`start`, `do_not_start`…).
    pub decision: &'a str,
    pub note: &'a str,
}

struct Entries {
    ids: Ids,
    tag: Value,
    entries: Vec<Value>,
}

impl Entries {
    /// Adds a resource under the name `name` (unique in this Bundle); returns its full URL.
    fn add(&mut self, name: &str, mut resource: Value) -> String {
        let full_url = self.ids.full_url(name);
        let kind = resource["resourceType"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        resource["meta"] = json!({"tag": [self.tag.clone()]});
        self.entries.push(json!({
            "fullUrl": full_url,
            "resource": resource,
            "request": {"method": "POST", "url": kind},
        }));
        full_url
    }
}

pub fn bundle(engine: &Engine, record: &Record) -> Value {
    let intake = record.intake;
    let summary = record.summary;
    let answers = serde_json::to_string(intake).unwrap_or_default();
    let screening = serde_json::to_string(summary).unwrap_or_default();
    let mut out = Entries {
        ids: Ids::new(&[&answers, &screening, record.mrn.unwrap_or_default()]),
        tag: rules_version_tag(&summary.rules_version),
        entries: Vec::new(),
    };
    let date = intake.intake_date.to_string();
    // The screening is the app's until a clinician has decided on it.
    let status = if record.signoff.is_some() {
        "final"
    } else {
        "preliminary"
    };

    let patient = out.add("Patient", patient(intake, record.mrn));
    let subject = json!({"reference": patient});

    let response = out.add(
        "QuestionnaireResponse",
        response(engine, intake, record.status, Some(&patient)),
    );
    let mut basis = vec![json!({"reference": response})];

    for (id, total, code, text) in totals(engine, intake) {
        let observation = json!({
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
            "code": {"coding": [{"system": LOINC, "code": code, "display": text}], "text": text},
            "subject": subject,
            "effectiveDateTime": date,
            "valueInteger": total,
            "derivedFrom": [{"reference": response}],
        });
        basis.push(json!({"reference": out.add(&format!("Observation/{id}"), observation)}));
    }

    let statements: Vec<String> = summary
        .medications
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let statement = medication_statement(engine, line, &subject, &date, &response);
            out.add(&format!("MedicationStatement/{i}"), statement)
        })
        .collect();

    for (i, finding) in summary.findings.iter().enumerate() {
        let implicated = finding.medication.and_then(|line| statements.get(line));
        let issue = detected_issue(finding, status, &subject, &date, implicated);
        basis.push(json!({"reference": out.add(&format!("DetectedIssue/{i}"), issue)}));
    }

    let assessment = out.add(
        "RiskAssessment",
        risk_assessment(summary, status, &subject, &date, basis),
    );

    if let Some(signoff) = &record.signoff {
        let decision_label = signoff.decision.replace('_', " ");
        let mut provenance = json!({
            "resourceType": "Provenance",
            "target": [{"reference": assessment}, {"reference": response}],
            "recorded": signoff.signed_at,
            // The activity is the review; what the clinician decided is an extension of it.
            "activity": {"text": "Clinician sign-off of the LDN screening"},
            "agent": [{
                "type": {"coding": [{"system": PROVENANCE_PARTICIPANT, "code": "verifier", "display": "Verifier"}]},
                "who": {"display": signoff.clinician},
            }],
            "extension": [{
                "url": EXT_SIGNOFF_DECISION,
                "valueCodeableConcept": {
                    "coding": [{"system": DECISION_SYSTEM, "code": signoff.decision, "display": decision_label}],
                    "text": decision_label,
                },
            }],
        });
        if !signoff.note.trim().is_empty() {
            provenance["extension"]
                .as_array_mut()
                .into_iter()
                .for_each(|e| {
                    e.push(json!({"url": EXT_SIGNOFF_NOTE, "valueString": signoff.note}))
                });
        }
        out.add("Provenance", provenance);
    }

    for (i, document) in record.documents.iter().enumerate() {
        out.add(
            &format!("DocumentReference/{i}"),
            document_reference(document, &subject),
        );
    }

    json!({
        "resourceType": "Bundle",
        "meta": {"tag": [out.tag]},
        "type": "transaction",
        "entry": out.entries,
    })
}

/// The Patient, with the clinic's MRN. No conditional create on it: the MRN's system is ours,
/// not the record system's, so a search on it would never find the chart there (and could
/// find another clinic's patient); matching the chart is the importing system's work.
fn patient(intake: &Intake, mrn: Option<&str>) -> Value {
    let p = &intake.patient;
    let mut patient = json!({
        "resourceType": "Patient",
        "name": [{"family": p.family_name, "given": [p.given_name]}],
        "birthDate": p.birth_date.to_string(),
    });
    if let Some(sex) = p.sex_at_birth {
        // Administrative gender is the nearest R4 field; the answer was the sex at birth.
        patient["gender"] = sex.as_str().into();
    }
    if let Some(mrn) = mrn.map(str::trim).filter(|m| !m.is_empty()) {
        patient["identifier"] = json!([{
            "use": "usual",
            "type": {"coding": [{"system": V2_0203, "code": "MR", "display": "Medical record number"}]},
            "system": MRN_SYSTEM,
            "value": mrn,
        }]);
    }
    patient
}

/// Each whole scale the data gives a LOINC total for: (question id, total, code, name).
fn totals<'a>(engine: &'a Engine, intake: &'a Intake) -> Vec<(&'a str, u32, &'a str, &'a str)> {
    engine
        .questionnaire()
        .questions
        .iter()
        .filter(|q| q.kind == QuestionType::ItemScale)
        .filter_map(|q| {
            let code = q.loinc.as_ref()?.total.as_deref()?;
            let total = intake.answer(&q.id).and_then(AnswerValue::item_total)?;
            Some((q.id.as_str(), total, code, q.text.en.as_str()))
        })
        .collect()
}

fn medication_statement(
    engine: &Engine,
    line: &MedicationResult,
    subject: &Value,
    date: &str,
    response: &str,
) -> Value {
    // The ingredients with their RxNorm codes, on a contained Medication: a product is not
    // one ingredient, so the codes cannot stand for the whole medicine.
    let table = engine.medicines();
    let ingredients: Vec<Value> = if line.status == MedicationStatus::Recognized {
        line.ingredients
            .iter()
            .map(|name| {
                let rxcui = table
                    .ingredients()
                    .iter()
                    .find(|i| &i.name == name)
                    .and_then(|i| i.rxcui.as_deref());
                let mut concept = json!({"text": name});
                if let Some(code) = rxcui {
                    concept["coding"] = json!([{"system": RXNORM, "code": code, "display": name}]);
                }
                json!({"itemCodeableConcept": concept})
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut medication = json!({
        "resourceType": "Medication",
        "id": "medicine",
        "code": {"text": line.input},
    });
    if !ingredients.is_empty() {
        medication["ingredient"] = Value::Array(ingredients);
    }
    let mut statement = json!({
        "resourceType": "MedicationStatement",
        "contained": [medication],
        // No last dose: the form asked it be left empty while the medicine is still taken. A
        // last dose says when it was last taken, not that it has stopped for good.
        "status": if line.last_taken.is_some() { "unknown" } else { "active" },
        "medicationReference": {"reference": "#medicine", "display": line.input},
        "subject": subject,
        "dateAsserted": date,
        "informationSource": subject,
        "derivedFrom": [{"reference": response}],
    });
    if let Some(last) = line.last_taken {
        statement["effectivePeriod"] = json!({"end": last.to_string()});
    }
    if line.status == MedicationStatus::Unrecognized {
        statement["note"] = json!([{"text": "Not recognised by LDN Intake's medicine table."}]);
    }
    statement
}

fn detected_issue(
    finding: &Finding,
    status: &str,
    subject: &Value,
    date: &str,
    implicated: Option<&String>,
) -> Value {
    let severity = match finding.severity {
        Severity::Contraindicated => "high",
        Severity::Caution => "moderate",
        Severity::Monitor | Severity::Info => "low",
    };
    let category = serde_json::to_value(finding.category)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let evidence: Vec<Value> = finding
        .sources
        .iter()
        .map(|source| {
            let display = match &source.url {
                Some(url) => format!("{} <{url}>", source.citation),
                None => source.citation.clone(),
            };
            json!({"detail": [{"display": display}]})
        })
        .collect();
    let mut issue = json!({
        "resourceType": "DetectedIssue",
        // The rule that raised it; the same for every patient, so not an identifier.
        "extension": [{"url": EXT_RULE, "valueCode": finding.rule}],
        "status": status,
        "code": {
            "coding": [{"system": CATEGORY_SYSTEM, "code": category}],
            "text": finding.title,
        },
        "severity": severity,
        "patient": subject,
        "identifiedDateTime": date,
        "detail": finding.detail,
        "mitigation": [{"action": {"text": finding.action}}],
    });
    if !evidence.is_empty() {
        issue["evidence"] = Value::Array(evidence);
    }
    if let Some(url) = finding.sources.iter().find_map(|s| s.url.as_deref()) {
        issue["reference"] = url.into();
    }
    if let Some(statement) = implicated {
        issue["implicated"] = json!([{"reference": statement}]);
    }
    issue
}

fn risk_assessment(
    summary: &Summary,
    status: &str,
    subject: &Value,
    date: &str,
    basis: Vec<Value>,
) -> Value {
    let (code, verdict) = match summary.verdict {
        Verdict::NoContraindicationFound => {
            ("no_contraindication_found", "No contraindication found")
        }
        Verdict::NeedsReview => ("needs_review", "Needs a clinician's review"),
        Verdict::Contraindicated => ("contraindicated", "Contraindicated"),
    };
    let start = match summary.earliest_start {
        Some(start) => format!("Earliest start: {start}."),
        None => "No start date can be given yet.".to_owned(),
    };
    let urgent = if summary.urgent {
        " Urgent: a finding needs attention today."
    } else {
        ""
    };
    let mut assessment = json!({
        "resourceType": "RiskAssessment",
        "status": status,
        "subject": subject,
        "occurrenceDateTime": date,
        "method": {"text": format!("LDN Intake screening rules {}", summary.rules_version)},
        "basis": basis,
        "prediction": [{
            "outcome": {"coding": [{"system": VERDICT_SYSTEM, "code": code, "display": verdict}], "text": verdict},
            "rationale": format!("{verdict}. {start}{urgent}"),
        }],
        "note": [{"text": format!("{start}{urgent}")}],
    });
    if let Some(start) = summary.earliest_start {
        assessment["extension"] =
            json!([{"url": EXT_EARLIEST_START, "valueDate": start.to_string()}]);
    }
    assessment
}
