//! The wallet card: a cut-out, fold-over card that says the patient takes LDN.

use crate::layout::{Composer, Style, INK, MUTED, RULE};
use ldn_engine::Language;

use crate::text::{fill, CardText, Texts};
use crate::{patient_name, render, DocumentInput, HandoutError, Rendered};

/// ISO/IEC 7810 ID-1, the size of a bank card: 85.6 × 54 mm.
const CARD_W: f32 = 85.6 * 72.0 / 25.4;
const CARD_H: f32 = 54.0 * 72.0 / 25.4;
const PAD: f32 = 9.0;

/// The card in the patient's language; when that is not English, an English card follows,
/// for emergency staff.
pub fn wallet_card(input: &DocumentInput) -> Result<Rendered, HandoutError> {
    let texts = Texts::load(input.language)?;
    let english = match input.language {
        Language::En => None,
        Language::Es => Some(Texts::load(Language::En)?),
    };
    let c = &texts.card;
    let name = patient_name(input.intake);
    let cards: Vec<[Vec<(String, Style)>; 2]> = std::iter::once(&texts)
        .chain(english.as_ref())
        .map(|t| panels(&t.card, &name, input))
        .collect();
    render(
        (input.paper, input.intake.intake_date),
        &c.title,
        &fill(&texts.handout.footer, &[("patient", &name)]),
        |page, pages| {
            fill(
                &texts.handout.page,
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            )
        },
        |composer| {
            let left = composer.setup.margin;
            let top = composer.setup.height - composer.setup.margin;
            let hint = Style::new(9.0, false, MUTED);
            composer.draw_text(left, top - hint.size, &c.cut, hint);
            let mut card_top = top - 24.0;
            for [front, back] in &cards {
                draw_panel(composer, left, card_top, front);
                draw_panel(composer, left + CARD_W, card_top, back);
                // The fold between the two halves.
                composer.stroke_rect(left, card_top - CARD_H, 2.0 * CARD_W, CARD_H, RULE, true);
                card_top -= CARD_H + 30.0;
            }
        },
    )
}

fn panels(c: &CardText, name: &str, input: &DocumentInput) -> [Vec<(String, Style)>; 2] {
    let front = vec![
        (c.title.clone(), Style::new(11.0, true, INK)),
        (c.body.clone(), Style::new(9.0, false, INK)),
        (
            fill(&c.patient, &[("patient", name)]),
            Style::new(8.5, false, INK),
        ),
        (
            fill(&c.clinic, &[("clinic", or_blank(&input.clinic.name))]),
            Style::new(8.5, false, INK),
        ),
        (
            fill(&c.phone, &[("phone", or_blank(&input.clinic.phone))]),
            Style::new(8.5, true, INK),
        ),
    ];
    let back = vec![
        (c.title.clone(), Style::new(9.5, true, INK)),
        (c.back.clone(), Style::new(8.5, false, INK)),
    ];
    [front, back]
}

/// A line to write on when the clinic's details are not set.
fn or_blank(value: &str) -> &str {
    if value.trim().is_empty() {
        "________________"
    } else {
        value
    }
}

/// One side of the card: text wrapped inside the panel, shrunk until it fits.
fn draw_panel(composer: &mut Composer, x: f32, top: f32, lines: &[(String, Style)]) {
    let width = CARD_W - 2.0 * PAD;
    let mut scale = 1.0;
    let wrapped = loop {
        let wrapped: Vec<(Vec<String>, Style)> = lines
            .iter()
            .map(|(text, style)| {
                let style = Style {
                    size: style.size * scale,
                    ..*style
                };
                (composer.wrap(text, style, width), style)
            })
            .collect();
        let height: f32 = wrapped
            .iter()
            .map(|(l, s)| l.len() as f32 * s.line_height() + 2.0)
            .sum();
        if height <= CARD_H - 2.0 * PAD || scale < 0.55 {
            break wrapped;
        }
        scale -= 0.05;
    };
    composer.stroke_rect(x, top - CARD_H, CARD_W, CARD_H, RULE, true);
    let mut y = top - PAD;
    for (lines, style) in wrapped {
        for line in lines {
            composer.draw_text(x + PAD, y - style.size, &line, style);
            y -= style.line_height();
        }
        y -= 2.0;
    }
}
