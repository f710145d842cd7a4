//! Reading an OpenAPI document and telling which OpenAPI it is.
//!
//! Every failure here is one line that names the input and what is wrong with it, so
//! that `cargo xtask vendor --from …` with a wrong path or a wrong file is obvious.

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use std::path::Path;

/// The OpenAPI dialects the pipeline accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x: what progenitor reads.
    V30,
    /// OpenAPI 3.1.x: accepted, down-converted before generation.
    V31,
}

/// Where a document comes from: a local file or an `http(s)://` URL.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Reads the raw bytes of `source` (a path or a URL).
pub fn read_source(source: &str) -> Result<Vec<u8>> {
    if is_url(source) {
        return fetch_url(source);
    }
    let path = Path::new(source);
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow!("{source}: no such file"),
        _ => anyhow!("{source}: cannot read it: {e}"),
    })?;
    match source.ends_with(".gz") {
        true => gunzip(&bytes).with_context(|| format!("{source}: not a gzip file")),
        false => Ok(bytes),
    }
}

/// Decompresses a gzip stream (the history documents are kept compressed).
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// Compresses `bytes` with gzip, for the history documents.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn fetch_url(url: &str) -> Result<Vec<u8>> {
    let mut response = ureq::get(url)
        .call()
        .map_err(|e| anyhow!("{url}: download failed: {e}"))?;
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .with_context(|| format!("{url}: cannot read the response body"))
}

/// Parses `bytes` as a JSON OpenAPI document and tells its dialect.
pub fn parse(bytes: &[u8], origin: &str) -> Result<(Value, Dialect)> {
    let doc: Value =
        serde_json::from_slice(bytes).map_err(|e| anyhow!("{origin}: not JSON ({e})"))?;
    let dialect = dialect(&doc, origin)?;
    Ok((doc, dialect))
}

/// Tells the dialect of an already parsed document, rejecting what is not OpenAPI 3.0/3.1.
pub fn dialect(doc: &Value, origin: &str) -> Result<Dialect> {
    let Some(top) = doc.as_object() else {
        bail!("{origin}: not an OpenAPI document (the top level is not a JSON object)");
    };
    if let Some(v) = top.get("swagger") {
        bail!(
            "{origin}: a Swagger {} document; this pipeline reads OpenAPI 3.0 or 3.1 only",
            v.as_str().unwrap_or("2.0")
        );
    }
    let Some(version) = top.get("openapi") else {
        bail!("{origin}: not an OpenAPI document (no top-level \"openapi\" field)");
    };
    let version = version.as_str().unwrap_or_default();
    let dialect = if version.starts_with("3.0.") {
        Dialect::V30
    } else if version.starts_with("3.1.") {
        Dialect::V31
    } else {
        bail!("{origin}: OpenAPI version {version:?} is not supported (3.0.x or 3.1.x expected)");
    };
    if !top.get("paths").is_some_and(Value::is_object) {
        bail!("{origin}: not an OpenAPI document (no \"paths\" object)");
    }
    Ok(dialect)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &str) -> String {
        parse(bytes.as_bytes(), "in.json").unwrap_err().to_string()
    }

    #[test]
    fn rejects_each_kind_of_bad_input_with_one_clear_line() {
        assert_eq!(
            err("{nope"),
            "in.json: not JSON (key must be a string at line 1 column 2)"
        );
        assert_eq!(
            err("[]"),
            "in.json: not an OpenAPI document (the top level is not a JSON object)"
        );
        assert_eq!(
            err(r#"{"a":1}"#),
            "in.json: not an OpenAPI document (no top-level \"openapi\" field)"
        );
        assert_eq!(
            err(r#"{"swagger":"2.0","paths":{}}"#),
            "in.json: a Swagger 2.0 document; this pipeline reads OpenAPI 3.0 or 3.1 only"
        );
        assert_eq!(
            err(r#"{"openapi":"4.0.0","paths":{}}"#),
            "in.json: OpenAPI version \"4.0.0\" is not supported (3.0.x or 3.1.x expected)"
        );
        assert_eq!(
            err(r#"{"openapi":"3.0.3"}"#),
            "in.json: not an OpenAPI document (no \"paths\" object)"
        );
    }

    #[test]
    fn tells_the_dialect() {
        let (_, d) = parse(br#"{"openapi":"3.0.0","paths":{}}"#, "x").unwrap();
        assert_eq!(d, Dialect::V30);
        let (_, d) = parse(br#"{"openapi":"3.1.0","paths":{}}"#, "x").unwrap();
        assert_eq!(d, Dialect::V31);
    }

    #[test]
    fn a_missing_file_is_named() {
        let e = read_source("/definitely/not/here.json")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "/definitely/not/here.json: no such file");
    }
}
