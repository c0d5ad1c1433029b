//! Temporary stand-in until the JSONPath module lands.
#[derive(Debug)]
pub struct JsonPath(String);
pub struct JsonPathError {
    pub message: String,
    pub offset: Option<usize>,
}
impl JsonPath {
    pub fn parse(expr: &str) -> Result<JsonPath, JsonPathError> {
        Ok(JsonPath(expr.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn select<'a>(&self, _doc: &'a serde_json::Value) -> Vec<&'a serde_json::Value> {
        vec![]
    }
    pub fn select_actual(&self, _doc: &serde_json::Value) -> Option<serde_json::Value> {
        None
    }
}
