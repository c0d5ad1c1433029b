//! A value only a login (or an earlier response) can give, for commands
//! that do not log in (`--dry-run`, `sesame curl`): it renders as its
//! stand-in text, and what is derived from it (`jwt_claims(auth.token).sub`,
//! `secrets.key | b64decode`) is unknown too instead of an error, so the
//! rest of the request is still shown.

use std::fmt;
use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Object, ObjectRepr};

/// A stand-in: `shown` is what it renders as.
#[derive(Debug)]
pub(crate) struct Unknown {
    shown: String,
}

impl Unknown {
    /// A stand-in rendering as `shown`.
    pub(crate) fn value(shown: impl Into<String>) -> Value {
        Value::from_object(Unknown {
            shown: shown.into(),
        })
    }

    /// What a function, filter or field of an unknown value gives.
    pub(crate) fn derived() -> Value {
        Unknown::value("<known after login>")
    }

    /// True when `v` is a stand-in.
    pub(crate) fn is(v: &Value) -> bool {
        v.downcast_object_ref::<Unknown>().is_some()
    }
}

/// True when `v` is a stand-in or holds one (in a map or list), looking
/// `depth` levels down.
pub(crate) fn holds_unknown(v: &Value, depth: usize) -> bool {
    if Unknown::is(v) {
        return true;
    }
    if depth == 0 {
        return false;
    }
    let Ok(items) = v.try_iter() else {
        return false;
    };
    let is_map = v.kind() == minijinja::value::ValueKind::Map;
    items.take(1000).any(|item| {
        let inner = if is_map {
            v.get_item(&item).unwrap_or_default()
        } else {
            item
        };
        holds_unknown(&inner, depth - 1)
    })
}

impl Object for Unknown {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, _: &Value) -> Option<Value> {
        Some(Unknown::derived())
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{Scope, layer};

    #[test]
    fn what_is_derived_from_a_stand_in_is_unknown() {
        let engine =
            crate::template::Engine::new(Arc::new(crate::template::functions::FixedTotp("000000")));
        let auth = Value::from(std::collections::BTreeMap::from([(
            "token".to_string(),
            Unknown::value("<auth.token>"),
        )]));
        let scope = Scope::new().with(layer([("auth", auth)]));
        for source in [
            "{{ auth.token }}",
            "{{ jwt_claims(auth.token).sub | lower }}",
            "{{ auth.token | length }}",
            "{{ auth.token + 5 }}",
            "{{ auth.token[:4] }}",
            "x {{ auth.token[:4] }} y",
        ] {
            let t = engine.compile(source).unwrap();
            let shown = t.render(&scope).map_err(|e| e.message);
            assert!(shown.is_ok(), "{source}: {shown:?}");
        }
    }
}
