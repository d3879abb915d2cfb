//! Bounds on what a theme's templates can make rendering do. Tera has no
//! limit of its own: a macro that calls itself without end overflows the
//! stack (which aborts the process; it cannot be caught), and a loop can
//! produce output or values until memory runs out. So:
//!
//! - Macro calls are counted at run time. When the theme is loaded, every
//!   macro gets a hidden argument carrying its caller's depth and starts by
//!   checking it; every macro call passes its own depth on. Past
//!   [`MAX_MACRO_DEPTH`] the render fails with SD007. Recursion that ends
//!   (a tree drawn by a macro that calls itself for the children) works.
//! - Every page renders on a thread of a pool with a stack of
//!   [`RENDER_STACK`] bytes, enough for that depth with room to spare, whatever
//!   thread asked for the page.
//! - Templates that include each other in a cycle are refused when the theme
//!   is loaded: an include takes no arguments, so nothing counts its depth.
//! - A page's output stops at [`MAX_PAGE_BYTES`]; `range` gives at most
//!   [`MAX_RANGE`] numbers per page, and a `set` that joins strings (`~`)
//!   at most [`MAX_PAGE_BYTES`] bytes.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::{Arc, OnceLock};

use tera::ast::{Expr, ExprVal, FunctionCall, Node, Set, WS};
use tera::{Tera, Value};

/// How deep macro calls may nest.
pub(super) const MAX_MACRO_DEPTH: i64 = 100;
/// The stack of each rendering thread: a macro level takes about 30 KiB in
/// a debug build (a few KiB optimised), so this leaves a wide margin at
/// [`MAX_MACRO_DEPTH`].
pub(super) const RENDER_STACK: usize = 64 << 20;
/// Longest page a template may produce, and longest string a `set` may make.
pub(super) const MAX_PAGE_BYTES: usize = 64 << 20;
/// How many numbers `range` may give in all while one page renders.
pub(super) const MAX_RANGE: u64 = 1_000_000;

/// The hidden argument: the depth of the macro's caller.
const CALLER_DEPTH: &str = "__styrdok_caller_depth";
/// The depth of the running macro, set at its start.
const DEPTH: &str = "__styrdok_depth";
/// The function that checks and counts a macro's depth.
const ENTER: &str = "__styrdok_enter_macro";
/// The function that bounds a string made by `set`.
const BOUND: &str = "__styrdok_bound";

/// Why a page could not be rendered.
#[derive(Debug)]
pub(super) enum Refused {
    /// Tera's error, ours among its causes.
    Tera(tera::Error),
    /// The page grew past [`MAX_PAGE_BYTES`].
    TooLong,
}

/// Adds the bounds to a Tera holding a theme's templates; `Err` says why
/// the theme is refused (templates that include each other in a cycle).
pub(super) fn install(tera: &mut Tera) -> Result<(), String> {
    let mut includes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, template) in tera.templates.iter_mut() {
        let mut found = Vec::new();
        walk_nodes(&mut template.ast, &mut found);
        for block in template.blocks.values_mut() {
            walk_nodes(&mut block.body, &mut found);
        }
        for chain in template.blocks_definitions.values_mut() {
            for (_, block) in chain.iter_mut() {
                walk_nodes(&mut block.body, &mut found);
            }
        }
        for (macro_name, definition) in template.macros.iter_mut() {
            walk_nodes(&mut definition.body, &mut found);
            definition
                .args
                .insert(CALLER_DEPTH.into(), Some(Expr::new(ExprVal::Int(0))));
            definition.body.insert(0, enter(name, macro_name));
        }
        includes.insert(name.clone(), found);
    }
    if let Some(cycle) = include_cycle(&includes) {
        return Err(crate::tr!(
            "mallarna inkluderar varandra i en slinga ({}); en include kan inte avsluta en sådan slinga: använd ett makro som anropar sig självt",
            "templates include each other in a cycle ({}); an include cannot end such a cycle: use a macro that calls itself",
            cycle.join(" → ")
        ));
    }
    tera.register_function(ENTER, enter_macro);
    tera.register_function(BOUND, Bound);
    // Tera's `get_env` would let a theme publish the build machine's
    // environment (tokens, passwords in CI variables).
    tera.register_function("get_env", |_: &HashMap<String, tera::Value>| {
        Err(tera::Error::msg(crate::tr!(
            "`get_env` finns inte i styrdoks teman: en byggning publicerar aldrig sin miljö",
            "`get_env` is not available in styrdok themes: a build never publishes its environment"
        )))
    });
    let original = tera.functions.get("range").cloned();
    tera.register_function("range", Range(original));
    Ok(())
}

/// `{% set __styrdok_depth = __styrdok_enter_macro(depth=.., name=..) %}`,
/// the first node of every macro.
fn enter(template: &str, name: &str) -> Node {
    let mut args = HashMap::new();
    args.insert(
        "depth".to_string(),
        Expr::new(ExprVal::Ident(CALLER_DEPTH.into())),
    );
    args.insert(
        "name".to_string(),
        Expr::new(ExprVal::String(format!("`{name}` in {template}"))),
    );
    Node::Set(
        WS::default(),
        Set {
            key: DEPTH.into(),
            value: Expr::new(ExprVal::FunctionCall(FunctionCall {
                name: ENTER.into(),
                args,
            })),
            global: false,
        },
    )
}

/// What a macro call passes on: the depth of the macro it is in, 0 outside
/// any (an include inside a macro sees that macro's depth).
fn caller_depth() -> Expr {
    let mut args = HashMap::new();
    args.insert("value".to_string(), Expr::new(ExprVal::Int(0)));
    Expr::with_filters(
        ExprVal::Ident(DEPTH.into()),
        vec![FunctionCall {
            name: "default".into(),
            args,
        }],
    )
}

fn walk_nodes(nodes: &mut [Node], includes: &mut Vec<String>) {
    for node in nodes {
        walk_node(node, includes);
    }
}

/// Instruments the expressions of a node and what it contains, and notes
/// the templates it includes.
fn walk_node(node: &mut Node, includes: &mut Vec<String>) {
    match node {
        Node::VariableBlock(_, e) => walk_expr(e),
        Node::Include(_, names, _) => includes.extend(names.iter().cloned()),
        Node::Set(_, set) => {
            walk_expr(&mut set.value);
            if matches!(set.value.val, ExprVal::StringConcat(_)) {
                let value = std::mem::replace(&mut set.value, Expr::new(ExprVal::Int(0)));
                let mut args = HashMap::new();
                args.insert("value".to_string(), value);
                set.value = Expr::new(ExprVal::FunctionCall(FunctionCall {
                    name: BOUND.into(),
                    args,
                }));
            }
        }
        Node::FilterSection(_, section, _) => {
            section.filter.args.values_mut().for_each(walk_expr);
            walk_nodes(&mut section.body, includes);
        }
        Node::Block(_, block, _) => walk_nodes(&mut block.body, includes),
        Node::Forloop(_, forloop, _) => {
            walk_expr(&mut forloop.container);
            walk_nodes(&mut forloop.body, includes);
            if let Some(empty) = &mut forloop.empty_body {
                walk_nodes(empty, includes);
            }
        }
        Node::If(cond, _) => {
            for (_, e, body) in &mut cond.conditions {
                walk_expr(e);
                walk_nodes(body, includes);
            }
            if let Some((_, body)) = &mut cond.otherwise {
                walk_nodes(body, includes);
            }
        }
        // Rendered from the template's macro table, instrumented there.
        Node::MacroDefinition(..) => {}
        Node::Super
        | Node::Text(_)
        | Node::Extends(..)
        | Node::ImportMacro(..)
        | Node::Raw(..)
        | Node::Break(_)
        | Node::Continue(_)
        | Node::Comment(..) => {}
    }
}

fn walk_expr(e: &mut Expr) {
    walk_val(&mut e.val);
    for filter in &mut e.filters {
        filter.args.values_mut().for_each(walk_expr);
    }
}

fn walk_val(v: &mut ExprVal) {
    match v {
        ExprVal::Math(m) => {
            walk_expr(&mut m.lhs);
            walk_expr(&mut m.rhs);
        }
        ExprVal::Logic(l) => {
            walk_expr(&mut l.lhs);
            walk_expr(&mut l.rhs);
        }
        ExprVal::In(i) => {
            walk_expr(&mut i.lhs);
            walk_expr(&mut i.rhs);
        }
        ExprVal::Test(t) => t.args.iter_mut().for_each(walk_expr),
        ExprVal::MacroCall(call) => {
            call.args.values_mut().for_each(walk_expr);
            call.args.insert(CALLER_DEPTH.into(), caller_depth());
        }
        ExprVal::FunctionCall(call) => call.args.values_mut().for_each(walk_expr),
        ExprVal::Array(items) => items.iter_mut().for_each(walk_expr),
        ExprVal::StringConcat(concat) => concat.values.iter_mut().for_each(walk_val),
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

/// A cycle of includes, as the template names along it, if there is one.
fn include_cycle(includes: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    // 0: not seen, 1: on the current path, 2: done.
    let mut state: HashMap<&str, u8> = HashMap::new();
    for start in includes.keys() {
        let mut path: Vec<&str> = Vec::new();
        // Each entry: a template and how many of its includes are explored.
        let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        while let Some((name, next)) = stack.pop() {
            if next == 0 {
                match state.get(name) {
                    Some(2) => continue,
                    Some(1) => {
                        let from = path.iter().position(|p| *p == name).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[from..].iter().map(|s| s.to_string()).collect();
                        cycle.push(name.to_string());
                        return Some(cycle);
                    }
                    _ => {}
                }
                state.insert(name, 1);
                path.push(name);
            }
            let targets = includes.get(name).map_or(&[][..], |v| v.as_slice());
            match targets.get(next) {
                Some(target) if includes.contains_key(target) => {
                    stack.push((name, next + 1));
                    stack.push((target.as_str(), 0));
                }
                Some(_) => stack.push((name, next + 1)),
                None => {
                    state.insert(name, 2);
                    path.pop();
                }
            }
        }
    }
    None
}

fn enter_macro(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let depth = args.get("depth").and_then(Value::as_i64).unwrap_or(0);
    if depth >= MAX_MACRO_DEPTH {
        let name = args.get("name").and_then(Value::as_str).unwrap_or("?");
        return Err(tera::Error::msg(crate::tr!(
            "makrot {name} är nästlat djupare än {MAX_MACRO_DEPTH} anrop: ett makro som anropar sig självt utan slut?",
            "macro {name} nests deeper than {MAX_MACRO_DEPTH} calls: a macro that calls itself without end?"
        )));
    }
    Ok(Value::from(depth + 1))
}

/// Passes a value through, refusing a string longer than [`MAX_PAGE_BYTES`].
struct Bound;

impl tera::Function for Bound {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let value = args.get("value").cloned().unwrap_or(Value::Null);
        match &value {
            Value::String(s) if s.len() > MAX_PAGE_BYTES => Err(tera::Error::msg(crate::tr!(
                "en `set` gav en sträng på {} byte, mer än de {} MiB en sida får ha",
                "a `set` made a string of {} bytes, more than the {} MiB a page may have",
                s.len(),
                MAX_PAGE_BYTES >> 20
            ))),
            _ => Ok(value),
        }
    }
}

thread_local! {
    /// Numbers `range` may still give while this thread renders a page.
    static RANGE_LEFT: Cell<u64> = const { Cell::new(MAX_RANGE) };
}

/// Tera's `range`, within [`MAX_RANGE`] numbers per page.
struct Range(Option<Arc<dyn tera::Function>>);

impl tera::Function for Range {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let number =
            |key: &str, default: u64| args.get(key).and_then(Value::as_u64).unwrap_or(default);
        let (start, end, step) = (number("start", 0), number("end", 0), number("step_by", 1));
        let count = end.saturating_sub(start).div_ceil(step.max(1));
        let left = RANGE_LEFT.with(Cell::get);
        if count > left {
            return Err(tera::Error::msg(crate::tr!(
                "`range` bad om {count} tal; en sida får använda högst {MAX_RANGE} sammanlagt",
                "`range` asked for {count} numbers; a page may use at most {MAX_RANGE} in all"
            )));
        }
        RANGE_LEFT.with(|c| c.set(left - count));
        match &self.0 {
            Some(original) => original.call(args),
            None => Err(tera::Error::msg(crate::tr!(
                "`range` finns inte",
                "`range` is not available"
            ))),
        }
    }
}

/// Collects a page, failing once it passes [`MAX_PAGE_BYTES`].
struct Limited {
    bytes: Vec<u8>,
    exceeded: bool,
}

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.exceeded = true;
            return Err(std::io::Error::other("page too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `template` within the bounds, on a rendering thread.
pub(super) fn render(tera: &Tera, template: &str, ctx: &tera::Context) -> Result<String, Refused> {
    on_render_threads(|| {
        RANGE_LEFT.with(|c| c.set(MAX_RANGE));
        let mut out = Limited {
            bytes: Vec::with_capacity(16 << 10),
            exceeded: false,
        };
        match tera.render_to(template, ctx, &mut out) {
            Ok(()) => String::from_utf8(out.bytes)
                .map_err(|_| Refused::Tera(tera::Error::msg("the page is not UTF-8"))),
            Err(_) if out.exceeded => Err(Refused::TooLong),
            Err(e) => Err(Refused::Tera(e)),
        }
    })
}

/// Runs `op` on the rendering pool (inline when already on one of its
/// threads), or here if the pool could not be made.
pub(super) fn on_render_threads<R: Send>(op: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(RENDER_STACK)
            .thread_name(|i| format!("styrdok-render-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(op),
        None => op(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Result<Tera, String> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.iter().copied())
            .map_err(|e| e.to_string())?;
        install(&mut tera)?;
        Ok(tera)
    }

    fn page(tera: &Tera) -> Result<String, String> {
        render(tera, "p.html", &tera::Context::new()).map_err(|e| match e {
            Refused::TooLong => "too long".to_string(),
            Refused::Tera(e) => {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg = format!("{msg}: {s}");
                    src = s.source();
                }
                msg
            }
        })
    }

    #[test]
    fn recursion_that_ends_works_and_endless_recursion_is_an_error() {
        let m =
            "{% macro r(n) %}{% if n > 0 %}<i>{{ self::r(n=n-1) }}</i>{% endif %}{% endmacro r %}";
        let t = tera(&[
            ("m.html", m),
            ("p.html", "{% import \"m.html\" as m %}{{ m::r(n=5) }}"),
        ])
        .unwrap();
        assert_eq!(page(&t).unwrap(), "<i><i><i><i><i></i></i></i></i></i>");
        let t = tera(&[
            ("m.html", "{% macro r() %}{{ self::r() }}{% endmacro r %}"),
            ("p.html", "{% import \"m.html\" as m %}{{ m::r() }}"),
        ])
        .unwrap();
        let err = page(&t).unwrap_err();
        assert!(
            err.contains("`r` in m.html är nästlat djupare än 100"),
            "{err}"
        );
    }

    #[test]
    fn a_macro_and_an_include_calling_each_other_are_counted() {
        let t = tera(&[
            (
                "m.html",
                "{% macro r() %}{% include \"i.html\" %}{% endmacro r %}",
            ),
            ("i.html", "{% import \"m.html\" as m %}{{ m::r() }}"),
            ("p.html", "{% import \"m.html\" as m %}{{ m::r() }}"),
        ])
        .unwrap();
        assert!(page(&t).unwrap_err().contains("är nästlat djupare"));
    }

    #[test]
    fn include_cycles_are_refused() {
        let err = tera(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% include \"a.html\" %}"),
            ("p.html", "x"),
        ])
        .unwrap_err();
        assert!(err.contains("a.html → b.html → a.html"), "{err}");
        assert!(tera(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "b")]).is_ok());
    }

    #[test]
    fn output_ranges_and_doubling_are_bounded() {
        let t = tera(&[(
            "p.html",
            "{% for i in range(end=900000) %}{{ i }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}",
        )])
        .unwrap();
        assert_eq!(page(&t).unwrap_err(), "too long");
        let t = tera(&[("p.html", "{% for i in range(end=2000000) %}{% endfor %}")]).unwrap();
        assert!(page(&t).unwrap_err().contains("högst 1000000"));
        let t = tera(&[(
            "p.html",
            "{% set s = \"xx\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
        )])
        .unwrap();
        assert!(page(&t).unwrap_err().contains("en `set` gav en sträng"));
        let t = tera(&[(
            "p.html",
            "{% for i in range(start=2, end=9, step_by=3) %}{{ i }}{% endfor %}",
        )])
        .unwrap();
        assert_eq!(page(&t).unwrap(), "258");
    }
}
