//! Turning laid-out pages into PDF bytes: fonts embedded and subset, page sizes exact, and the
//! same input always giving the same bytes (fixed resource names, the intake date as the
//! document date, an /ID derived from the content).

use chrono::NaiveDate;
use printpdf::{FontId, Op, PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect};
use sha2::{Digest, Sha256};

use crate::fonts::Fonts;
use crate::HandoutError;

/// Six capital letters: printpdf names each embedded subset "<id>+<font>", and PDF readers
/// recognise a subset by such a tag.
pub const REGULAR_ID: &str = "LDNREG";
pub const BOLD_ID: &str = "LDNBLD";

pub fn font_ids() -> (FontId, FontId) {
    (FontId(REGULAR_ID.to_owned()), FontId(BOLD_ID.to_owned()))
}

pub fn assemble(
    title: &str,
    date: NaiveDate,
    fonts: &Fonts,
    (width, height): (f32, f32),
    pages: Vec<Vec<Op>>,
) -> Result<Vec<u8>, HandoutError> {
    let mut doc = PdfDocument::new(title);
    let (regular, bold) = font_ids();
    doc.resources
        .fonts
        .map
        .insert(regular, printpdf::PdfFont::new(fonts.regular.clone()));
    doc.resources
        .fonts
        .map
        .insert(bold, printpdf::PdfFont::new(fonts.bold.clone()));
    let timestamp = date
        .and_hms_opt(12, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(timestamp) {
        doc.metadata.info.creation_date = when;
        doc.metadata.info.modification_date = when;
        doc.metadata.info.metadata_date = when;
    }
    doc.metadata.info.creator = "LDN Intake".to_owned();
    doc.metadata.info.producer = "LDN Intake (printpdf)".to_owned();
    let page_box = Rect::from_wh(Pt(width), Pt(height));
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage {
            media_box: page_box.clone(),
            trim_box: page_box.clone(),
            crop_box: page_box.clone(),
            ops,
        })
        .collect();
    doc.with_pages(pages);

    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    // printpdf writes a random /ID; replace it with a digest of the page content so that the
    // same input gives the same bytes.
    let mut hasher = Sha256::new();
    for (_, object) in lo.objects.iter() {
        if let lopdf::Object::Stream(stream) = object {
            hasher.update(&stream.content);
        }
    }
    let id: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::string_literal(id.clone()),
            lopdf::Object::string_literal(id),
        ]),
    );
    compress_streams(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| HandoutError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// Deflates every stream not yet compressed. lopdf's own `compress` uses the slowest level,
/// which costs more time than it saves bytes on these small documents.
fn compress_streams(doc: &mut lopdf::Document) -> Result<(), HandoutError> {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(2));
        encoder
            .write_all(&stream.content)
            .map_err(|e| HandoutError::Pdf(e.to_string()))?;
        let compressed = encoder
            .finish()
            .map_err(|e| HandoutError::Pdf(e.to_string()))?;
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    Ok(())
}
