//! Operands as the comparisons hold them: JSON values, or for `duration:`
//! whole or fractional milliseconds, converted once at load.

use serde_json::Value;

use super::value::compact;
use super::{OperandKind, Unit};
use crate::duration::{self, BareUnit};

/// How numbers of this kind are shown in messages.
pub(super) fn unit(kind: OperandKind) -> Unit {
    match kind {
        OperandKind::Json => Unit::None,
        OperandKind::Duration => Unit::Millis,
    }
}

/// An operand compared for equality: any JSON value, or a duration.
pub(super) fn equality(v: &Value, kind: OperandKind, op: Option<&str>) -> Result<Value, String> {
    match kind {
        OperandKind::Json => Ok(v.clone()),
        OperandKind::Duration => duration_ms(v).map_err(|e| match op {
            Some(op) => format!("`{op}`: {e}"),
            None => e,
        }),
    }
}

/// An operand of `gt`, `gte`, `lt`, `lte`: a number, or a duration.
pub(super) fn number(op: &str, v: &Value, kind: OperandKind) -> Result<Value, String> {
    match (kind, v) {
        (OperandKind::Json, Value::Number(_)) => Ok(v.clone()),
        (OperandKind::Json, other) => {
            Err(format!("`{op}` expects a number, found {}", compact(other)))
        }
        (OperandKind::Duration, _) => duration_ms(v).map_err(|e| format!("`{op}`: {e}")),
    }
}

/// A duration operand as a number of milliseconds (whole when it is one).
fn duration_ms(v: &Value) -> Result<Value, String> {
    let d = duration::from_json(v, BareUnit::Millis)?;
    let nanos = d.as_nanos();
    if nanos % 1_000_000 == 0 {
        Ok(Value::from((nanos / 1_000_000) as u64))
    } else {
        Ok(Value::from(nanos as f64 / 1e6))
    }
}
