//! The shapes of the medicine table's data files (`data/medicines/*.toml`).

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngredientRow {
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub long_acting: bool,
    #[serde(default)]
    pub moud: bool,
    #[serde(default)]
    pub synonyms: Vec<String>,
    #[serde(default)]
    pub washout_note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngredientsFile {
    pub format: String,
    pub ingredients: BTreeMap<String, IngredientRow>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductRow {
    pub ingredients: Vec<String>,
    #[serde(default)]
    pub long_acting: bool,
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub ambiguous: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductsFile {
    pub format: String,
    pub products: BTreeMap<String, ProductRow>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFile {
    pub format: String,
    pub extended_release: Vec<String>,
    pub units: Vec<String>,
    pub forms: Vec<String>,
    pub salts: Vec<String>,
    pub dosing: Vec<String>,
    pub reasons: Vec<String>,
}
