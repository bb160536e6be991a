//! The shapes of the medicine table's data files (`data/medicines/*.toml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
    /// The name a Spanish-speaking patient reads ("metadona"), when it differs.
    #[serde(default)]
    pub es: Option<String>,
    /// Bought on the street or as an unregulated supplement: the longer washout and a drug
    /// screen before the first dose.
    #[serde(default)]
    pub street: Option<StreetUse>,
    /// A line naming this ingredient with one of the vocabulary's `depot` words (injection,
    /// implant, monthly…) is a depot: no washout can be computed.
    #[serde(default)]
    pub depot_forms: bool,
    /// The RxNorm ingredient concept (term type IN), for records sent to an EHR.
    #[serde(default)]
    pub rxcui: Option<String>,
}

/// When an ingredient counts as bought on the street.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreetUse {
    /// Whatever the line says (heroin, kratom).
    Always,
    /// Only when named by itself: not through a product, and without an extended-release word
    /// such as "patch" (fentanyl).
    Unbranded,
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
    /// A depot or implant (Sublocade): no washout can be computed from its last dose.
    #[serde(default)]
    pub depot: bool,
    /// A street name or counterfeit pill (percs, M30).
    #[serde(default)]
    pub street: bool,
    /// A family sold by number ("Tylenol 3"): the number after the name picks the product.
    #[serde(default)]
    pub numbers: BTreeMap<String, String>,
    /// Numbers after the name that are this product's own strengths ("Tylenol 500").
    #[serde(default)]
    pub plain_numbers: Vec<String>,
    /// Why a line with any other number after the name is not recognised.
    #[serde(default)]
    pub number_unknown: Option<String>,
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
    /// Words that make a line with a `depot_forms` ingredient a depot.
    pub depot: Vec<String>,
    /// Words that make an opioid line a street opioid ("street", "fake", "pressed").
    pub street: Vec<String>,
    /// Words that may stand between a numbered family's name and its number ("No. 3").
    pub number_words: Vec<String>,
}
