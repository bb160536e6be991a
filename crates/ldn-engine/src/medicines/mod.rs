//! The medicine table (`data/medicines/`) and the recogniser that turns a free-text line into
//! ingredients. A line is matched name by name, longest name first; a word that is neither part
//! of a known name nor a known dosing word leaves the line `unrecognized`. Nothing is guessed:
//! there is no fuzzy matching.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::medicine_files::StreetUse;
use crate::summary::MedicationResult;

mod build;
mod recognize;
mod suggest;
mod tokens;

pub use tokens::tokenize;

/// The rule classes the engine gives meaning to; rules may name only these.
pub const OPIOID: &str = "opioid";
pub const OPIOID_ANTIDIARRHEAL: &str = "opioid_antidiarrheal";
pub const KNOWN_CLASSES: &[&str] = &[
    OPIOID,
    OPIOID_ANTIDIARRHEAL,
    "benzodiazepine",
    "thioridazine",
    "disulfiram",
    "naltrexone",
    "hepatotoxic",
    "implies_opioid",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ingredient {
    pub name: String,
    pub classes: Vec<String>,
    pub long_acting: bool,
    pub moud: bool,
    pub washout_note: Option<String>,
    pub name_es: Option<String>,
    pub street: Option<StreetUse>,
    pub depot_forms: bool,
    /// The RxNorm ingredient concept, where the table gives one.
    pub rxcui: Option<String>,
}

impl Ingredient {
    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Product {
    name: String,
    ingredients: Vec<usize>,
    long_acting: bool,
    ambiguous: Option<String>,
    depot: bool,
    street: bool,
    /// A numbered family: the product each bare number after the name stands for.
    numbers: BTreeMap<String, usize>,
    plain_numbers: Vec<String>,
    number_unknown: Option<String>,
}

impl Product {
    fn numbered(&self) -> bool {
        !self.numbers.is_empty() || self.number_unknown.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Target {
    Ingredient(usize),
    Product(usize),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Name {
    text: String,
    tokens: Vec<String>,
    target: Target,
}

/// A recognised line, with the indices the rules need.
#[derive(Debug, Clone)]
pub struct Recognition {
    pub result: MedicationResult,
    /// Indices into [`MedicineTable::ingredient`].
    pub ingredients: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MedicineTable {
    ingredients: Vec<Ingredient>,
    products: Vec<Product>,
    /// Names by first token, longest first.
    names: BTreeMap<String, Vec<Name>>,
    skip_words: BTreeSet<String>,
    extended_release: BTreeSet<String>,
    depot_words: BTreeSet<String>,
    street_words: BTreeSet<String>,
    number_words: BTreeSet<String>,
    name_count: usize,
}

impl MedicineTable {
    pub fn ingredient(&self, index: usize) -> &Ingredient {
        &self.ingredients[index]
    }

    pub fn ingredients(&self) -> &[Ingredient] {
        &self.ingredients
    }

    pub fn product_count(&self) -> usize {
        self.products.len()
    }

    pub fn name_count(&self) -> usize {
        self.name_count
    }

    /// Every rule class some ingredient carries.
    pub fn classes_in_use(&self) -> BTreeSet<&str> {
        self.ingredients
            .iter()
            .flat_map(|i| i.classes.iter().map(String::as_str))
            .collect()
    }

    fn target_name(&self, target: Target) -> &str {
        match target {
            Target::Ingredient(i) => &self.ingredients[i].name,
            Target::Product(p) => &self.products[p].name,
        }
    }

    fn match_at(&self, tokens: &[String], at: usize) -> Option<&Name> {
        self.names.get(&tokens[at])?.iter().find(|name| {
            tokens.len() - at >= name.tokens.len()
                && tokens[at..at + name.tokens.len()] == name.tokens[..]
        })
    }

    fn skippable(&self, token: &str) -> bool {
        token.starts_with(|c: char| c.is_ascii_digit()) || self.skip_words.contains(token)
    }

    /// A table name as a patient reads it: an ingredient's own Spanish name in Spanish; brand
    /// names are the same in every language.
    pub fn display_name<'a>(
        &'a self,
        name: &'a str,
        language: crate::answers::Language,
    ) -> &'a str {
        if language == crate::answers::Language::Es {
            if let Some(es) = self
                .ingredients
                .iter()
                .find(|i| i.name == name)
                .and_then(|i| i.name_es.as_deref())
            {
                return es;
            }
        }
        name
    }

    /// Products marked as depots or street names, by name.
    pub fn flagged_products(&self) -> impl Iterator<Item = &str> {
        self.products
            .iter()
            .filter(|p| p.depot || p.street)
            .map(|p| p.name.as_str())
    }

    /// Every name and alias in the table, as written there.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.values().flatten().map(|n| n.text.as_str())
    }
}
