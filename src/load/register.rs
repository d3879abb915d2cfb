//! The system register, `content/systemregister.yaml` (SPEC 4.3).

use super::fields::FieldReader;
use super::yaml::{self, Node, Value};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Klassning, Spanned, System, SystemRegister};
use crate::source::SourceFile;

const KEYS: &[&str] = &[
    "id",
    "namn",
    "systemägare",
    "samhällsviktigt",
    "klassning",
    "beskrivning",
    "leverantör",
];

/// Reads the register; problems are returned beside what could be read.
pub fn read(source: SourceFile) -> (SystemRegister, Vec<Diagnostic>) {
    let mut r = FieldReader::new(&source.rel, 1);
    let mut systems = Vec::new();
    match yaml::parse(&source.text) {
        Err(e) => {
            r.diags.push(Diagnostic::error(
                Code::YamlSyntax,
                &source.rel,
                e.pos.line,
                e.pos.col,
                crate::tr!(
                    "systemregistret är inte giltig YAML: {}",
                    "system register is not valid YAML: {}",
                    e.message
                ),
            ));
        }
        Ok(None) => {}
        Ok(Some(root)) => match &root.value {
            Value::Seq(items) => {
                for item in items {
                    if let Some(s) = read_system(&mut r, item) {
                        systems.push(s);
                    }
                }
            }
            _ => {
                let kind = root.kind_name();
                r.error(
                    Code::WrongType,
                    &root,
                    crate::tr!(
                        "systemregistret ska vara en lista med system, men är {kind}",
                        "the system register must be a list of systems, found {kind}"
                    ),
                )
                .hint = Some(crate::tr!(
                    "skriv en post `- id: ...` per system",
                    "write one `- id: ...` entry per system"
                ));
            }
        },
    }
    let mut diags = r.diags;
    for (i, s) in systems.iter().enumerate() {
        if let Some(first) = systems[..i].iter().find(|o| o.id.value == s.id.value) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateSystem,
                    &source.rel,
                    s.id.line,
                    s.id.col,
                    crate::tr!(
                        "system-id `{}` används två gånger",
                        "system id `{}` is used twice",
                        s.id.value
                    ),
                )
                .with_width(s.id.width)
                .with_hint(crate::tr!(
                    "det första finns på rad {}",
                    "the first is on line {}",
                    first.id.line
                )),
            );
        }
    }
    (
        SystemRegister {
            source: std::sync::Arc::new(source),
            systems,
        },
        diags,
    )
}

fn read_system(r: &mut FieldReader<'_>, item: &Node) -> Option<System> {
    let what = crate::tr!("ett system", "a system");
    let entries = r.mapping(&what, item)?;
    let line = r.line(item);
    let mut id: Option<Spanned<String>> = None;
    let mut s = System {
        line,
        col: item.pos.col,
        id: Spanned {
            value: String::new(),
            line,
            col: item.pos.col,
            width: 1,
        },
        namn: None,
        systemagare: None,
        samhallsviktigt: false,
        klassning: None,
        beskrivning: None,
        leverantor: None,
    };
    let mut has_critical = false;
    let mut owner_node: Option<&Node> = None;
    for (k, v) in entries {
        let Some(key) = k.as_str() else { continue };
        match key {
            "id" => {
                id = r.string(key, v).map(|mut s| {
                    s.value = super::nfc(&s.value);
                    s
                })
            }
            "namn" => s.namn = r.string(key, v),
            "systemägare" => {
                // An empty value has no position of its own: point at the key.
                owner_node = Some(if v.is_null() { k } else { v });
                if !v.is_null() {
                    s.systemagare = r.string(key, v);
                }
            }
            "samhällsviktigt" => {
                has_critical = true;
                s.samhallsviktigt = r.boolean(key, v).unwrap_or(false);
            }
            "klassning" => {
                s.klassning = r.keyword(
                    key,
                    v,
                    Klassning::parse,
                    &["öppen", "intern", "konfidentiell"],
                )
            }
            "beskrivning" => s.beskrivning = r.string(key, v).map(|v| v.value),
            "leverantör" => s.leverantor = r.string(key, v).map(|v| v.value),
            _ => {
                let context = crate::tr!("ett system", "a system");
                r.unknown_key(k, key, KEYS, &context)
            }
        }
    }
    let Some(id) = id else {
        r.missing(
            line,
            item.pos.col,
            crate::tr!(
                "systemet saknar det obligatoriska fältet `id`",
                "system lacks required key `id`"
            ),
            Some(crate::tr!(
                "lägg till `id:`, det id som systemsäkerhetsplaner anger i `system:`",
                "add `id:`, the id plans name in `system:`"
            )),
        );
        return None;
    };
    s.id = id;
    let owner_at = owner_node.map(|n| (r.line(n), n.pos.col));
    check_required(r, &s, has_critical, entries, owner_at);
    Some(s)
}

/// Reports what a system lacks: `namn`, `samhällsviktigt`, `klassning`
/// (at the system's line) and its owner (at the empty value, if given).
fn check_required(
    r: &mut FieldReader<'_>,
    s: &System,
    has_critical: bool,
    entries: &[(Node, Node)],
    owner_at: Option<(usize, usize)>,
) {
    let name = &s.id.value;
    for (key, present) in [
        ("namn", s.namn.is_some()),
        ("samhällsviktigt", has_critical),
        ("klassning", s.klassning.is_some()),
    ] {
        if !present && !entries.iter().any(|(k, _)| k.as_str() == Some(key)) {
            r.missing(
                s.line,
                s.col,
                crate::tr!(
                    "systemet `{name}` saknar det obligatoriska fältet `{key}`",
                    "system `{name}` lacks required key `{key}`"
                ),
                None,
            );
        }
    }
    if s.systemagare.is_none() {
        let (l, c) = owner_at.unwrap_or((s.line, s.col));
        r.diags.push(
            Diagnostic::error(
                Code::SystemWithoutOwner,
                r.file,
                l,
                c,
                crate::tr!(
                    "systemet `{name}` saknar systemägare",
                    "system `{name}` has no systemägare"
                ),
            )
            .with_hint(crate::tr!(
                "enligt policyns avsnitt 3.2 utser kommunchefen en ägare för varje IT-system; lägg till `systemägare:` med den ägande rollen",
                "policy 3.2: kommunchefen appoints an owner for every IT system; add `systemägare:` with the owning role"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_systems_and_reports_missing_owner() {
        let src = SourceFile::new(
            "content/systemregister.yaml",
            "- id: lon\n  namn: Lön\n  systemägare: Personalchef\n  samhällsviktigt: true\n  klassning: intern\n- id: web\n  namn: Webb\n  samhällsviktigt: false\n  klassning: öppen\n",
        );
        let (reg, d) = read(src);
        assert_eq!(reg.systems.len(), 2);
        assert!(reg.systems[0].samhallsviktigt);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].line), (Code::SystemWithoutOwner, Some(6)));
    }
}
