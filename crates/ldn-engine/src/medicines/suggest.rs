//! Suggestions while a medicine line is typed: table names that start with the typed words.

use std::collections::BTreeSet;

use super::{tokenize, MedicineTable};

impl MedicineTable {
    /// Names to offer while a line is typed: table names starting with the typed words.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<String> {
        let typed = tokenize(typed);
        let Some(first) = typed.first() else {
            return Vec::new();
        };
        let mut found: BTreeSet<String> = BTreeSet::new();
        for (key, names) in &self.names {
            if !key.starts_with(first.as_str()) {
                continue;
            }
            for name in names {
                let prefix_ok = typed.iter().enumerate().all(|(i, t)| {
                    name.tokens.get(i).is_some_and(|n| {
                        if i + 1 == typed.len() {
                            n.starts_with(t.as_str())
                        } else {
                            n == t
                        }
                    })
                });
                if prefix_ok {
                    found.insert(self.target_name(name.target).to_owned());
                }
            }
        }
        found.into_iter().take(limit).collect()
    }
}
