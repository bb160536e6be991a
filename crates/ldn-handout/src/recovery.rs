//! The recovery sheet: the clinic's recovery key and root-key fingerprint on paper, printed at
//! set-up and kept away from the workstation. Staff read it, so it is in English.

use chrono::NaiveDate;
use ldn_engine::Language;

use crate::layout::{Block, Style, BODY, H1, H2, INK};
use crate::text::{fill, Texts};
use crate::{render, Clinic, HandoutError, Paper, Rendered};

/// What the sheet prints.
#[derive(Debug, Clone, Copy)]
pub struct RecoverySheet<'a> {
    pub clinic: &'a Clinic,
    pub key: &'a str,
    pub fingerprint: &'a str,
    pub paper: Paper,
    pub date: NaiveDate,
}

pub fn recovery_sheet(sheet: &RecoverySheet) -> Result<Rendered, HandoutError> {
    let texts = Texts::load(Language::En)?;
    let t = texts.recovery.as_ref().ok_or_else(|| HandoutError::Text {
        file: "handout/en.toml".into(),
        message: "the [recovery] section is missing".into(),
    })?;
    // Large and bold, eight groups to a line, so that it is copied without a slip.
    let key_style = Style::new(15.0, true, INK);
    let groups: Vec<&str> = sheet.key.trim().split('-').collect();
    let key_lines = groups
        .chunks(8)
        .map(|line| Block::Paragraph(line.join("-"), key_style));
    let mut blocks = vec![
        Block::Heading(t.title.clone(), H1),
        Block::Paragraph(
            fill(
                &t.printed,
                &[
                    ("clinic", &sheet.clinic.name),
                    ("date", &texts.date(sheet.date)),
                ],
            ),
            BODY,
        ),
        Block::Paragraph(t.intro.clone(), BODY),
        Block::Heading(t.key_heading.clone(), H2),
    ];
    blocks.extend(key_lines);
    blocks.extend([
        Block::Heading(t.fingerprint_heading.clone(), H2),
        Block::Paragraph(sheet.fingerprint.to_owned(), key_style),
        Block::Paragraph(t.fingerprint_help.clone(), BODY),
        Block::Heading(t.keep_heading.clone(), H2),
        Block::Bullets(t.keep.clone(), BODY),
    ]);
    render(
        (sheet.paper, sheet.date),
        &t.title,
        &t.footer,
        |page, pages| {
            fill(
                &texts.handout.page,
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            )
        },
        |composer| composer.layout(&blocks),
    )
}
