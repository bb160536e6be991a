//! The patient handout: plain words in the patient's language.

use chrono::NaiveDate;
use ldn_engine::{Finding, PlanName, TitrationProtocol, Verdict};

use crate::layout::{Block, Style, Table, BODY, H1, H2, INK, MUTED, SMALL};
use crate::text::{fill, Texts};
use crate::{patient_name, render, DocumentInput, DosePlan, HandoutError, Rendered};

pub fn patient_handout(input: &DocumentInput) -> Result<Rendered, HandoutError> {
    input.plan.validate()?;
    let texts = Texts::load(input.language)?;
    let t = &texts.handout;
    let name = patient_name(input.intake);
    let blocks = blocks(input, &texts, &name);
    render(
        (input.paper, input.intake.intake_date),
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
    input.plan.validate()?;
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
    let mut blocks = Vec::new();
    if !clinic.name.trim().is_empty() {
        blocks.push(Block::Paragraph(
            clinic.name.clone(),
            Style::new(12.0, true, INK),
        ));
    }
    for line in [&clinic.address, &clinic.phone] {
        if !line.trim().is_empty() {
            blocks.push(Block::Paragraph(
                line.clone(),
                Style::new(9.5, false, MUTED),
            ));
        }
    }
    blocks.extend([
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
        Block::Heading(t.about_heading.clone(), H2),
        Block::Bullets(t.about.clone(), BODY),
    ]);
    // Findings that hold the start date are told under "When to start", the others here.
    let (holding, other): (Vec<&Finding>, Vec<&Finding>) =
        summary.findings.iter().partition(|f| f.holds_start);
    let texts_of = |findings: &[&Finding]| -> Vec<String> {
        findings
            .iter()
            .map(|f| f.patient_text_in(input.language).to_owned())
            .collect()
    };
    let declined = matches!(input.plan, DosePlan::NotStarting);
    if summary.findings.is_empty() && !declined {
        blocks.push(Block::Heading(t.before_heading.clone(), H2));
        blocks.push(Block::Paragraph(t.before_none.clone(), BODY));
    } else if !other.is_empty() {
        blocks.push(Block::Heading(t.before_heading.clone(), H2));
        blocks.push(Block::Paragraph(t.before_intro.clone(), BODY));
        blocks.push(Block::Bullets(texts_of(&other), BODY));
    }

    let start = start_date(input);
    let start_words = start.map(|d| texts.date(d));
    let start_text = match (&start_words, summary.verdict) {
        (None, _) if declined => t.start_declined.clone(),
        (None, _) if summary.no_start_for_now() => t.start_no.clone(),
        (None, _) => t.start_unknown.clone(),
        (Some(d), Verdict::NoContraindicationFound) => fill(&t.start_ok, &[("start", d)]),
        (Some(d), Verdict::NeedsReview) => fill(&t.start_review, &[("start", d)]),
        (Some(d), Verdict::Contraindicated) => fill(&t.start_after_washout, &[("start", d)]),
    };
    blocks.push(Block::Heading(t.start_heading.clone(), H2));
    blocks.push(Block::Paragraph(start_text, Style { bold: true, ..BODY }));
    if !holding.is_empty() {
        blocks.push(Block::Paragraph(t.start_held.clone(), BODY));
        blocks.push(Block::Bullets(texts_of(&holding), BODY));
    }
    blocks.extend(calendar_blocks(input, texts, start));

    if declined || summary.no_start_for_now() {
        // What follows is for later: said before it, so it cannot read as leave to start.
        blocks.push(Block::Paragraph(
            t.read_if_started.clone(),
            Style { bold: true, ..BODY },
        ));
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
        Block::Paragraph(t.overdose.clone(), Style { bold: true, ..BODY }),
        Block::Heading(t.ask_first_heading.clone(), H2),
        Block::Bullets(t.ask_first.clone(), BODY),
        Block::Paragraph(t.avoid_ask.clone(), Style { bold: true, ..BODY }),
        Block::Heading(t.alcohol_heading.clone(), H2),
        Block::Paragraph(t.alcohol.clone(), BODY),
        Block::Heading(t.surgery_heading.clone(), H2),
        Block::Bullets(t.surgery.clone(), BODY),
        Block::Heading(t.call_heading.clone(), H2),
    ]);
    let known = !clinic.name.trim().is_empty() && !clinic.phone.trim().is_empty();
    if known {
        blocks.push(Block::Paragraph(
            fill(
                &t.call_clinic,
                &[("clinic", &clinic.name), ("phone", &clinic.phone)],
            ),
            Style { bold: true, ..BODY },
        ));
    } else {
        // Said once, plainly, where the patient can write the details in.
        blocks.push(Block::Paragraph(t.clinic_details_missing.clone(), BODY));
        blocks.push(Block::Paragraph(
            t.call_clinic_unknown.clone(),
            Style { bold: true, ..BODY },
        ));
    }
    blocks.extend([
        Block::Bullets(t.call_clinic_items.clone(), BODY),
        Block::Paragraph(t.liver_heading.clone(), Style { bold: true, ..BODY }),
        Block::Bullets(t.liver_items.clone(), BODY),
        Block::Paragraph(t.call_emergency.clone(), Style { bold: true, ..BODY }),
        Block::Bullets(t.call_emergency_items.clone(), BODY),
        Block::Paragraph(t.crisis.clone(), Style { bold: true, ..BODY }),
    ]);
    blocks
}

/// The first day LDN may be taken, when the handout may say so: not while the engine says no
/// date can be promised, nor after the clinician decided not to start.
fn start_date(input: &DocumentInput) -> Option<NaiveDate> {
    let declined = matches!(input.plan, DosePlan::NotStarting);
    input
        .summary
        .earliest_start
        .filter(|_| !declined && !input.summary.no_start_for_now())
}

/// The dose calendar: none when LDN is not to be started; the clinic's plan, or the one chosen
/// for this patient, dated from the start when it is known; and when a low start is proposed
/// but nobody has chosen a plan yet, no doses at all: the clinic sets them.
fn calendar_blocks(input: &DocumentInput, texts: &Texts, start: Option<NaiveDate>) -> Vec<Block> {
    let t = &texts.handout;
    let summary = input.summary;
    if summary.no_start_for_now() || matches!(input.plan, DosePlan::NotStarting) {
        return Vec::new();
    }
    let mut blocks = vec![Block::Heading(t.calendar_heading.clone(), H2)];
    let protocol = match input.plan {
        DosePlan::Chosen(chosen) => {
            let plan = match chosen.plan {
                PlanName::Standard => &t.plan_standard,
                PlanName::LowStart => &t.plan_low_start,
            };
            let who = match &chosen.chosen_by {
                Some(clinician) => fill(
                    &t.calendar_chosen,
                    &[("clinician", clinician), ("plan", plan)],
                ),
                None => fill(&t.calendar_chosen_by_clinic, &[("plan", plan)]),
            };
            blocks.push(Block::Paragraph(who, BODY));
            &chosen.protocol
        }
        DosePlan::ClinicDefault(_) if !summary.low_start.is_empty() => {
            blocks.push(Block::Paragraph(
                t.calendar_clinic_sets.clone(),
                Style { bold: true, ..BODY },
            ));
            return blocks;
        }
        DosePlan::ClinicDefault(protocol) => protocol,
        DosePlan::NotStarting => return Vec::new(),
    };
    blocks.push(Block::Paragraph(t.calendar_intro.clone(), BODY));
    blocks.push(Block::Table(calendar(protocol, texts, start)));
    if start.is_none() {
        blocks.push(Block::Paragraph(t.calendar_undated.clone(), SMALL));
    }
    blocks
}

/// The dose steps: dated from the start when it is known, by day number otherwise.
fn calendar(protocol: &TitrationProtocol, texts: &Texts, start: Option<NaiveDate>) -> Table {
    let t = &texts.handout;
    let rows = match start {
        Some(start) => protocol
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
        None => protocol
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
