//! Writes the patient handout of an answers file as HTML to stdout, for the PDF benchmark
//! (scripts/bench-pdf prints it with headless Chromium).
//! Usage: cargo run --release -p ldn-handout --example handout_html -- ANSWERS.json FONT_DIR_URL

use ldn_engine::TitrationProtocol;
use ldn_handout::{Clinic, DocumentInput, DosePlan, Paper};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(font_dir)) = (args.next(), args.next()) else {
        return Err("usage: handout_html ANSWERS.json FONT_DIR_URL".into());
    };
    let engine = ldn_data::engine()?;
    let intake = engine.parse_answers(&std::fs::read_to_string(file)?)?;
    let summary = engine.screen(&intake);
    let clinic = Clinic {
        name: "Riverside Family Practice".into(),
        address: "120 Main Street, Springfield, OR 97477".into(),
        phone: "(541) 555-0142".into(),
    };
    let protocol = TitrationProtocol::standard();
    let input = DocumentInput {
        intake: &intake,
        summary: &summary,
        clinic: &clinic,
        paper: Paper::Letter,
        language: intake.language,
        plan: DosePlan::ClinicDefault(&protocol),
        attestation: &ldn_handout::Attestation::NONE,
    };
    print!("{}", ldn_handout::patient_handout_html(&input, &font_dir)?);
    Ok(())
}
