//! How the generated types print their secret fields.

use std::fmt;

/// A secret field as `Debug` shows it: `<redacted>` for a value, with the `Option` or
/// `Result` around it kept (`None`, `Some(<redacted>)`, `Ok(<redacted>)`), never the
/// value itself.
///
/// The generator gives every type that holds a token, a password, a client secret or a
/// webhook's auth header (and every operation builder that takes a token) a `Debug`
/// impl that wraps those fields in this, so that `{:?}` of an answer, a form or a
/// request is safe to log. Serializing the type still sends the value.
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

/// The shapes a secret field has in the generated code: a string, optional (a model's
/// field), or a builder's `Result<_, String>` (set, or why not).
pub trait SecretField {
    /// Writes the field with its value masked.
    fn fmt_masked(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

const MASK: &str = "<redacted>";

impl SecretField for String {
    fn fmt_masked(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl<T: SecretField> SecretField for Option<T> {
    fn fmt_masked(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Some(value) => f.debug_tuple("Some").field(&Redacted(value)).finish(),
            None => f.write_str("None"),
        }
    }
}

/// A builder's parameter: the error of a value that was never set or did not convert
/// says so and holds no value, so it is shown.
impl<T: SecretField> SecretField for Result<T, String> {
    fn fmt_masked(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ok(value) => f.debug_tuple("Ok").field(&Redacted(value)).finish(),
            Err(e) => f.debug_tuple("Err").field(e).finish(),
        }
    }
}

impl<T: SecretField + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_masked(f)
    }
}
