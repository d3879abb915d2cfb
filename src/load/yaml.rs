//! A small YAML tree that remembers where every node stands, built from
//! yaml-rust2's marked events. Front matter and the system register are read
//! through it so that every diagnostic can point at the key or value.
//!
//! Aliases are not expanded (an alias bomb cannot blow up memory); they are
//! kept as `Value::Alias` and reported by the reader that meets them.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Where a node starts: 1-based line and column within the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
}

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The node's value.
    pub value: Value,
    /// Where it starts.
    pub pos: Pos,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar; `plain` is false for quoted and block scalars.
    Scalar {
        /// The scalar's text as YAML reads it.
        text: String,
        /// Unquoted (so `null`, `true` and numbers are not strings).
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in source order.
    Map(Vec<(Node, Node)>),
    /// An alias to an anchor (`*name`), not expanded.
    Alias,
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for a plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if text.is_empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }

    /// Width of the node's text in characters, for carets.
    pub fn width(&self) -> usize {
        match &self.value {
            Value::Scalar { text, plain } => {
                let n = text.lines().next().unwrap_or("").chars().count();
                if *plain {
                    n
                } else {
                    n + 2
                }
            }
            _ => 1,
        }
    }

    /// A short name of the node's kind, for messages, in the language of
    /// diagnostics.
    pub fn kind_name(&self) -> String {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => {
                crate::tr!("ett tomt värde", "an empty value")
            }
            Value::Scalar { .. } => crate::tr!("ett enkelt värde", "a scalar"),
            Value::Seq(_) => crate::tr!("en lista", "a list"),
            Value::Map(_) => crate::tr!("en uppsättning fält", "a mapping"),
            Value::Alias => crate::tr!("ett alias", "an alias"),
        }
    }
}

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// What it said.
    pub message: String,
}

/// Parses one YAML document. An empty text gives `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let m = e.marker();
        let info = e.info().to_string();
        return Err(SyntaxError {
            pos: pos(m),
            message: info,
        });
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    Ok(builder.root)
}

fn pos(m: &Marker) -> Pos {
    Pos {
        line: m.line().max(1),
        col: m.col() + 1,
    }
}

/// Deepest nesting accepted; deeper input is rejected instead of recursed into.
const MAX_DEPTH: usize = 64;

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    error: Option<SyntaxError>,
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(Node, Node)>, Option<Node>),
}

impl Builder {
    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let p = pos(&mark);
        match ev {
            Event::Scalar(text, style, _, _) => self.push_node(Node {
                value: Value::Scalar {
                    text,
                    plain: style == TScalarStyle::Plain,
                },
                pos: p,
            }),
            Event::Alias(_) => self.push_node(Node {
                value: Value::Alias,
                pos: p,
            }),
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.error = Some(SyntaxError {
                    pos: p,
                    message: crate::tr!(
                        "nästlad djupare än {MAX_DEPTH} nivåer",
                        "nested deeper than {MAX_DEPTH} levels"
                    ),
                });
            }
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(p, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(p, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(p, items)) => Node {
                        value: Value::Seq(items),
                        pos: p,
                    },
                    Some(Frame::Map(p, entries, _)) => Node {
                        value: Value::Map(entries),
                        pos: p,
                    },
                    None => return,
                };
                self.push_node(node);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_positions() {
        let root = parse("titel: Hej\nmål:\n  - vad: x\n    sluttid: 2026-01-01\n")
            .unwrap()
            .unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(entries[0].1.pos, Pos { line: 1, col: 8 });
        assert_eq!(entries[1].0.as_str(), Some("mål"));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a seq")
        };
        let Value::Map(goal) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!(goal[1].0.pos, Pos { line: 4, col: 5 });
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse("a: b\n  c: : d\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
    }

    #[test]
    fn aliases_are_not_expanded() {
        let root = parse("a: &x [1, 2]\nb: *x\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].1.value, Value::Alias);
    }

    #[test]
    fn quoted_scalars_are_not_plain() {
        let root = parse("v: \"2.0\"\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("not a map")
        };
        assert_eq!(
            entries[0].1.value,
            Value::Scalar {
                text: "2.0".into(),
                plain: false
            }
        );
    }
}
