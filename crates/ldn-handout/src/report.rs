//! The clinician summary: verdict, findings with their basis, the medicines as understood,
//! scores, and a sign-off block. In English, whatever the patient's language.

use ldn_engine::{
    Language, MedicationResult, MedicationStatus, OpioidKind, Severity, Sex, Verdict,
};

use crate::layout::{Block, Colour, Style, Table, BODY, H1, H2, INK, MUTED, SMALL, WHITE};
use crate::text::{fill, ReportText, Texts};
use crate::{patient_name, render, Attestation, DocumentInput, HandoutError, Rendered};

const RED: Colour = Colour(0.72, 0.09, 0.09);
const AMBER: Colour = Colour(0.99, 0.86, 0.45);
const GREEN: Colour = Colour(0.84, 0.94, 0.84);

pub fn clinician_summary(input: &DocumentInput) -> Result<Rendered, HandoutError> {
    let texts = Texts::load(Language::En)?;
    let r = texts.report.as_ref().ok_or_else(|| HandoutError::Text {
        file: "handout/en.toml".into(),
        message: "the [report] section is missing".into(),
    })?;
    let name = patient_name(input.intake);
    let mut blocks = blocks(input, &texts, r, &name);
    blocks.extend(decision_blocks(r, input.attestation)?);
    render(
        (input.paper, input.intake.intake_date),
        &r.title,
        &fill(&r.footer, &[("patient", &name)]),
        |page, pages| {
            fill(
                &texts.handout.page,
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            )
        },
        |c| c.layout(&blocks),
    )
}

fn blocks(input: &DocumentInput, texts: &Texts, r: &ReportText, name: &str) -> Vec<Block> {
    let summary = input.summary;
    let intake = input.intake;
    let sex = match intake.patient.sex_at_birth {
        Some(Sex::Female) => "female",
        Some(Sex::Male) => "male",
        Some(Sex::Unknown) | None => "unknown",
    };
    let (verdict, fill_colour, text_colour) = match summary.verdict {
        Verdict::Contraindicated => (&r.verdict_contraindicated, RED, WHITE),
        Verdict::NeedsReview => (&r.verdict_needs_review, AMBER, INK),
        Verdict::NoContraindicationFound => (&r.verdict_none, GREEN, INK),
    };
    let mut blocks = vec![
        Block::Paragraph(
            format!("{} · {}", input.clinic.name, input.clinic.phone),
            Style::new(9.5, false, MUTED),
        ),
        Block::Heading(r.title.clone(), H1),
        Block::Paragraph(
            fill(
                &r.patient,
                &[
                    ("patient", name),
                    ("birth", &intake.patient.birth_date.to_string()),
                    ("sex", sex),
                ],
            ),
            BODY,
        ),
        Block::Paragraph(
            fill(
                &r.intake,
                &[
                    ("date", &intake.intake_date.to_string()),
                    ("version", &summary.rules_version),
                ],
            ),
            BODY,
        ),
        Block::Space(6.0),
        Block::Banner {
            text: fill(&r.verdict, &[("verdict", verdict)]),
            style: Style::new(14.0, true, text_colour),
            fill: fill_colour,
        },
    ];
    if summary.urgent {
        blocks.push(Block::Space(4.0));
        blocks.push(Block::Banner {
            text: r.urgent.clone(),
            style: Style::new(12.0, true, WHITE),
            fill: RED,
        });
    }
    let start = summary.earliest_start.map_or_else(
        || r.earliest_unknown.clone(),
        |d| format!("{d} ({})", texts.date(d)),
    );
    blocks.push(Block::Space(4.0));
    blocks.push(Block::Paragraph(
        fill(&r.earliest, &[("start", &start)]),
        Style { bold: true, ..BODY },
    ));
    let holding: Vec<&str> = summary
        .findings
        .iter()
        .filter(|f| f.holds_start)
        .map(|f| f.title.as_str())
        .collect();
    if !holding.is_empty() {
        blocks.push(Block::Paragraph(
            format!("{}{}", r.held_by, holding.join("; ")),
            BODY,
        ));
    }

    blocks.push(Block::Heading(r.findings_heading.clone(), H2));
    if summary.findings.is_empty() {
        blocks.push(Block::Paragraph(r.findings_none.clone(), BODY));
    }
    for severity in [
        Severity::Contraindicated,
        Severity::Caution,
        Severity::Monitor,
        Severity::Info,
    ] {
        let group: Vec<_> = summary
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let label = match severity {
            Severity::Contraindicated => &r.severity_contraindicated,
            Severity::Caution => &r.severity_caution,
            Severity::Monitor => &r.severity_monitor,
            Severity::Info => &r.severity_info,
        };
        blocks.push(Block::Heading(
            format!("{label} ({})", group.len()),
            Style::new(12.0, true, INK),
        ));
        for f in group {
            let sources: Vec<String> = f
                .sources
                .iter()
                .map(|s| match &s.url {
                    Some(url) => format!("{} {url}", s.citation),
                    None => s.citation.clone(),
                })
                .collect();
            blocks.extend([
                Block::Heading(
                    if f.holds_start {
                        format!("{}{}", f.title, r.holds_start)
                    } else {
                        f.title.clone()
                    },
                    Style::new(10.5, true, INK),
                ),
                Block::Paragraph(
                    format!("{}{}", r.why, f.detail),
                    Style::new(10.0, false, INK),
                ),
                Block::Paragraph(
                    format!("{}{}", r.action, f.action),
                    Style::new(10.0, true, INK),
                ),
                Block::Paragraph(
                    format!("{}{}", r.sources, sources.join(" · ")),
                    Style::new(8.5, false, MUTED),
                ),
                Block::Paragraph(
                    fill(
                        &r.reviewed,
                        &[("rule", &f.rule), ("date", &f.reviewed.to_string())],
                    ),
                    Style::new(8.5, false, MUTED),
                ),
                Block::Space(4.0),
            ]);
        }
    }

    blocks.push(Block::Heading(r.meds_heading.clone(), H2));
    if summary.medications.is_empty() {
        blocks.push(Block::Paragraph(r.meds_none.clone(), BODY));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![0.27, 0.27, 0.16, 0.13, 0.17],
            header: r.meds_columns.clone(),
            rows: summary
                .medications
                .iter()
                .map(|m| medication_row(r, m))
                .collect(),
            style: SMALL,
        }));
    }

    let score = |s: Option<u32>| s.map_or_else(|| r.not_asked.clone(), |v| v.to_string());
    blocks.extend([
        Block::Heading(r.scores_heading.clone(), H2),
        Block::Paragraph(
            fill(
                &r.scores,
                &[
                    ("phq9", &score(summary.scores.phq9)),
                    ("audit_c", &score(summary.scores.audit_c)),
                ],
            ),
            BODY,
        ),
    ]);
    blocks
}

/// The decision: an electronic sign-off with its signature check, or boxes to tick by hand;
/// then the root key fingerprint to compare with paper.
fn decision_blocks(r: &ReportText, attestation: &Attestation) -> Result<Vec<Block>, HandoutError> {
    let mut blocks = vec![Block::Heading(r.signature_heading.clone(), H2)];
    match &attestation.signoff {
        Some(s) => {
            let decision = r
                .decisions
                .get(&s.decision)
                .ok_or_else(|| HandoutError::Text {
                    file: "handout/en.toml".into(),
                    message: format!("[report.decisions] has no name for \"{}\"", s.decision),
                })?;
            // "2026-11-26T18:04:37.123Z" → "2026-11-26 18:04 UTC"
            let time = format!(
                "{} UTC",
                s.signed_at
                    .get(..16)
                    .unwrap_or(&s.signed_at)
                    .replace('T', " ")
            );
            blocks.push(Block::Paragraph(
                fill(
                    &r.signed_decision,
                    &[
                        ("decision", decision),
                        ("clinician", &s.clinician),
                        ("time", &time),
                    ],
                ),
                BODY,
            ));
            if !s.note.is_empty() {
                blocks.push(Block::Paragraph(
                    fill(&r.signed_note, &[("note", &s.note)]),
                    BODY,
                ));
            }
            blocks.push(Block::Paragraph(
                fill(&r.signed_status, &[("status", &s.signature)]),
                BODY,
            ));
        }
        None => blocks.extend([
            Block::Paragraph(r.decision.clone(), BODY),
            Block::Space(14.0),
            Block::Paragraph(r.signature.clone(), BODY),
        ]),
    }
    blocks.push(Block::Space(6.0));
    blocks.push(Block::Paragraph(
        match &attestation.root_fingerprint {
            Some(f) => fill(&r.root_fingerprint, &[("fingerprint", f)]),
            None => r.root_missing.clone(),
        },
        SMALL,
    ));
    Ok(blocks)
}

fn medication_row(r: &ReportText, m: &MedicationResult) -> Vec<String> {
    let opioid = match m.opioid_kind() {
        None => r.not_opioid.clone(),
        Some(OpioidKind::Antidiarrheal) => r.opioid_gut.clone(),
        Some(OpioidKind::LongActing) => r.opioid_long.clone(),
        Some(OpioidKind::ShortActing) => r.opioid_short.clone(),
        Some(OpioidKind::Street) => r.opioid_street.clone(),
        Some(OpioidKind::Depot) => r.opioid_depot.clone(),
    };
    let status = match m.status {
        MedicationStatus::Recognized => r.recognized.clone(),
        MedicationStatus::Unrecognized => match &m.reason {
            Some(reason) => format!("{}: {reason}", r.unrecognized),
            None => r.unrecognized.clone(),
        },
    };
    vec![
        m.input.clone(),
        m.ingredients.join(" + "),
        opioid,
        m.last_taken
            .map_or_else(|| r.still_taking.clone(), |d| d.to_string()),
        status,
    ]
}
