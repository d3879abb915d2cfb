//! Redlines of a document's structure: both revisions read as blocks
//! ([`blocks`]), blocks aligned by kind and text (similar's patience diff
//! on their hashes), a block that stands elsewhere with the same text is a
//! move, blocks left over in a changed run are paired by likeness and
//! compared word by word (cell by cell in a table row). The result is data;
//! `render::redline` writes it as HTML in the site's language.

use similar::{Algorithm, ChangeTag, DiffTag, TextDiff};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod blocks;
pub use blocks::{Block, Blocks, Doc, Kind};

/// A run of words, kept, deleted or inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    /// Kept (`Equal`), removed (`Delete`) or added (`Insert`).
    pub tag: ChangeTag,
    /// The words, with the spaces between them.
    pub text: String,
}

/// One block of a redline, in reading order of the new revision (a block
/// removed or moved away stands where it stood).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The first revision: its block `new`, shown plain.
    Plain { new: usize },
    /// Unchanged.
    Same { new: usize },
    /// Added.
    Inserted { new: usize },
    /// Removed.
    Deleted { old: usize },
    /// Changed in place: each cell's words.
    Changed {
        old: usize,
        new: usize,
        cells: Vec<Vec<Seg>>,
    },
    /// Moved here (unchanged) from block `old`.
    MovedHere { new: usize, old: usize },
    /// Moved from here to block `new`.
    MovedAway { old: usize, new: usize },
}

impl Item {
    /// Whether the item shows a change.
    pub fn is_change(&self) -> bool {
        !matches!(self, Item::Plain { .. } | Item::Same { .. })
    }
}

/// What a redline changed, for the line above it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The first revision: everything is new.
    pub created: bool,
    /// Titles of the sections with changes, in order, once each (`None`:
    /// the text before the first heading).
    pub sections: Vec<Option<String>>,
    /// Words added and removed.
    pub added: usize,
    pub removed: usize,
    /// Blocks moved.
    pub moved: usize,
    /// Words in the document (of a first revision).
    pub words: usize,
}

impl Summary {
    /// Whether the text changed at all.
    pub fn changed(&self) -> bool {
        self.created || self.added > 0 || self.removed > 0 || self.moved > 0
    }
}

/// A redline between two revisions of a document.
#[derive(Debug, Clone)]
pub struct Redline {
    /// The revision before.
    pub old: Arc<Doc>,
    /// The revision after.
    pub new: Arc<Doc>,
    /// The blocks, in reading order.
    pub items: Vec<Item>,
    /// What changed.
    pub summary: Summary,
}

/// Blocks of fewer words are not taken for moves (a "Ja" cell, a short
/// item): repeated text, not a moved paragraph. Headings are, whatever
/// their length.
const MOVE_MIN_WORDS: usize = 4;
/// How alike two blocks must be (similar's ratio of their words) to be
/// shown as one changed block rather than one removed and one added; for
/// headings, which are short, less.
const PAIR_MIN_RATIO: f32 = 0.4;
const PAIR_MIN_RATIO_HEADING: f32 = 0.2;
/// How many blocks ahead a changed block is looked for its pair.
const PAIR_LOOKAHEAD: usize = 12;

impl Redline {
    /// The first revision: every block plain.
    pub fn created(new: Arc<Doc>) -> Redline {
        let items = (0..new.blocks.len())
            .map(|new| Item::Plain { new })
            .collect();
        let summary = Summary {
            created: true,
            words: new.blocks.iter().map(|b| b.words()).sum(),
            ..Summary::default()
        };
        Redline {
            old: Arc::new(Doc::default()),
            new,
            items,
            summary,
        }
    }

    /// What changed from `old` to `new`.
    pub fn between(old: Arc<Doc>, new: Arc<Doc>) -> Redline {
        let items = align(&old, &new);
        let summary = summarise(&old, &new, &items);
        Redline {
            old,
            new,
            items,
            summary,
        }
    }

    /// The block an item shows: of the new revision, or for a removed
    /// block or one moved away, of the old.
    pub fn block(&self, item: &Item) -> &Block {
        match *item {
            Item::Deleted { old } | Item::MovedAway { old, .. } => &self.old.blocks[old],
            Item::Plain { new }
            | Item::Same { new }
            | Item::Inserted { new }
            | Item::Changed { new, .. }
            | Item::MovedHere { new, .. } => &self.new.blocks[new],
        }
    }
}

/// The items of a redline: equal runs kept, moves found among the blocks
/// left over, the rest of each changed run paired or added and removed.
fn align(old: &Doc, new: &Doc) -> Vec<Item> {
    let old_keys: Vec<u64> = old.blocks.iter().map(|b| b.key).collect();
    let new_keys: Vec<u64> = new.blocks.iter().map(|b| b.key).collect();
    let deadline = Instant::now() + Duration::from_millis(200);
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Patience,
        &old_keys,
        &new_keys,
        Some(deadline),
    );
    let hunks: Vec<(DiffTag, Range<usize>, Range<usize>)> =
        ops.iter().map(|op| op.as_tag_tuple()).collect();
    let (moved_from, moved_to) = moves(old, new, &hunks);
    let mut items = Vec::with_capacity(new.blocks.len() + 8);
    for (tag, o, n) in hunks {
        match tag {
            DiffTag::Equal => items.extend(n.map(|new| Item::Same { new })),
            _ => changed_run(old, new, o, n, (&moved_from, &moved_to), &mut items),
        }
    }
    prefer_larger_moves(old, new, &mut items);
    items
}

/// Two neighbours swapped read as the larger one moved: a paragraph put
/// under the heading before it is a moved paragraph, not a moved heading.
fn prefer_larger_moves(old: &Doc, new: &Doc, items: &mut [Item]) {
    for k in 0..items.len().saturating_sub(2) {
        let Item::Same { new: p } = items[k + 1] else {
            continue;
        };
        // X before P became P before X (`up`), or the other way round.
        let (x_new, p_old, up) = match (&items[k], &items[k + 2]) {
            (Item::MovedAway { old: xo, new: xn }, Item::MovedHere { new: xn2, .. })
                if xn == xn2 =>
            {
                (*xn, xo + 1, true)
            }
            (Item::MovedHere { new: xn, old: xo }, Item::MovedAway { new: xn2, .. })
                if xn == xn2 =>
            {
                (*xn, xo.wrapping_sub(1), false)
            }
            _ => continue,
        };
        let same_p = old
            .blocks
            .get(p_old)
            .is_some_and(|b| b.key == new.blocks[p].key);
        if !same_p || new.blocks[x_new].words() >= new.blocks[p].words() {
            continue;
        }
        let here = Item::MovedHere { new: p, old: p_old };
        let away = Item::MovedAway { old: p_old, new: p };
        let (first, last) = if up { (here, away) } else { (away, here) };
        items[k] = first;
        items[k + 1] = Item::Same { new: x_new };
        items[k + 2] = last;
    }
}

/// Blocks removed in one place and added with the same text in another:
/// old index to new, and new to old.
type Moves = (HashMap<usize, usize>, HashMap<usize, usize>);

fn moves(old: &Doc, new: &Doc, hunks: &[(DiffTag, Range<usize>, Range<usize>)]) -> Moves {
    let mut removed: HashMap<u64, Vec<usize>> = HashMap::new();
    for (tag, o, _) in hunks {
        if *tag != DiffTag::Equal {
            for i in o.clone() {
                let b = &old.blocks[i];
                if b.words() >= MOVE_MIN_WORDS || matches!(b.kind, Kind::Heading(_)) {
                    removed.entry(old.blocks[i].key).or_default().push(i);
                }
            }
        }
    }
    let (mut from, mut to) = (HashMap::new(), HashMap::new());
    if removed.is_empty() {
        return (from, to);
    }
    for (tag, o, n) in hunks {
        if *tag == DiffTag::Equal {
            continue;
        }
        for j in n.clone() {
            let Some(candidates) = removed.get_mut(&new.blocks[j].key) else {
                continue;
            };
            // Not a move when it is the same place: a block in this very
            // run is the same block, changed around.
            let Some(pos) = candidates.iter().position(|i| !o.contains(i)) else {
                continue;
            };
            let i = candidates.remove(pos);
            from.insert(i, j);
            to.insert(j, i);
        }
    }
    (from, to)
}

/// One changed run: old blocks `o` became new blocks `n`. Each new block is
/// paired with the first like old block ahead (in order), the old blocks
/// passed over are removed; what is left is added or removed.
fn changed_run(
    old: &Doc,
    new: &Doc,
    o: Range<usize>,
    n: Range<usize>,
    (moved_from, moved_to): (&HashMap<usize, usize>, &HashMap<usize, usize>),
    items: &mut Vec<Item>,
) {
    let mut next_old = o.start;
    let removed = |i: usize, items: &mut Vec<Item>| match moved_from.get(&i) {
        Some(&new) => items.push(Item::MovedAway { old: i, new }),
        None => items.push(Item::Deleted { old: i }),
    };
    // New blocks without a pair wait for the removed blocks before them.
    let mut added: Vec<Item> = Vec::new();
    for j in n {
        if let Some(&i) = moved_to.get(&j) {
            added.push(Item::MovedHere { new: j, old: i });
            continue;
        }
        let b = &new.blocks[j];
        let found = (next_old..o.end)
            .filter(|i| !moved_from.contains_key(i))
            .take(PAIR_LOOKAHEAD)
            .find(|&i| {
                let a = &old.blocks[i];
                let min = match b.kind {
                    Kind::Heading(_) => PAIR_MIN_RATIO_HEADING,
                    _ => PAIR_MIN_RATIO,
                };
                a.kind.comparable(b.kind) && ratio(&a.text(), &b.text()) >= min
            });
        match found {
            Some(i) => {
                for k in next_old..i {
                    removed(k, items);
                }
                items.append(&mut added);
                items.push(Item::Changed {
                    old: i,
                    new: j,
                    cells: cells(&old.blocks[i], b),
                });
                next_old = i + 1;
            }
            None => added.push(Item::Inserted { new: j }),
        }
    }
    for k in next_old..o.end {
        removed(k, items);
    }
    items.append(&mut added);
}

/// How alike two texts are: twice the words they share (counted with
/// repeats, case and punctuation ignored) over the words of both. 1 for
/// the same words, 0 for none in common.
fn ratio(a: &str, b: &str) -> f32 {
    fn words(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }
    let (x, mut y) = (words(a), words(b));
    let total = x.len() + y.len();
    if total == 0 {
        return 1.0;
    }
    y.sort_unstable();
    let mut common = 0;
    for w in &x {
        if let Ok(k) = y.binary_search(w) {
            y.remove(k);
            common += 1;
        }
    }
    (2 * common) as f32 / total as f32
}

/// Word diff of each cell of two like blocks (one cell unless table rows).
fn cells(a: &Block, b: &Block) -> Vec<Vec<Seg>> {
    let count = a.cells.len().max(b.cells.len());
    (0..count)
        .map(|k| {
            let x = a.cells.get(k).map_or("", String::as_str);
            let y = b.cells.get(k).map_or("", String::as_str);
            words(x, y)
        })
        .collect()
}

/// Word-level diff, runs of one kind merged.
pub fn words(old: &str, new: &str) -> Vec<Seg> {
    let diff = TextDiff::configure()
        .deadline(Instant::now() + Duration::from_millis(50))
        .diff_unicode_words(old, new);
    let mut out: Vec<Seg> = Vec::new();
    for change in diff.iter_all_changes() {
        match out.last_mut() {
            Some(last) if last.tag == change.tag() => last.text.push_str(change.value()),
            _ => out.push(Seg {
                tag: change.tag(),
                text: change.value().to_string(),
            }),
        }
    }
    out
}

fn summarise(old: &Doc, new: &Doc, items: &[Item]) -> Summary {
    let mut s = Summary::default();
    let note = |section: Option<&str>, s: &mut Summary| {
        let section = section.map(str::to_string);
        if !s.sections.contains(&section) {
            s.sections.push(section);
        }
    };
    for item in items {
        match *item {
            Item::Plain { .. } | Item::Same { .. } => {}
            Item::Inserted { new: j } => {
                s.added += new.blocks[j].words();
                note(new.section_title(j), &mut s);
            }
            Item::Deleted { old: i } => {
                s.removed += old.blocks[i].words();
                note(old.section_title(i), &mut s);
            }
            Item::Changed {
                new: j, ref cells, ..
            } => {
                for seg in cells.iter().flatten() {
                    let n = seg.text.split_whitespace().count();
                    match seg.tag {
                        ChangeTag::Insert => s.added += n,
                        ChangeTag::Delete => s.removed += n,
                        ChangeTag::Equal => {}
                    }
                }
                note(new.section_title(j), &mut s);
            }
            Item::MovedHere { new: j, .. } => {
                s.moved += 1;
                note(new.section_title(j), &mut s);
            }
            Item::MovedAway { old: i, .. } => note(old.section_title(i), &mut s),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redline(a: &str, b: &str) -> Redline {
        Redline::between(Arc::new(Doc::parse(a)), Arc::new(Doc::parse(b)))
    }

    fn shape(r: &Redline) -> Vec<&'static str> {
        r.items
            .iter()
            .map(|i| match i {
                Item::Plain { .. } => "plain",
                Item::Same { .. } => "same",
                Item::Inserted { .. } => "ins",
                Item::Deleted { .. } => "del",
                Item::Changed { .. } => "changed",
                Item::MovedHere { .. } => "moved-here",
                Item::MovedAway { .. } => "moved-away",
            })
            .collect()
    }

    #[test]
    fn a_changed_word_is_a_changed_block() {
        let r = redline(
            "## A\n\nLoggar sparas i ett år.\n",
            "## A\n\nLoggar sparas i två år.\n",
        );
        assert_eq!(shape(&r), ["same", "changed"]);
        assert_eq!((r.summary.added, r.summary.removed), (1, 1));
        assert_eq!(r.summary.sections, [Some("A".to_string())]);
    }

    #[test]
    fn a_moved_paragraph_is_a_move() {
        let p = "Ett stycke som flyttas någon annanstans.";
        let r = redline(
            &format!("## A\n\n{p}\n\nKvar i A.\n\n## B\n\nKvar i B.\n"),
            &format!("## A\n\nKvar i A.\n\n## B\n\nKvar i B.\n\n{p}\n"),
        );
        assert_eq!(
            shape(&r),
            ["same", "moved-away", "same", "same", "same", "moved-here"]
        );
        assert_eq!(
            (r.summary.added, r.summary.removed, r.summary.moved),
            (0, 0, 1)
        );
    }

    #[test]
    fn a_paragraph_swapped_with_a_heading_is_the_one_moved() {
        let p = "Ett långt stycke som byter plats med rubriken.";
        let down = redline(
            &format!("## A\n\n{p}\n\n## B\n\nSlut.\n"),
            &format!("## A\n\n## B\n\n{p}\n\nSlut.\n"),
        );
        assert_eq!(
            shape(&down),
            ["same", "moved-away", "same", "moved-here", "same"]
        );
        assert_eq!(down.block(&down.items[3]).cells[0], p);
        let up = redline(
            &format!("## A\n\n## B\n\n{p}\n\nSlut.\n"),
            &format!("## A\n\n{p}\n\n## B\n\nSlut.\n"),
        );
        assert_eq!(
            shape(&up),
            ["same", "moved-here", "same", "moved-away", "same"]
        );
        assert_eq!(up.block(&up.items[1]).cells[0], p);
    }

    #[test]
    fn unlike_blocks_are_removed_and_added() {
        let r = redline("Helt annan text här.\n", "Ingenting gemensamt alls.\n");
        assert_eq!(shape(&r), ["del", "ins"]);
    }

    #[test]
    fn an_item_added_leaves_the_others_alone() {
        let r = redline("1. ett\n2. två\n", "1. noll\n2. ett\n3. två\n");
        assert_eq!(shape(&r), ["ins", "same", "same"]);
    }
}
