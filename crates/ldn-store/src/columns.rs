//! How the store's enums are written to and read from their TEXT columns: once per enum. A
//! value the program does not know is an error (the row is damaged), never a default.

/// Declares the column text of each variant of an enum, with `as_str`, `ToSql` and `FromSql`.
macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text,)+
                }
            }
        }

        impl rusqlite::types::ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $ty {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                match value.as_str()? {
                    $($text => Ok($ty::$variant),)+
                    other => Err(rusqlite::types::FromSqlError::Other(
                        format!("{other:?} is not a known {}", stringify!($ty)).into(),
                    )),
                }
            }
        }
    };
}

pub(crate) use text_enum;

/// A JSON column read back into its type; a row that does not decode is damaged.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: &str,
    text: &str,
) -> crate::error::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        crate::error::StoreError::Damaged(format!("a stored {what} does not read: {e}"))
    })
}

/// A value written to a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> crate::error::Result<String> {
    serde_json::to_string(value).map_err(|e| crate::error::StoreError::Io(e.to_string()))
}

/// A serde-named value (a language) in a TEXT column: its JSON string without the quotes.
pub(crate) fn to_text<T: serde::Serialize>(value: &T) -> crate::error::Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(crate::error::StoreError::Io("not a text value".into())),
    }
}

/// The reverse of [`to_text`]; a value the program does not know is damage.
pub(crate) fn from_text<T: serde::de::DeserializeOwned>(
    what: &str,
    text: &str,
) -> crate::error::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| {
        crate::error::StoreError::Damaged(format!("a stored {what} does not read: {e}"))
    })
}
