//! Screening an intake with 20 medicine lines (goal: a median of 100 µs or less), and
//! recognising one line.

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

const LINES: [&str; 20] = [
    "Norco 10/325",
    "sertraline 50 mg",
    "Suboxone 8mg/2mg film",
    "Imodium A-D",
    "kratom capsules",
    "oxycodone ER 10 mg q12h",
    "Tylenol #3",
    "metformin 500 mg twice daily",
    "lisinopril 10 mg",
    "Klonopin 0.5 mg at bedtime",
    "promethazine w/ codeine syrup",
    "Vitamin D3 2000 IU",
    "gabapentin 300 mg tid",
    "Quixolan 20mg",
    "atorvastatin 40",
    "omeprazole 20 mg",
    "fentanyl 25 mcg/hr patch",
    "ibuprofen 400 mg prn",
    "Robitussin",
    "levothyroxine 75 mcg",
];

fn intake_json() -> serde_json::Value {
    let meds: Vec<_> = LINES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if i % 3 == 0 {
                json!({ "name": name, "last_taken": "2026-02-25" })
            } else {
                json!({ "name": name })
            }
        })
        .collect();
    json!({
        "format": "ldn-intake/answers@1",
        "intake_date": "2026-03-02",
        "language": "en",
        "patient": { "given_name": "Bench", "family_name": "Mark", "birth_date": "1970-05-05", "sex_at_birth": "male" },
        "answers": {
            "opioid.current": "yes", "opioid.moud": "no", "allergy.naltrexone": "no",
            "liver.acute_hepatitis": "no", "liver.cirrhosis": "no", "kidney.disease": "mild_moderate",
            "kidney.egfr": 55, "pregnancy.status": "not_applicable", "breastfeeding": "no",
            "mh.depression": "yes", "mh.suicidal_thoughts": "no",
            "mh.phq9": [1, 1, 1, 1, 1, 1, 1, 1, 0], "alcohol.audit_c": [2, 1, 1]
        },
        "medications": meds
    })
}

fn bench(c: &mut Criterion) {
    let engine = ldn_data::engine().expect("bundled data loads");
    let intake = engine
        .validate_answers(&intake_json())
        .expect("valid intake");
    assert_eq!(intake.medications.len(), 20);
    c.bench_function("screen_20_medicines", |b| {
        b.iter(|| engine.screen(std::hint::black_box(&intake)))
    });
    let text = intake_json().to_string();
    c.bench_function("parse_and_screen_20_medicines", |b| {
        b.iter(|| {
            let intake = engine
                .parse_answers(std::hint::black_box(&text))
                .expect("valid");
            engine.screen(&intake)
        })
    });
    c.bench_function("recognize_one_line", |b| {
        b.iter(|| {
            engine.lookup(std::hint::black_box(
                "promethazine w/ codeine syrup 5 ml at night",
            ))
        })
    });
    // What every process pays before it screens: the tables built at compile time...
    c.bench_function("load_bundled_data", |b| {
        b.iter(|| ldn_data::engine().expect("loads"))
    });
    // ...and what `--data DIR` pays: parse and check the TOML files.
    let sources = ldn_data::sources();
    c.bench_function("load_data_files", |b| {
        b.iter(|| ldn_engine::Engine::load(&sources).expect("loads"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
