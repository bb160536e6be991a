//! Building the medicine table from its three files: every name and alias indexed by its first
//! word, and every problem an edit could make (unknown ingredients, names used twice, flags on
//! the wrong kind of row) reported rather than guessed around.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{tokenize, Ingredient, MedicineTable, Name, Product, Target, KNOWN_CLASSES, OPIOID};
use crate::error::Problem;
use crate::medicine_files::{IngredientsFile, ProductsFile, VocabularyFile};

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
            names: BTreeMap::new(),
            skip_words: BTreeSet::new(),
            extended_release: vocabulary
                .extended_release
                .iter()
                .flat_map(|w| tokenize(w))
                .collect(),
            depot_words: vocabulary.depot.iter().flat_map(|w| tokenize(w)).collect(),
            street_words: vocabulary.street.iter().flat_map(|w| tokenize(w)).collect(),
            number_words: vocabulary
                .number_words
                .iter()
                .flat_map(|w| tokenize(w))
                .collect(),
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
                .push(Name {
                    text: raw.to_owned(),
                    tokens,
                    target,
                });
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
            let opioid = row.classes.iter().any(|c| c == OPIOID);
            if (row.long_acting || row.moud || row.street.is_some() || row.depot_forms) && !opioid {
                problems.push(Problem {
                    place: place.clone(),
                    message: "long_acting, moud, street and depot_forms apply only to opioids"
                        .into(),
                });
            }
            let index = table.ingredients.len();
            if let Some(rxcui) = row.rxcui.as_deref() {
                if rxcui.is_empty() || !rxcui.bytes().all(|b| b.is_ascii_digit()) {
                    problems.push(Problem {
                        place: place.clone(),
                        message: format!("rxcui \"{rxcui}\" must be an RxNorm concept number"),
                    });
                }
            }
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
                name_es: row.es,
                street: row.street,
                depot_forms: row.depot_forms,
                rxcui: row.rxcui,
            });
        }

        let mut numbered: Vec<(usize, String, BTreeMap<String, String>)> = Vec::new();
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
            let opioid = ingredients
                .iter()
                .any(|&i| table.ingredients[i].has_class(OPIOID));
            if (row.depot || row.street) && !opioid {
                problems.push(Problem {
                    place: place.clone(),
                    message: "depot and street apply only to products with an opioid".into(),
                });
            }
            if !row.numbers.is_empty() {
                numbered.push((index, place.clone(), row.numbers));
            }
            table.products.push(Product {
                name,
                ingredients,
                long_acting: row.long_acting,
                ambiguous: row.ambiguous,
                depot: row.depot,
                street: row.street,
                numbers: BTreeMap::new(),
                plain_numbers: row.plain_numbers,
                number_unknown: row.number_unknown,
            });
        }
        for (index, place, numbers) in numbered {
            for (number, product) in numbers {
                let found = table.products.iter().position(|p| p.name == product);
                match found {
                    Some(p) if number.chars().all(|c| c.is_ascii_digit()) => {
                        table.products[index].numbers.insert(number, p);
                    }
                    Some(_) => problems.push(Problem {
                        place: place.clone(),
                        message: format!("numbers: \"{number}\" is not a whole number"),
                    }),
                    None => problems.push(Problem {
                        place: place.clone(),
                        message: format!(
                            "numbers: \"{product}\" is not a product in products.toml"
                        ),
                    }),
                }
            }
            if table.products[index].number_unknown.is_none() {
                problems.push(Problem {
                    place: place.clone(),
                    message: "a numbered family needs number_unknown: why another number is not understood".into(),
                });
            }
        }

        for list in [
            &vocabulary.units,
            &vocabulary.forms,
            &vocabulary.salts,
            &vocabulary.dosing,
            &vocabulary.reasons,
            &vocabulary.extended_release,
            &vocabulary.depot,
            &vocabulary.street,
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
}
