//! The variables a template sees, as layers looked up newest first, so a
//! request's context is built from `Arc` clones instead of copied maps.

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};

/// One layer of names: the environment, a file's vars, captures, ...
pub(crate) type Layer = Arc<HashMap<String, Value>>;

/// Layers in the order they were pushed; later layers win.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    layers: Vec<Layer>,
}

impl Scope {
    pub fn new() -> Scope {
        Scope::default()
    }

    /// This scope with `layer` on top.
    pub fn with(&self, layer: Layer) -> Scope {
        let mut layers = self.layers.clone();
        layers.push(layer);
        Scope { layers }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.layers.iter().rev().find_map(|l| l.get(name))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every name in scope.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.layers.iter().flat_map(|l| l.keys().cloned()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The scope as a template context.
    pub fn to_value(&self) -> Value {
        Value::from_object(self.clone())
    }
}

impl Object for Scope {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.names().into_iter().map(Value::from).collect())
    }
}

/// A layer from name/value pairs.
pub(crate) fn layer<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Layer {
    Arc::new(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}
