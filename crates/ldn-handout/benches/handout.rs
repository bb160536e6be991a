//! In-process time to render each document (goal for the handout: a median of 5 ms or less).

use criterion::{criterion_group, criterion_main, Criterion};
use ldn_engine::{Language, TitrationProtocol};
use ldn_handout::{Clinic, DocumentInput, DosePlan, Paper};

fn bench(c: &mut Criterion) {
    let engine = ldn_data::engine().expect("bundled data");
    let answers = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/02-vicodin-yesterday.answers.json"
    ))
    .expect("example intake");
    let intake = engine.parse_answers(&answers).expect("valid");
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
        language: Language::En,
        plan: DosePlan::ClinicDefault(&protocol),
        attestation: &ldn_handout::Attestation::NONE,
    };
    // The first call parses the fonts; the benchmark measures the steady state.
    ldn_handout::patient_handout(&input).expect("renders");
    c.bench_function("patient_handout_letter_en", |b| {
        b.iter(|| ldn_handout::patient_handout(std::hint::black_box(&input)))
    });
    c.bench_function("clinician_summary_letter", |b| {
        b.iter(|| ldn_handout::clinician_summary(std::hint::black_box(&input)))
    });
    c.bench_function("wallet_card_letter", |b| {
        b.iter(|| ldn_handout::wallet_card(std::hint::black_box(&input)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
