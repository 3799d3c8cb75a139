//! A line diff between two texts (two versions of the lead definition): the longest common
//! subsequence of lines, so unchanged lines pair up and everything else is an addition or a
//! removal. Definitions are a few hundred lines, so the quadratic table is a few hundred
//! kilobytes at most; larger inputs fall back to "all removed, all added" rather than
//! allocate without bound.

/// One line of the diff, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffLine<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// Lines beyond which the table would be too large: 4000 × 4000 cells of `u32` is 64 MB.
const MAX_CELLS: usize = 4_000 * 4_000;

/// The lines of `old` and `new`, each marked same, removed (only in `old`) or added (only in
/// `new`); removals come before additions where both happen at one place.
pub fn line_diff<'a>(old: &'a str, new: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Lines shared at both ends need no table: definitions usually change in the middle.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (middle_a, middle_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<DiffLine<'a>> = a[..prefix].iter().map(|line| DiffLine::Same(line)).collect();
    if middle_a.len().saturating_mul(middle_b.len()) > MAX_CELLS {
        out.extend(middle_a.iter().map(|line| DiffLine::Removed(line)));
        out.extend(middle_b.iter().map(|line| DiffLine::Added(line)));
    } else {
        out.extend(lcs_diff(middle_a, middle_b));
    }
    out.extend(a[a.len() - suffix..].iter().map(|line| DiffLine::Same(line)));
    out
}

fn lcs_diff<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<DiffLine<'a>> {
    let width = b.len() + 1;
    // common[i * width + j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i * width + j] = if a[i] == b[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i]));
            i += 1;
            j += 1;
        } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
            out.push(DiffLine::Removed(a[i]));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|line| DiffLine::Removed(line)));
    out.extend(b[j..].iter().map(|line| DiffLine::Added(line)));
    out
}

/// How many lines were added and removed.
pub fn counts(diff: &[DiffLine<'_>]) -> (usize, usize) {
    let added = diff.iter().filter(|line| matches!(line, DiffLine::Added(_))).count();
    let removed = diff.iter().filter(|line| matches!(line, DiffLine::Removed(_))).count();
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diff written as `" x"`, `"-x"`, `"+x"` lines, for compact expectations.
    fn check(old: &str, new: &str, expected: &[&str]) {
        let got: Vec<String> = line_diff(old, new)
            .into_iter()
            .map(|line| match line {
                DiffLine::Same(text) => format!(" {text}"),
                DiffLine::Removed(text) => format!("-{text}"),
                DiffLine::Added(text) => format!("+{text}"),
            })
            .collect();
        assert_eq!(got, expected, "diff of {old:?} → {new:?}");
    }

    #[test]
    fn unchanged_text_is_all_same() {
        check("a\nb\n", "a\nb\n", &[" a", " b"]);
        check("", "", &[]);
    }

    #[test]
    fn additions_removals_and_changes_in_place() {
        check("a\nb\nc", "a\nc", &[" a", "-b", " c"]);
        check("a\nc", "a\nb\nc", &[" a", "+b", " c"]);
        check("a\nb\nc", "a\nB\nc", &[" a", "-b", "+B", " c"]);
        check("", "x\ny", &["+x", "+y"]);
        check("x\ny", "", &["-x", "-y"]);
    }

    #[test]
    fn keeps_the_longest_run_of_common_lines() {
        // A moved line: the three common lines stay, the moved one is removed and re-added.
        check("m\na\nb\nc", "a\nb\nc\nm", &["-m", " a", " b", " c", "+m"]);
        // Two equally long runs are possible here; either is right if both texts come back and
        // two lines are kept.
        let (old, new) = ("t = 50\n[[fit]]\nx = 1\n[[fit]]\ny = 2", "t = 60\n[[fit]]\ny = 2\n[[fit]]\nz = 3");
        let diff = line_diff(old, new);
        let side = |old_side: bool| {
            let lines = diff.iter().filter_map(|line| match *line {
                DiffLine::Same(text) => Some(text),
                DiffLine::Removed(text) if old_side => Some(text),
                DiffLine::Added(text) if !old_side => Some(text),
                _ => None,
            });
            lines.collect::<Vec<_>>().join("\n")
        };
        assert_eq!((side(true).as_str(), side(false).as_str()), (old, new));
        assert_eq!(diff.iter().filter(|l| matches!(l, DiffLine::Same(_))).count(), 2);
    }

    #[test]
    fn counts_added_and_removed_lines() {
        let diff = line_diff("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(counts(&diff), (2, 1));
    }
}
