//! The clinical data files as text, handed over by the caller (the engine itself reads no files;
//! `ldn-data` compiles in the bundled ones).

use sha2::{Digest, Sha256};

use crate::error::DataError;

/// The data files, by path relative to the data folder.
pub const DATA_FILES: [&str; 5] = [
    "questionnaire.toml",
    "rules.toml",
    "medicines/ingredients.toml",
    "medicines/products.toml",
    "medicines/vocabulary.toml",
];

/// The text of each data file.
#[derive(Debug, Clone)]
pub struct DataSources {
    pub questionnaire: String,
    pub rules: String,
    pub ingredients: String,
    pub products: String,
    pub vocabulary: String,
}

impl DataSources {
    /// Reads each file of [`DATA_FILES`] through `read` (which gets the relative path).
    pub fn read_with(
        mut read: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<DataSources, DataError> {
        let mut texts = Vec::with_capacity(DATA_FILES.len());
        for path in DATA_FILES {
            texts.push(read(path).map_err(|message| DataError::Parse {
                file: path.to_owned(),
                message,
            })?);
        }
        let [questionnaire, rules, ingredients, products, vocabulary]: [String; 5] =
            texts.try_into().map_err(|_| DataError::Parse {
                file: "(data folder)".into(),
                message: "wrong number of files".into(),
            })?;
        Ok(DataSources {
            questionnaire,
            rules,
            ingredients,
            products,
            vocabulary,
        })
    }

    pub(crate) fn named(&self) -> [(&'static str, &str); 5] {
        [
            (DATA_FILES[0], &self.questionnaire),
            (DATA_FILES[1], &self.rules),
            (DATA_FILES[2], &self.ingredients),
            (DATA_FILES[3], &self.products),
            (DATA_FILES[4], &self.vocabulary),
        ]
    }

    /// A short digest of all the data, so a summary names the exact content that produced it.
    pub(crate) fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, text) in self.named() {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        hasher
            .finalize()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, DataError> {
    toml::from_str(text).map_err(|e| DataError::Parse {
        file: file.to_owned(),
        message: e.to_string(),
    })
}
