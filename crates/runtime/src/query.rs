//! Query parameters and form bodies in the styles OpenAPI describes, which
//! progenitor's own serialiser does not write: `deepObject`
//! (`created[gte]=1`), non-exploded and delimited lists (`ids=1,2,3`), and
//! form bodies with nested objects (`metadata[key]=value`,
//! `items[0][price]=p`).
//!
//! Values are serialised through JSON text, each leaf written as the text
//! it has there, so exact numbers ([`crate::Number`]) are sent exactly.
//! This is hand-written because the crates that write bracketed query
//! strings (serde_qs and friends) treat `serde_json`'s raw numbers as
//! structs; the flattening rules are short and follow OpenAPI's style table.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::SerializeSeq as _;
use serde_json::value::RawValue;

/// How a parameter is written (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `style: form, explode: true`: `ids=1&ids=2`, an object's properties
    /// as parameters of their own.
    Form,
    /// `style: form, explode: false`: `ids=1,2`, `point=x,1,y,2`.
    FormNotExploded,
    /// `style: spaceDelimited`: `ids=1%202`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `ids=1|2`.
    PipeDelimited,
    /// `style: deepObject`: `created[gte]=1&created[lte]=2`.
    DeepObject,
}

/// A query parameter written in `style`; `reqwest`'s `.query()` takes it.
#[derive(Debug)]
pub struct QueryParam<'a, T: ?Sized> {
    name: &'a str,
    value: &'a T,
    style: ParamStyle,
}

impl<'a, T: ?Sized> QueryParam<'a, T> {
    /// The parameter `name` with `value`, written in `style`.
    pub fn new(name: &'a str, value: &'a T, style: ParamStyle) -> Self {
        Self { name, value, style }
    }
}

impl<T: Serialize + ?Sized> Serialize for QueryParam<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = pairs(self.name, self.value, self.style).map_err(serde::ser::Error::custom)?;
        let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
        for pair in &pairs {
            seq.serialize_element(pair)?;
        }
        seq.end()
    }
}

/// A form body (`application/x-www-form-urlencoded`): each property of
/// `body` written in the style `styles` gives it, [`ParamStyle::Form`] otherwise.
pub fn form_body<T: Serialize + ?Sized>(
    body: &T,
    styles: &[(&str, ParamStyle)],
) -> Result<String, serde_json::Error> {
    let raw = serde_json::value::to_raw_value(body)?;
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Node::Object(properties) = Node::parse(&raw)? {
        for (name, value) in properties {
            let style = styles
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(ParamStyle::Form, |(_, s)| *s);
            for (key, text) in flatten(&name, &Node::parse(&value)?, style)? {
                out.append_pair(&key, &text);
            }
        }
    }
    Ok(out.finish())
}

/// The `(key, value)` pairs `name` = `value` is written as in `style`.
pub fn pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: ParamStyle,
) -> Result<Vec<(String, String)>, serde_json::Error> {
    let raw = serde_json::value::to_raw_value(value)?;
    flatten(name, &Node::parse(&raw)?, style)
}

/// A JSON value one level deep, its children still raw text.
enum Node {
    Null,
    Leaf(String),
    Array(Vec<Box<RawValue>>),
    Object(BTreeMap<String, Box<RawValue>>),
}

impl Node {
    fn parse(raw: &RawValue) -> Result<Node, serde_json::Error> {
        let text = raw.get().trim_start();
        Ok(match text.as_bytes().first() {
            Some(b'n') => Node::Null,
            Some(b'[') => Node::Array(serde_json::from_str(text)?),
            Some(b'{') => Node::Object(serde_json::from_str(text)?),
            Some(b'"') => Node::Leaf(serde_json::from_str(text)?),
            // Numbers and booleans: the JSON text is the query text.
            _ => Node::Leaf(text.trim_end().to_owned()),
        })
    }
}

fn flatten(
    name: &str,
    node: &Node,
    style: ParamStyle,
) -> Result<Vec<(String, String)>, serde_json::Error> {
    let mut out = Vec::new();
    let delimiter = match style {
        ParamStyle::FormNotExploded => Some(","),
        ParamStyle::SpaceDelimited => Some(" "),
        ParamStyle::PipeDelimited => Some("|"),
        ParamStyle::Form | ParamStyle::DeepObject => None,
    };
    match (node, delimiter) {
        (Node::Null, _) => {}
        (Node::Leaf(text), _) => out.push((name.to_owned(), text.clone())),
        (Node::Array(items), Some(delimiter)) => {
            let texts = leaves(items.iter().map(|i| i.as_ref()))?;
            out.push((name.to_owned(), texts.join(delimiter)));
        }
        (Node::Object(map), Some(delimiter)) => {
            let mut texts = Vec::new();
            for (key, value) in map {
                texts.push(key.clone());
                texts.extend(leaves(std::iter::once(value.as_ref()))?);
            }
            out.push((name.to_owned(), texts.join(delimiter)));
        }
        (Node::Array(items), None) => {
            for (i, item) in items.iter().enumerate() {
                match (Node::parse(item)?, style) {
                    // Exploded form lists repeat the name.
                    (Node::Leaf(text), ParamStyle::Form) => out.push((name.to_owned(), text)),
                    (node, _) => out.extend(brackets(&format!("{name}[{i}]"), &node)?),
                }
            }
        }
        // An exploded form object's properties are parameters of their own.
        (Node::Object(map), None) if style == ParamStyle::Form => {
            for (key, value) in map {
                out.extend(brackets(key, &Node::parse(value)?)?);
            }
        }
        (node @ Node::Object(_), None) => out.extend(brackets(name, node)?),
    }
    Ok(out)
}

/// Bracket notation for everything below `prefix`: `a[b][0]=c`.
fn brackets(prefix: &str, node: &Node) -> Result<Vec<(String, String)>, serde_json::Error> {
    let mut out = Vec::new();
    match node {
        Node::Null => {}
        Node::Leaf(text) => out.push((prefix.to_owned(), text.clone())),
        Node::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                out.extend(brackets(&format!("{prefix}[{i}]"), &Node::parse(item)?)?);
            }
        }
        Node::Object(map) => {
            for (key, value) in map {
                out.extend(brackets(&format!("{prefix}[{key}]"), &Node::parse(value)?)?);
            }
        }
    }
    Ok(out)
}

/// The texts of scalar values (nested values as their JSON text).
fn leaves<'a>(items: impl Iterator<Item = &'a RawValue>) -> Result<Vec<String>, serde_json::Error> {
    items
        .map(|raw| match Node::parse(raw)? {
            Node::Leaf(text) => Ok(text),
            Node::Null => Ok(String::new()),
            _ => Ok(raw.get().to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(name: &str, value: serde_json::Value, style: ParamStyle) -> String {
        let param = QueryParam::new(name, &value, style);
        let client = reqwest::Client::new();
        let request = client
            .get("http://127.0.0.1/x")
            .query(&param)
            .build()
            .unwrap();
        request.url().query().unwrap_or("").to_owned()
    }

    #[test]
    fn deep_objects_use_brackets() {
        assert_eq!(
            query(
                "created",
                json!({"gte": 1, "lte": 2}),
                ParamStyle::DeepObject
            ),
            "created%5Bgte%5D=1&created%5Blte%5D=2"
        );
        assert_eq!(
            query(
                "filter",
                json!({"a": {"b": [1, 2]}}),
                ParamStyle::DeepObject
            ),
            "filter%5Ba%5D%5Bb%5D%5B0%5D=1&filter%5Ba%5D%5Bb%5D%5B1%5D=2"
        );
        assert_eq!(query("created", json!(null), ParamStyle::DeepObject), "");
    }

    #[test]
    fn lists_are_delimited_or_repeated() {
        assert_eq!(
            query("ids", json!(["a", "b"]), ParamStyle::FormNotExploded),
            "ids=a%2Cb"
        );
        assert_eq!(
            query("ids", json!([1, 2]), ParamStyle::PipeDelimited),
            "ids=1%7C2"
        );
        assert_eq!(
            query("ids", json!([1, 2]), ParamStyle::SpaceDelimited),
            "ids=1+2"
        );
        assert_eq!(query("ids", json!([1, 2]), ParamStyle::Form), "ids=1&ids=2");
        assert_eq!(
            query(
                "point",
                json!({"x": 1, "y": 2}),
                ParamStyle::FormNotExploded
            ),
            "point=x%2C1%2Cy%2C2"
        );
        assert_eq!(
            query("point", json!({"x": 1, "y": 2}), ParamStyle::Form),
            "x=1&y=2"
        );
    }

    #[test]
    fn exact_numbers_are_sent_as_written() {
        #[derive(Serialize)]
        struct Body {
            amount: crate::Number,
            metadata: serde_json::Value,
            expand: Vec<&'static str>,
            items: serde_json::Value,
            skip: Option<String>,
        }
        let body = Body {
            amount: serde_json::from_str("12345678901234567890.123456789").unwrap(),
            metadata: json!({"k": "v"}),
            expand: vec!["a", "b"],
            items: json!([{"price": "p1", "quantity": 2}]),
            skip: None,
        };
        let encoded = form_body(
            &body,
            &[
                ("metadata", ParamStyle::DeepObject),
                ("expand", ParamStyle::DeepObject),
                ("items", ParamStyle::DeepObject),
            ],
        )
        .unwrap();
        assert_eq!(
            encoded,
            "amount=12345678901234567890.123456789&expand%5B0%5D=a&expand%5B1%5D=b\
             &items%5B0%5D%5Bprice%5D=p1&items%5B0%5D%5Bquantity%5D=2&metadata%5Bk%5D=v"
        );
    }
}
