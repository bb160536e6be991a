//! The tables written at build time are the engine `Engine::load` makes from the same files.

use ldn_engine::Engine;
use serde_json::{to_value, Value};

fn parts(engine: &Engine) -> [Value; 3] {
    [
        to_value(engine.questionnaire()).unwrap(),
        to_value(engine.rules()).unwrap(),
        to_value(engine.medicines()).unwrap(),
    ]
}

#[test]
fn the_prebuilt_engine_is_the_engine_loaded_from_the_data_files() {
    let prebuilt = ldn_data::engine().expect("the prebuilt tables read back");
    let loaded = Engine::load(&ldn_data::sources()).expect("the bundled data loads");
    assert_eq!(prebuilt.rules_version(), loaded.rules_version());
    assert_eq!(parts(&prebuilt), parts(&loaded));
    // Debug also tells a NaN from an absent number, which JSON values do not.
    let debug = |e: &Engine| {
        format!(
            "{:?} {:?} {:?}",
            e.questionnaire(),
            e.rules(),
            e.medicines()
        )
    };
    assert_eq!(debug(&prebuilt), debug(&loaded));
    assert!(prebuilt.rules().rules.len() > 10);
    assert!(prebuilt.medicines().name_count() > 100);
}

fn replaced(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from} is in the tables"));
    let mut changed = bytes.to_vec();
    changed[at..at + to.len()].copy_from_slice(to.as_bytes());
    changed
}

#[test]
fn tables_written_by_another_format_or_engine_or_cut_short_are_refused() {
    let bytes = ldn_data::engine().unwrap().prebuilt().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let other_version = "9".repeat(version.len());
    for changed in [
        replaced(&bytes, "ldn-engine-tables/1", "ldn-engine-tables/0"),
        replaced(&bytes, version, &other_version),
        bytes[..bytes.len() / 2].to_vec(),
        Vec::new(),
    ] {
        let refused = Engine::from_prebuilt(&changed).expect_err("refused");
        assert!(refused.to_string().contains("prebuilt tables"), "{refused}");
    }
    Engine::from_prebuilt(&bytes).expect("the unchanged tables read back");
}
