//! Media types: which ones carry JSON.

/// Whether `media` is JSON: `application/json`, any `+json` type
/// (`application/hal+json`, `application/problem+json`), with or without
/// parameters (`; charset=utf-8`).
pub fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

/// The media type without parameters, lowercase.
pub fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognised() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "application/hal+json",
            "application/problem+json",
            "Application/JSON",
        ] {
            assert!(is_json(json), "{json}");
        }
        for other in ["application/xml", "text/plain", "application/jsonl", "*/*"] {
            assert!(!is_json(other), "{other}");
        }
    }
}
