//! How the generated types print their secret fields.

use std::fmt;

/// A secret field as `Debug` shows it: `"<redacted>"` for a value, `None` for an unset
/// `Option`, never the value itself.
///
/// The generator gives every type that holds a token, a password, a client secret or a
/// webhook's auth header a `Debug` impl that wraps those fields in this, so that
/// `{:?}` of an answer or a form is safe to log. Serializing the type still sends the
/// value.
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

const MASK: &str = "<redacted>";

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Debug for Redacted<'_, Option<String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f
                .debug_tuple("Some")
                .field(&format_args!("{MASK}"))
                .finish(),
            None => f.write_str("None"),
        }
    }
}

/// A builder's parameter: set (`Ok`) prints as `Ok(<redacted>)`; the error of a value
/// that was never set or did not convert says so and holds no value.
impl fmt::Debug for Redacted<'_, Result<String, String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Ok(_) => f.debug_tuple("Ok").field(&format_args!("{MASK}")).finish(),
            Err(e) => f.debug_tuple("Err").field(e).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Redacted;

    #[test]
    fn a_value_prints_as_redacted_and_unset_as_none() {
        let set = Some("s3cr3t".to_string());
        assert_eq!(format!("{:?}", Redacted(&set)), "Some(<redacted>)");
        assert_eq!(format!("{:?}", Redacted(&None::<String>)), "None");
        assert_eq!(
            format!("{:?}", Redacted(&"s3cr3t".to_string())),
            "<redacted>"
        );
        assert_eq!(
            format!("{:#?}", Redacted(&set)),
            "Some(\n    <redacted>,\n)"
        );
        let param: Result<String, String> = Ok("s3cr3t".into());
        assert_eq!(format!("{:?}", Redacted(&param)), "Ok(<redacted>)");
        let unset: Result<String, String> = Err("token was not initialized".into());
        assert_eq!(
            format!("{:?}", Redacted(&unset)),
            "Err(\"token was not initialized\")"
        );
    }
}
