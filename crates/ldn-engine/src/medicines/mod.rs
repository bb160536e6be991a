//! The medicine table (`data/medicines/`) and the recogniser that turns a free-text line into
//! ingredients. A line is matched name by name, longest name first; a word that is neither part
//! of a known name nor a known dosing word leaves the line `unrecognized`. Nothing is guessed:
//! there is no fuzzy matching.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::error::Problem;
use crate::medicine_files::{IngredientsFile, ProductsFile, VocabularyFile};
use crate::summary::{MedicationResult, MedicationStatus};

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
];

#[derive(Debug, Clone)]
pub struct Ingredient {
    pub name: String,
    pub classes: Vec<String>,
    pub long_acting: bool,
    pub moud: bool,
    pub washout_note: Option<String>,
}

impl Ingredient {
    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
}

#[derive(Debug, Clone)]
struct Product {
    name: String,
    ingredients: Vec<usize>,
    long_acting: bool,
    ambiguous: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Ingredient(usize),
    Product(usize),
}

#[derive(Debug, Clone)]
struct Name {
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

#[derive(Debug, Clone)]
pub struct MedicineTable {
    ingredients: Vec<Ingredient>,
    products: Vec<Product>,
    /// Names by first token, longest first.
    names: HashMap<String, Vec<Name>>,
    skip_words: HashSet<String>,
    extended_release: HashSet<String>,
    name_count: usize,
}

impl MedicineTable {
    /// Builds the table; names that clash or point at unknown ingredients are problems.
    pub fn build(
        ingredients_file: IngredientsFile,
        products_file: ProductsFile,
        vocabulary: VocabularyFile,
    ) -> (MedicineTable, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut table = MedicineTable {
            ingredients: Vec::new(),
            products: Vec::new(),
            names: HashMap::new(),
            skip_words: HashSet::new(),
            extended_release: vocabulary.extended_release.iter().cloned().collect(),
            name_count: 0,
        };
        let mut seen: HashMap<Vec<String>, String> = HashMap::new();
        let mut add_name = |table: &mut MedicineTable,
                            raw: &str,
                            target: Target,
                            owner: &str,
                            problems: &mut Vec<Problem>| {
            let tokens = tokenize(raw);
            if tokens.is_empty() {
                problems.push(Problem {
                    place: owner.to_owned(),
                    message: format!("the name \"{raw}\" has no letters or digits"),
                });
                return;
            }
            if let Some(other) = seen.get(&tokens) {
                problems.push(Problem {
                    place: owner.to_owned(),
                    message: format!("the name \"{raw}\" is also a name of {other}"),
                });
                return;
            }
            seen.insert(tokens.clone(), owner.to_owned());
            table.name_count += 1;
            table
                .names
                .entry(tokens[0].clone())
                .or_default()
                .push(Name { tokens, target });
        };

        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (name, row) in ingredients_file.ingredients {
            let place = format!("ingredients.toml \"{name}\"");
            for class in &row.classes {
                if !KNOWN_CLASSES.contains(&class.as_str()) {
                    problems.push(Problem {
                        place: place.clone(),
                        message: format!(
                            "unknown class \"{class}\" (known: {})",
                            KNOWN_CLASSES.join(", ")
                        ),
                    });
                }
            }
            if (row.long_acting || row.moud) && !row.classes.iter().any(|c| c == OPIOID) {
                problems.push(Problem {
                    place: place.clone(),
                    message: "long_acting and moud apply only to opioids".into(),
                });
            }
            let index = table.ingredients.len();
            by_name.insert(name.clone(), index);
            add_name(
                &mut table,
                &name,
                Target::Ingredient(index),
                &place,
                &mut problems,
            );
            for synonym in &row.synonyms {
                add_name(
                    &mut table,
                    synonym,
                    Target::Ingredient(index),
                    &place,
                    &mut problems,
                );
            }
            table.ingredients.push(Ingredient {
                name,
                classes: row.classes,
                long_acting: row.long_acting,
                moud: row.moud,
                washout_note: row.washout_note,
            });
        }

        for (name, row) in products_file.products {
            let place = format!("products.toml \"{name}\"");
            let mut ingredients = Vec::new();
            for ingredient in &row.ingredients {
                match by_name.get(ingredient) {
                    Some(&i) => ingredients.push(i),
                    None => problems.push(Problem {
                        place: place.clone(),
                        message: format!("ingredient \"{ingredient}\" is not in ingredients.toml"),
                    }),
                }
            }
            if ingredients.is_empty() {
                problems.push(Problem {
                    place: place.clone(),
                    message: "a product needs at least one known ingredient".into(),
                });
            }
            let index = table.products.len();
            add_name(
                &mut table,
                &name,
                Target::Product(index),
                &place,
                &mut problems,
            );
            for alias in &row.also {
                add_name(
                    &mut table,
                    alias,
                    Target::Product(index),
                    &place,
                    &mut problems,
                );
            }
            table.products.push(Product {
                name,
                ingredients,
                long_acting: row.long_acting,
                ambiguous: row.ambiguous,
            });
        }

        for list in [
            &vocabulary.units,
            &vocabulary.forms,
            &vocabulary.salts,
            &vocabulary.dosing,
            &vocabulary.reasons,
            &vocabulary.extended_release,
        ] {
            for word in list {
                table.skip_words.extend(tokenize(word));
            }
        }
        for names in table.names.values_mut() {
            names.sort_by(|a, b| {
                b.tokens
                    .len()
                    .cmp(&a.tokens.len())
                    .then(a.tokens.cmp(&b.tokens))
            });
        }
        (table, problems)
    }

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

    /// How one medicine line is understood.
    pub fn recognize(&self, line: &str) -> Recognition {
        let tokens = tokenize(line);
        let mut matched: Vec<Target> = Vec::new();
        let mut unmatched: Vec<String> = Vec::new();
        let mut at = 0;
        while at < tokens.len() {
            if let Some(name) = self.match_at(&tokens, at) {
                if !matched.contains(&name.target) {
                    matched.push(name.target);
                }
                at += name.tokens.len();
            } else {
                if !self.skippable(&tokens[at]) {
                    unmatched.push(tokens[at].clone());
                }
                at += 1;
            }
        }
        let extended_release = tokens.iter().any(|t| self.extended_release.contains(t));

        let mut ingredients: Vec<usize> = Vec::new();
        let mut product_long_acting = false;
        let mut ambiguity: Option<&str> = None;
        for target in &matched {
            let from: &[usize] = match target {
                Target::Ingredient(i) => std::slice::from_ref(i),
                Target::Product(p) => {
                    let product = &self.products[*p];
                    product_long_acting |= product.long_acting;
                    if ambiguity.is_none() {
                        ambiguity = product.ambiguous.as_deref();
                    }
                    &product.ingredients
                }
            };
            for &i in from {
                if !ingredients.contains(&i) {
                    ingredients.push(i);
                }
            }
        }

        let has = |class: &str| {
            ingredients
                .iter()
                .any(|&i| self.ingredients[i].has_class(class))
        };
        let systemic_opioid = has(OPIOID);
        let long_acting = systemic_opioid
            && (product_long_acting
                || extended_release
                || ingredients.iter().any(|&i| {
                    self.ingredients[i].has_class(OPIOID) && self.ingredients[i].long_acting
                }));
        let classes: BTreeSet<String> = ingredients
            .iter()
            .flat_map(|&i| self.ingredients[i].classes.iter().cloned())
            .collect();

        let reason = if matched.is_empty() {
            Some("no name in the medicine table matches".to_owned())
        } else if let Some(why) = ambiguity {
            Some(why.to_owned())
        } else if !unmatched.is_empty() {
            Some(format!("words not understood: {}", unmatched.join(", ")))
        } else {
            None
        };
        let status = if reason.is_none() {
            MedicationStatus::Recognized
        } else {
            MedicationStatus::Unrecognized
        };

        Recognition {
            result: MedicationResult {
                input: line.to_owned(),
                status,
                ingredients: ingredients
                    .iter()
                    .map(|&i| self.ingredients[i].name.clone())
                    .collect(),
                opioid: systemic_opioid || has(OPIOID_ANTIDIARRHEAL),
                long_acting,
                matched: matched
                    .iter()
                    .map(|&t| self.target_name(t).to_owned())
                    .collect(),
                unmatched,
                reason,
                classes: classes.into_iter().collect(),
                last_taken: None,
            },
            ingredients,
        }
    }
}
