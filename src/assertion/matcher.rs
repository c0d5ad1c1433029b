//! Temporary stand-in until the matcher module lands.
#[derive(Clone, Copy, Debug)]
pub enum OperandKind {
    Json,
    Duration,
}
#[derive(Debug)]
pub struct Matcher(serde_json::Value);
pub struct Mismatch {
    pub message: String,
    pub expected: String,
    pub actual: String,
}
impl Matcher {
    pub fn parse(spec: &serde_json::Value, _kind: OperandKind) -> Result<Matcher, String> {
        Ok(Matcher(spec.clone()))
    }
    pub fn check(&self, actual: Option<&serde_json::Value>) -> Result<(), Mismatch> {
        if actual == Some(&self.0) {
            Ok(())
        } else {
            Err(Mismatch { message: "mismatch".into(), expected: self.0.to_string(), actual: format!("{actual:?}") })
        }
    }
    pub fn describe(&self) -> String {
        self.0.to_string()
    }
}
