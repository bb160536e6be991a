//! The clinical data LDN Intake ships with. `build.rs` checked it with the engine when this
//! crate was compiled and wrote the engine's tables, so [`engine`] only reads them back: a
//! process starts screening without parsing or checking the TOML files again. Edited data
//! (`ldn rules check DIR`, `--data DIR`) goes through [`ldn_engine::Engine::load`] instead.

use ldn_engine::{DataError, DataSources, Engine};

const TABLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/engine-tables.bin"));

/// The engine over the bundled data.
pub fn engine() -> Result<Engine, DataError> {
    Engine::from_prebuilt(TABLES)
}

/// The text of the bundled data files, for checking them again or starting an edited copy.
pub fn sources() -> DataSources {
    DataSources {
        questionnaire: include_str!("../../../data/questionnaire.toml").to_owned(),
        rules: include_str!("../../../data/rules.toml").to_owned(),
        ingredients: include_str!("../../../data/medicines/ingredients.toml").to_owned(),
        products: include_str!("../../../data/medicines/products.toml").to_owned(),
        vocabulary: include_str!("../../../data/medicines/vocabulary.toml").to_owned(),
    }
}
