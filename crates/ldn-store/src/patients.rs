//! Finding patients: by the start of a name (given or family first), a birth date, or an MRN.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;

const MAX_RESULTS: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatientRow {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub mrn: Option<String>,
}

/// Lower case without accents, so that "nunez" finds "Núñez".
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// A patient's names must display as what they are.
pub(crate) fn check_names(given: &str, family: &str) -> Result<()> {
    for (field, name) in [
        ("patient.given_name", given),
        ("patient.family_name", family),
    ] {
        if crate::staff::has_bidi_controls(name) {
            return Err(StoreError::Invalid {
                field: field.into(),
                message: "must not contain text-direction control characters".into(),
            });
        }
    }
    Ok(())
}

impl Store {
    /// One patient, by id.
    pub fn patient(&self, id: i64) -> Result<PatientRow> {
        self.require(Permission::ViewRecords)?;
        self.conn
            .query_row(
                "SELECT id, given_name, family_name, birth_date, mrn FROM patients WHERE id = ?1",
                [id],
                |r| {
                    Ok(PatientRow {
                        id: r.get(0)?,
                        given_name: r.get(1)?,
                        family_name: r.get(2)?,
                        birth_date: r.get(3)?,
                        mrn: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::Missing {
                what: "patient".into(),
                id,
            })
    }

    /// Up to 50 patients matching `query`: a birth date (YYYY-MM-DD), an exact MRN, or the
    /// start of "family given" or "given family" (case and accents do not matter).
    pub fn search_patients(&self, query: &str) -> Result<Vec<PatientRow>> {
        self.require(Permission::ViewRecords)?;
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let map = |r: &rusqlite::Row| {
            Ok(PatientRow {
                id: r.get(0)?,
                given_name: r.get(1)?,
                family_name: r.get(2)?,
                birth_date: r.get(3)?,
                mrn: r.get(4)?,
            })
        };
        let columns = "SELECT id, given_name, family_name, birth_date, mrn FROM patients";
        let by_birth_date = NaiveDate::parse_from_str(query, "%Y-%m-%d").is_ok();
        let rows = if by_birth_date {
            let mut stmt = self.conn.prepare_cached(&format!(
                "{columns} WHERE birth_date = ?1 ORDER BY family_name, given_name LIMIT ?2"
            ))?;
            let rows = stmt
                .query_map(params![query, MAX_RESULTS], map)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        } else {
            // The search key holds "family given<US>given family", lower-cased; a range scan on
            // its index finds "family given…" prefixes, and a second finds "given family…".
            let prefix = fold(query);
            let upper = format!("{prefix}\u{10FFFF}");
            let mut stmt = self.conn.prepare_cached(&format!(
                "{columns} WHERE mrn = ?1 \
                 UNION SELECT id, given_name, family_name, birth_date, mrn FROM patients WHERE search_key >= ?2 AND search_key < ?3 \
                 UNION SELECT id, given_name, family_name, birth_date, mrn FROM patients WHERE search_given >= ?2 AND search_given < ?3 \
                 ORDER BY 3, 2 LIMIT ?4"
            ))?;
            let rows = stmt
                .query_map(params![query, prefix, upper, MAX_RESULTS], map)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        // What was looked for stays out of the trail; how and how much does not.
        let kind = if by_birth_date {
            "birth date"
        } else {
            "name or MRN"
        };
        self.audit_event("search", kind, &format!("{} results", rows.len()))?;
        Ok(rows)
    }
}
