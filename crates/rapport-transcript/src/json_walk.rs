//! Reading untyped JSON while tracking the path (`results.items[3].start_time`), so every
//! error says exactly which value is wrong. Serde's typed errors only give line/column.

use serde_json::Value;

use crate::TranscriptError;

/// Parses JSON text; a syntax error keeps serde_json's line and column.
pub(crate) fn parse_json_text(content: &str) -> Result<Value, TranscriptError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    serde_json::from_str(content).map_err(|error| {
        let full = error.to_string();
        // serde_json appends " at line L column C"; the location is reported separately.
        let message = match full.rsplit_once(" at line ") {
            Some((message, _)) => message.to_string(),
            None => full,
        };
        TranscriptError::InvalidJson { line: error.line(), column: error.column(), message }
    })
}

/// A JSON value and the path that led to it.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub(crate) value: &'a Value,
    pub(crate) path: String,
}

impl<'a> Node<'a> {
    pub(crate) fn root(value: &'a Value) -> Self {
        Node { value, path: String::new() }
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> TranscriptError {
        TranscriptError::at_path(self.path.clone(), message)
    }

    /// `expected a number, found the string "1.2s"`.
    pub(crate) fn expected(&self, what: &str) -> TranscriptError {
        self.error(format!("expected {what}, found {}", describe(self.value)))
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The member `key`, or `None` when it is absent or `null` (services write both).
    pub(crate) fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node { value, path: self.child_path(key) }),
        }
    }

    /// The member `key`, which must be present.
    pub(crate) fn field(&self, key: &str) -> Result<Node<'a>, TranscriptError> {
        if !self.value.is_object() {
            return Err(self.expected("an object"));
        }
        self.get(key).ok_or_else(|| {
            let problem = match self.value.get(key) {
                Some(Value::Null) => "null",
                _ => "missing",
            };
            TranscriptError::at_path(self.child_path(key), format!("{problem}; this value is required"))
        })
    }

    pub(crate) fn array(&self) -> Result<Vec<Node<'a>>, TranscriptError> {
        let items = self.value.as_array().ok_or_else(|| self.expected("an array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(index, value)| Node { value, path: format!("{}[{index}]", self.path) })
            .collect())
    }

    pub(crate) fn string(&self) -> Result<&'a str, TranscriptError> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    pub(crate) fn number(&self) -> Result<f64, TranscriptError> {
        self.value.as_f64().filter(|number| number.is_finite()).ok_or_else(|| self.expected("a number"))
    }

    /// AWS writes numbers as strings (`"1.15"`); plain numbers are accepted too.
    pub(crate) fn number_like(&self) -> Result<f64, TranscriptError> {
        let parsed = match self.value {
            Value::String(text) => text.trim().parse::<f64>().ok(),
            Value::Number(number) => number.as_f64(),
            _ => None,
        };
        parsed.filter(|number| number.is_finite()).ok_or_else(|| self.expected("a number"))
    }

    /// A channel or speaker index: a non-negative integer, or a string holding one.
    pub(crate) fn index(&self) -> Result<u32, TranscriptError> {
        let parsed = match self.value {
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.trim().parse::<u64>().ok(),
            _ => None,
        };
        parsed
            .and_then(|number| u32::try_from(number).ok())
            .ok_or_else(|| self.expected("a non-negative whole number"))
    }
}

/// A value as an error message shows it: short, and never the whole of a large object.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => format!("the string {:?}", crate::cues::shorten(text)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// Checks a start/end pair read from `node` (whose children hold the times).
pub(crate) fn check_span(node: &Node<'_>, start: f64, end: f64) -> Result<(), TranscriptError> {
    if start < 0.0 {
        return Err(node.error(format!("starts at {start} s, before the recording starts")));
    }
    if end < start {
        return Err(node.error(format!("ends at {end} s, before it starts at {start} s")));
    }
    Ok(())
}

/// Checks that spans read one after another do not go back in time.
#[derive(Debug, Default)]
pub(crate) struct StartOrder {
    previous_start: f64,
}

impl StartOrder {
    pub(crate) fn check(&mut self, node: &Node<'_>, start: f64) -> Result<(), TranscriptError> {
        if start < self.previous_start {
            return Err(node.error(format!(
                "starts at {start} s, before the previous one ({} s); expected time order",
                self.previous_start
            )));
        }
        self.previous_start = start;
        Ok(())
    }
}
