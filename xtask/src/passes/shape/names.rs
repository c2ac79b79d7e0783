//! Type names made unique before typify names them: typify names an
//! inline property's type `{Parent}{Property}`, which can be the name of a
//! component (Stripe's `payment_intent_payment_method_options` has an
//! inline `acss_debit` beside the component
//! `payment_intent_payment_method_options_acss_debit`), and two types of
//! one name do not compile. Such a property gets a `title`, which typify
//! takes as the name.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::Names;
use crate::document::{self, walk};
use crate::progenitor_output::type_ident;

pub(super) fn make_unique(doc: &mut Value, names: &mut Names) {
    inline_titles(doc, names);
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let components: BTreeSet<String> = schemas.keys().map(|k| type_ident(k)).collect();
    for (name, schema) in schemas.iter_mut() {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (property, sub) in properties.iter_mut() {
            let derived = type_ident(&format!("{}_{property}", type_ident(name)));
            let Some(obj) = sub.as_object_mut() else {
                continue;
            };
            if obj.contains_key("$ref")
                || obj.contains_key("title")
                || !components.contains(&derived)
            {
                continue;
            }
            obj.insert(
                "title".into(),
                json!(names.fresh(&format!("{derived}Property"))),
            );
        }
    }
}

/// An inline schema whose `title` names a component (typify names the
/// inline type by its title) gets a title of its own.
fn inline_titles(doc: &mut Value, names: &mut Names) {
    let components: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| type_ident(k)).collect())
        .unwrap_or_default();
    walk::schemas_mut(doc, &mut |schema, at| {
        if document::component_name(at, "schemas").is_some() {
            return;
        }
        let Some(title) = schema.get("title").and_then(Value::as_str) else {
            return;
        };
        if components.contains(&type_ident(title)) {
            let fresh = names.fresh(&format!("{}Inline", type_ident(title)));
            schema["title"] = json!(fresh);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_name_equal_to_a_component_gets_a_title() {
        let mut doc = json!({"components": {"schemas": {
            "options": {"type": "object", "properties": {
                "card": {"anyOf": [{"type": "object"}, {"type": "string"}]},
                "other": {"type": "object"}}},
            "options_card": {"type": "object"}}}});
        let mut names = Names::new(&doc);
        make_unique(&mut doc, &mut names);
        assert_eq!(
            doc["components"]["schemas"]["options"]["properties"]["card"]["title"],
            "OptionsCardProperty"
        );
        assert!(
            doc["components"]["schemas"]["options"]["properties"]["other"]
                .get("title")
                .is_none()
        );
    }
}
