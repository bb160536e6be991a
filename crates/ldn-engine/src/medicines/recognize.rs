//! Reading one medicine line against the table: names matched whole, longest first; numbered
//! families read by their number; depot, street and extended-release words; whatever is left
//! over leaves the line unrecognized.

use std::collections::BTreeSet;

use super::{tokenize, MedicineTable, Product, Recognition, Target, OPIOID, OPIOID_ANTIDIARRHEAL};
use crate::medicine_files::StreetUse;
use crate::summary::{MedicationResult, MedicationStatus};

impl MedicineTable {
    /// For a numbered family matched just before `at`: the product its number names, how
    /// many tokens the number took, or why the number is not understood.
    fn numbered_member(&self, product: &Product, tokens: &[String], at: usize) -> NumberRead {
        let mut k = at;
        if tokens.get(k).is_some_and(|t| self.number_words.contains(t))
            && tokens.get(k + 1).is_some_and(|t| starts_with_digit(t))
        {
            k += 1;
        }
        let Some(token) = tokens.get(k).filter(|t| starts_with_digit(t)) else {
            return NumberRead::None;
        };
        let digits: String = token.chars().take_while(char::is_ascii_digit).collect();
        let rest = &token[digits.len()..];
        if rest.is_empty() {
            if let Some(&member) = product.numbers.get(&digits) {
                return NumberRead::Member(member, k + 1 - at);
            }
        }
        let plain =
            product.plain_numbers.contains(&digits) && rest.chars().all(|c| c.is_alphabetic());
        if plain {
            NumberRead::None
        } else {
            NumberRead::Unknown
        }
    }

    /// How one medicine line is understood.
    pub fn recognize(&self, line: &str) -> Recognition {
        let tokens = tokenize(line);
        let mut matched: Vec<Target> = Vec::new();
        let mut unmatched: Vec<String> = Vec::new();
        let mut number_ambiguity: Option<&str> = None;
        let mut at = 0;
        while at < tokens.len() {
            if let Some(name) = self.match_at(&tokens, at) {
                let mut target = name.target;
                at += name.tokens.len();
                if let Target::Product(p) = target {
                    let product = &self.products[p];
                    if product.numbered() {
                        match self.numbered_member(product, &tokens, at) {
                            NumberRead::Member(member, used) => {
                                target = Target::Product(member);
                                at += used;
                            }
                            NumberRead::Unknown => {
                                number_ambiguity = product.number_unknown.as_deref();
                            }
                            NumberRead::None => {}
                        }
                    }
                }
                if !matched.contains(&target) {
                    matched.push(target);
                }
            } else {
                if !self.skippable(&tokens[at]) {
                    unmatched.push(tokens[at].clone());
                }
                at += 1;
            }
        }
        let has_word = |words: &BTreeSet<String>| tokens.iter().any(|t| words.contains(t));
        let extended_release = has_word(&self.extended_release);

        let mut ingredients: Vec<usize> = Vec::new();
        let mut product_long_acting = false;
        let mut product_depot = false;
        let mut product_street = false;
        let mut ambiguity: Option<&str> = number_ambiguity;
        for target in &matched {
            let from: &[usize] = match target {
                Target::Ingredient(i) => std::slice::from_ref(i),
                Target::Product(p) => {
                    let product = &self.products[*p];
                    product_long_acting |= product.long_acting;
                    product_depot |= product.depot;
                    product_street |= product.street;
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
        let in_a_product = |i: usize| {
            matched.iter().any(|t| match t {
                Target::Product(p) => self.products[*p].ingredients.contains(&i),
                Target::Ingredient(_) => false,
            })
        };
        let street = product_street
            || has_word(&self.street_words)
            || ingredients
                .iter()
                .any(|&i| match self.ingredients[i].street {
                    Some(StreetUse::Always) => true,
                    Some(StreetUse::Unbranded) => !in_a_product(i) && !extended_release,
                    None => false,
                });
        let depot = product_depot
            || (ingredients.iter().any(|&i| self.ingredients[i].depot_forms)
                && has_word(&self.depot_words));
        // Street opioids and depots take the long washout (screening-contract.md §4).
        let long_acting = systemic_opioid
            && (product_long_acting
                || extended_release
                || street
                || depot
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
                depot: systemic_opioid && depot,
                street: systemic_opioid && street,
                kind: None,
            }
            .with_kind(),
            ingredients,
        }
    }
}

/// What follows a numbered family's name.
enum NumberRead {
    /// No number, or one of the product's own strengths.
    None,
    /// The family member this number names, and how many tokens it took.
    Member(usize, usize),
    /// A number that names no member.
    Unknown,
}

fn starts_with_digit(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_digit())
}
