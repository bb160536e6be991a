//! The patient handout: plain words in the patient's language.

use ldn_engine::Verdict;

use crate::layout::{Block, Style, Table, BODY, H1, H2, INK, MUTED, SMALL};
use crate::text::{fill, Texts};
use crate::{patient_name, render, DocumentInput, HandoutError, Rendered};

pub fn patient_handout(input: &DocumentInput) -> Result<Rendered, HandoutError> {
    input.protocol.validate().map_err(HandoutError::Protocol)?;
    let texts = Texts::load(input.language)?;
    let t = &texts.handout;
    let name = patient_name(input.intake);
    let blocks = blocks(input, &texts, &name);
    render(
        input,
        &t.title,
        &fill(&t.footer, &[("patient", &name)]),
        |page, pages| {
            fill(
                &t.page,
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            )
        },
        |c| c.layout(&blocks),
    )
}

/// The handout as an HTML page with the same content, for previews. `font_dir` is a URL of
/// the folder holding the bundled NotoSans-*.ttf.
pub fn patient_handout_html(input: &DocumentInput, font_dir: &str) -> Result<String, HandoutError> {
    input.protocol.validate().map_err(HandoutError::Protocol)?;
    let texts = Texts::load(input.language)?;
    let name = patient_name(input.intake);
    let page = match input.paper {
        crate::Paper::Letter => "letter",
        crate::Paper::A4 => "A4",
    };
    Ok(crate::html::document(
        &texts.handout.title,
        &blocks(input, &texts, &name),
        font_dir,
        page,
    ))
}

fn blocks(input: &DocumentInput, texts: &Texts, name: &str) -> Vec<Block> {
    let t = &texts.handout;
    let summary = input.summary;
    let clinic = input.clinic;
    let mut blocks = vec![Block::Paragraph(
        clinic.name.clone(),
        Style::new(12.0, true, INK),
    )];
    if !clinic.address.trim().is_empty() {
        blocks.push(Block::Paragraph(
            clinic.address.clone(),
            Style::new(9.5, false, MUTED),
        ));
    }
    blocks.extend([
        Block::Paragraph(clinic.phone.clone(), Style::new(9.5, false, MUTED)),
        Block::Space(10.0),
        Block::Heading(t.title.clone(), H1),
        Block::Paragraph(
            fill(
                &t.prepared_for,
                &[
                    ("patient", name),
                    ("date", &texts.date(input.intake.intake_date)),
                ],
            ),
            BODY,
        ),
        Block::Space(6.0),
    ]);
    // Findings that hold the start date are told under "When to start", the others here.
    let (holding, other): (Vec<_>, Vec<_>) = summary.findings.iter().partition(|f| f.holds_start);
    let texts_of = |findings: &[&ldn_engine::Finding]| -> Vec<String> {
        findings.iter().map(|f| f.patient_text.clone()).collect()
    };
    if summary.findings.is_empty() {
        blocks.push(Block::Heading(t.before_heading.clone(), H2));
        blocks.push(Block::Paragraph(t.before_none.clone(), BODY));
    } else if !other.is_empty() {
        blocks.push(Block::Heading(t.before_heading.clone(), H2));
        blocks.push(Block::Paragraph(t.before_intro.clone(), BODY));
        blocks.push(Block::Bullets(texts_of(&other), BODY));
    }

    let start = summary.earliest_start.map(|d| texts.date(d));
    let start_text = match (summary.verdict, &start) {
        (Verdict::NoContraindicationFound, Some(d)) => fill(&t.start_ok, &[("start", d)]),
        (Verdict::NeedsReview, Some(d)) => fill(&t.start_review, &[("start", d)]),
        (Verdict::Contraindicated, Some(d)) => fill(&t.start_no_with_date, &[("start", d)]),
        (Verdict::Contraindicated, None) => t.start_no.clone(),
        (_, None) => t.start_unknown.clone(),
    };
    blocks.push(Block::Heading(t.start_heading.clone(), H2));
    blocks.push(Block::Paragraph(start_text, Style { bold: true, ..BODY }));
    if !holding.is_empty() {
        blocks.push(Block::Paragraph(t.start_held.clone(), BODY));
        blocks.push(Block::Bullets(texts_of(&holding), BODY));
    }

    blocks.push(Block::Heading(t.calendar_heading.clone(), H2));
    blocks.push(Block::Paragraph(t.calendar_intro.clone(), BODY));
    blocks.push(Block::Table(calendar(input, texts)));
    if summary.earliest_start.is_none() {
        blocks.push(Block::Paragraph(t.calendar_undated.clone(), SMALL));
    }

    blocks.extend([
        Block::Heading(t.how_heading.clone(), H2),
        Block::Bullets(t.how.clone(), BODY),
        Block::Heading(t.side_heading.clone(), H2),
        Block::Paragraph(t.side_intro.clone(), BODY),
        Block::Table(Table {
            columns: vec![0.36, 0.28, 0.36],
            header: t.side_columns.clone(),
            rows: t.side_rows.clone(),
            style: Style::new(10.0, false, INK),
        }),
        Block::Heading(t.avoid_heading.clone(), H2),
        Block::Paragraph(t.avoid_intro.clone(), BODY),
        Block::Bullets(t.avoid.clone(), BODY),
        Block::Paragraph(t.avoid_ask.clone(), Style { bold: true, ..BODY }),
        Block::Heading(t.surgery_heading.clone(), H2),
        Block::Bullets(t.surgery.clone(), BODY),
        Block::Heading(t.call_heading.clone(), H2),
        Block::Paragraph(
            fill(
                &t.call_clinic,
                &[
                    ("clinic", &input.clinic.name),
                    ("phone", &input.clinic.phone),
                ],
            ),
            Style { bold: true, ..BODY },
        ),
        Block::Bullets(t.call_clinic_items.clone(), BODY),
        Block::Paragraph(t.call_emergency.clone(), Style { bold: true, ..BODY }),
        Block::Bullets(t.call_emergency_items.clone(), BODY),
        Block::Paragraph(t.crisis.clone(), Style { bold: true, ..BODY }),
    ]);
    blocks
}

/// The dose steps: dated from the earliest start when it is known, by day number otherwise.
fn calendar(input: &DocumentInput, texts: &Texts) -> Table {
    let t = &texts.handout;
    let rows = match input.summary.earliest_start {
        Some(start) => input
            .protocol
            .plan(start)
            .iter()
            .map(|step| {
                vec![
                    texts.date(step.from),
                    step.until
                        .map_or_else(|| t.calendar_ongoing.clone(), |d| texts.date(d)),
                    texts.dose(step.dose_mg),
                ]
            })
            .collect(),
        None => input
            .protocol
            .day_ranges()
            .into_iter()
            .map(|(dose, first, last)| {
                let day = |n: u32| fill(&t.calendar_day, &[("day", &n.to_string())]);
                vec![
                    day(first),
                    last.map_or_else(|| t.calendar_ongoing.clone(), day),
                    texts.dose(dose),
                ]
            })
            .collect(),
    };
    Table {
        columns: vec![0.38, 0.38, 0.24],
        header: t.calendar_columns.clone(),
        rows,
        style: Style::new(10.5, false, INK),
    }
}
