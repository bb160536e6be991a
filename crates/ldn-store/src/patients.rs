//! Finding patients: by the start of a name (given or family first), a birth date, or an MRN.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Result, StoreError};
use crate::permission::Permission;
use crate::store::Store;

const MAX_RESULTS: i64 = 50;
const MAX_WORDS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatientRow {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub mrn: Option<String>,
    /// Added in schema 8.
    pub phone: Option<String>,
}

/// Lower case without accents, so that "nunez" finds "Núñez".
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The folded parts of a name, split at spaces, hyphens, apostrophes and dots: "Ñúñez-García"
/// gives "nunez" and "garcia".
pub(crate) fn name_parts(given: &str, family: &str) -> Vec<String> {
    let mut parts: Vec<String> = fold(&format!("{given} {family}"))
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '.' | ','))
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    parts.sort();
    parts.dedup();
    parts
}

/// Records the parts of one patient's name for search.
pub(crate) fn index_name(
    conn: &Connection,
    patient_id: i64,
    given: &str,
    family: &str,
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO patient_name_parts (part, patient_id) VALUES (?1, ?2)",
    )?;
    for part in name_parts(given, family) {
        insert.execute(params![part, patient_id])?;
    }
    Ok(())
}

/// The name parts of every patient: run once, by the migration that adds them.
pub(crate) fn index_all_names(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, given_name, family_name FROM patients")?;
    let patients = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, given, family) in patients {
        index_name(conn, id, &given, &family)?;
    }
    Ok(())
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

/// The columns `PatientRow::read` reads, in its order.
const COLUMNS: &str = "id, given_name, family_name, birth_date, mrn, phone";

impl PatientRow {
    fn read(r: &rusqlite::Row) -> rusqlite::Result<PatientRow> {
        Ok(PatientRow {
            id: r.get(0)?,
            given_name: r.get(1)?,
            family_name: r.get(2)?,
            birth_date: r.get(3)?,
            mrn: r.get(4)?,
            phone: r.get(5)?,
        })
    }
}

impl Store {
    /// One patient, by id.
    pub fn patient(&self, id: i64) -> Result<PatientRow> {
        self.require(Permission::ViewRecords)?;
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM patients WHERE id = ?1"),
                [id],
                PatientRow::read,
            )
            .optional()?
            .ok_or(StoreError::Missing {
                what: "patient".into(),
                id,
            })
    }

    /// Up to 50 patients matching `query`: a birth date (YYYY-MM-DD), an exact MRN, the start
    /// of "family given" or "given family", or words that each start a part of the name (case
    /// and accents do not matter).
    pub fn search_patients(&self, query: &str) -> Result<Vec<PatientRow>> {
        self.require(Permission::ViewRecords)?;
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let map = PatientRow::read;
        let columns = format!("SELECT {COLUMNS} FROM patients");
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
            // The search key holds "family given" and "given family", lower-cased; range scans
            // on their indexes find those prefixes. Besides, every word typed may start any
            // part of the name ("garcia" finds "Ñúñez-García", "maria lo" finds "Ana María
            // López"): one range scan on the parts' index per word, intersected.
            let prefix = fold(query);
            // A handful of words is a name; more is not worth a query per word.
            let mut words = name_parts(query, "");
            words.truncate(MAX_WORDS);
            let mut sql = format!(
                "{columns} WHERE mrn = ?1 \
                 UNION {columns} WHERE search_key >= ?2 AND search_key < ?2 || char(1114111) \
                 UNION {columns} WHERE search_given >= ?2 AND search_given < ?2 || char(1114111)"
            );
            if !words.is_empty() {
                let by_part = (0..words.len())
                    .map(|i| {
                        format!(
                            "SELECT patient_id FROM patient_name_parts WHERE part >= ?{n} AND part < ?{n} || char(1114111)",
                            n = i + 4
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" INTERSECT ");
                sql.push_str(&format!(" UNION {columns} WHERE id IN ({by_part})"));
            }
            sql.push_str(" ORDER BY 3, 2 LIMIT ?3");
            let mut values: Vec<&dyn rusqlite::ToSql> = vec![&query, &prefix, &MAX_RESULTS];
            values.extend(words.iter().map(|w| w as &dyn rusqlite::ToSql));
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(values.as_slice(), map)?
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
