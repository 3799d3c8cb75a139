//! Growing one regression tree on gradients, leaf by leaf (LightGBM's "leaf-wise" growth):
//! the leaf whose best split gains most is split next, until `max_leaves` or no split gains.
//!
//! Split search reads per-bin sums of gradient and hessian (histograms). A child's histogram
//! is built only for the smaller child; the larger one is its parent's minus the smaller's,
//! which halves the work at every level.

use super::binning::MISSING_BIN;
use super::forest::{BinSet, Child, Forest, Node};

/// Bins per feature in a histogram (u8 bins).
const BINS: usize = 256;
/// A child needs at least this much hessian (sum of p·(1−p)), or its leaf value explodes.
const MIN_CHILD_HESSIAN: f64 = 1e-3;
/// Categories are ordered by gradient / (hessian + this) before the split scan, so a category
/// seen a handful of times cannot sort to an extreme on noise (LightGBM's `cat_smooth`).
const CATEGORY_SMOOTHING: f64 = 10.0;

#[derive(Debug, Clone, Copy)]
pub(crate) struct GrowParams {
    pub max_leaves: usize,
    pub min_samples_leaf: usize,
    pub l2: f64,
    pub learning_rate: f64,
}

/// The training matrix: one column of bins per feature, indexed by row.
#[derive(Debug)]
pub(crate) struct Binned<'a> {
    pub columns: &'a [Vec<u8>],
    pub categorical: &'a [bool],
    pub bin_counts: &'a [usize],
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    gradient: f64,
    hessian: f64,
    count: u32,
}

impl Sums {
    fn add(&mut self, other: Sums) {
        self.gradient += other.gradient;
        self.hessian += other.hessian;
        self.count += other.count;
    }

    fn minus(self, other: Sums) -> Sums {
        Sums {
            gradient: self.gradient - other.gradient,
            hessian: self.hessian - other.hessian,
            count: self.count - other.count,
        }
    }

    fn score(self, l2: f64) -> f64 {
        self.gradient * self.gradient / (self.hessian + l2)
    }

    fn value(self, params: &GrowParams) -> f64 {
        -self.gradient / (self.hessian + params.l2) * params.learning_rate
    }
}

#[derive(Debug, Clone)]
struct Split {
    feature: usize,
    left_bins: BinSet,
    gain: f64,
}

#[derive(Debug)]
struct OpenLeaf {
    /// Where this leaf hangs: (temporary node, is the left child); None for the root.
    parent: Option<(usize, bool)>,
    rows: Vec<u32>,
    histogram: Vec<Sums>,
    sums: Sums,
    best: Option<Split>,
}

#[derive(Debug, Clone, Copy)]
enum TempChild {
    Node(usize),
    Leaf(usize),
}

#[derive(Debug)]
struct TempNode {
    feature: usize,
    left_bins: BinSet,
    left: TempChild,
    right: TempChild,
    value: f64,
}

/// The rows of each leaf of a grown tree and the leaf's value, to update training scores
/// without walking the tree again.
pub(crate) type LeafRows = Vec<(Vec<u32>, f64)>;

/// Grows one tree on `rows`, appends it to `forest`, adds its split gains to `gains`.
pub(crate) fn grow_tree(
    data: &Binned<'_>,
    gradients: &[f64],
    hessians: &[f64],
    rows: Vec<u32>,
    params: &GrowParams,
    forest: &mut Forest,
    gains: &mut [f64],
) -> LeafRows {
    let histogram = build_histogram(data, gradients, hessians, &rows);
    let sums = total(&histogram[..BINS]);
    let mut root = OpenLeaf { parent: None, rows, histogram, sums, best: None };
    root.best = best_split(data, &root.histogram, root.sums, params);
    let mut open = vec![root];
    let mut temp: Vec<TempNode> = Vec::new();
    while open.len() < params.max_leaves {
        let Some(chosen) = pick_leaf(&open) else { break };
        let leaf = open.swap_remove(chosen);
        let split = leaf.best.clone().expect("picked leaves have a split");
        gains[split.feature] += split.gain;
        let node = temp.len();
        temp.push(TempNode {
            feature: split.feature,
            left_bins: split.left_bins,
            left: TempChild::Leaf(0),
            right: TempChild::Leaf(0),
            value: leaf.sums.value(params),
        });
        if let Some((parent, is_left)) = leaf.parent {
            set_child(&mut temp[parent], is_left, TempChild::Node(node));
        }
        let column = &data.columns[split.feature];
        let (left_rows, right_rows): (Vec<u32>, Vec<u32>) =
            leaf.rows.iter().partition(|&&row| split.left_bins.contains(column[row as usize]));
        let left_is_smaller = left_rows.len() <= right_rows.len();
        let small_rows = if left_is_smaller { &left_rows } else { &right_rows };
        let small_histogram = build_histogram(data, gradients, hessians, small_rows);
        let mut large_histogram = leaf.histogram;
        for (large, small) in large_histogram.iter_mut().zip(&small_histogram) {
            *large = large.minus(*small);
        }
        let (left_histogram, right_histogram) = if left_is_smaller {
            (small_histogram, large_histogram)
        } else {
            (large_histogram, small_histogram)
        };
        for (rows, histogram, is_left) in
            [(left_rows, left_histogram, true), (right_rows, right_histogram, false)]
        {
            let sums = total(&histogram[..BINS]);
            let mut child = OpenLeaf { parent: Some((node, is_left)), rows, histogram, sums, best: None };
            child.best = best_split(data, &child.histogram, child.sums, params);
            open.push(child);
        }
    }
    finish(temp, open, params, forest)
}

fn set_child(node: &mut TempNode, is_left: bool, child: TempChild) {
    if is_left {
        node.left = child;
    } else {
        node.right = child;
    }
}

/// The open leaf with the largest gain (the first of equals, for determinism).
fn pick_leaf(open: &[OpenLeaf]) -> Option<usize> {
    let mut chosen: Option<(usize, f64)> = None;
    for (index, leaf) in open.iter().enumerate() {
        if let Some(split) = &leaf.best {
            if chosen.is_none_or(|(_, gain)| split.gain > gain) {
                chosen = Some((index, split.gain));
            }
        }
    }
    chosen.map(|(index, _)| index)
}

/// Appends the temporary tree to the forest with global indices.
fn finish(
    mut temp: Vec<TempNode>,
    open: Vec<OpenLeaf>,
    params: &GrowParams,
    forest: &mut Forest,
) -> LeafRows {
    let node_offset = forest.nodes.len();
    let leaf_offset = forest.leaves.len();
    let mut leaf_rows = Vec::with_capacity(open.len());
    let mut root = None;
    for (index, leaf) in open.into_iter().enumerate() {
        let value = leaf.sums.value(params);
        forest.leaves.push(value);
        match leaf.parent {
            Some((parent, is_left)) => set_child(&mut temp[parent], is_left, TempChild::Leaf(index)),
            None => root = Some(!((leaf_offset + index) as Child)),
        }
        leaf_rows.push((leaf.rows, value));
    }
    let global = |child: TempChild| -> Child {
        match child {
            TempChild::Node(node) => (node_offset + node) as Child,
            TempChild::Leaf(leaf) => !((leaf_offset + leaf) as Child),
        }
    };
    for node in &temp {
        forest.nodes.push(Node {
            feature: node.feature as u32,
            left_bins: node.left_bins,
            left: global(node.left),
            right: global(node.right),
            value: node.value,
        });
    }
    // With any split, node 0 of the temporary tree is its root.
    forest.roots.push(root.unwrap_or(node_offset as Child));
    leaf_rows
}

fn total(bins: &[Sums]) -> Sums {
    let mut sums = Sums::default();
    for bin in bins {
        sums.add(*bin);
    }
    sums
}

fn build_histogram(data: &Binned<'_>, gradients: &[f64], hessians: &[f64], rows: &[u32]) -> Vec<Sums> {
    // Gathering the rows' gradients once makes the per-feature loops read them in order.
    let ordered: Vec<(f64, f64)> =
        rows.iter().map(|&row| (gradients[row as usize], hessians[row as usize])).collect();
    let mut histogram = vec![Sums::default(); data.columns.len() * BINS];
    for (feature, column) in data.columns.iter().enumerate() {
        let bins = &mut histogram[feature * BINS..(feature + 1) * BINS];
        for (&row, &(gradient, hessian)) in rows.iter().zip(&ordered) {
            let bin = &mut bins[column[row as usize] as usize];
            bin.gradient += gradient;
            bin.hessian += hessian;
            bin.count += 1;
        }
    }
    histogram
}

/// The best split of a leaf over all features, if any gains.
fn best_split(data: &Binned<'_>, histogram: &[Sums], sums: Sums, params: &GrowParams) -> Option<Split> {
    if (sums.count as usize) < 2 * params.min_samples_leaf {
        return None;
    }
    let mut best: Option<Split> = None;
    for feature in 0..data.columns.len() {
        let bins = &histogram[feature * BINS..feature * BINS + data.bin_counts[feature]];
        let found = if data.categorical[feature] {
            best_categorical_split(bins, sums, params)
        } else {
            best_numeric_split(bins, sums, params)
        };
        if let Some((gain, left_bins)) = found {
            if best.as_ref().is_none_or(|split| gain > split.gain) {
                best = Some(Split { feature, left_bins, gain });
            }
        }
    }
    best
}

/// Scores a candidate; None when a side is too small.
fn gain_of(left: Sums, sums: Sums, params: &GrowParams) -> Option<f64> {
    let right = sums.minus(left);
    let min = params.min_samples_leaf as u32;
    if left.count < min
        || right.count < min
        || left.hessian < MIN_CHILD_HESSIAN
        || right.hessian < MIN_CHILD_HESSIAN
    {
        return None;
    }
    let gain = left.score(params.l2) + right.score(params.l2) - sums.score(params.l2);
    (gain > 1e-9).then_some(gain)
}

/// The missing-value directions to try: both when the node saw missing values; when it did
/// not, only "with the larger side" (scikit-learn's choice), decided by the caller.
fn missing_options(missing: Sums) -> &'static [bool] {
    if missing.count > 0 {
        &[false, true]
    } else {
        &[false]
    }
}

/// Numeric: left = bins 1..=t, for every t; missing values left or right.
fn best_numeric_split(bins: &[Sums], sums: Sums, params: &GrowParams) -> Option<(f64, BinSet)> {
    let missing = bins[MISSING_BIN as usize];
    let mut best: Option<(f64, usize, bool)> = None;
    let mut left = Sums::default();
    // Threshold 0 puts no value bins left: with the missing values left, that is "missing
    // against everything present".
    for (threshold, bin) in bins.iter().enumerate().take(bins.len().saturating_sub(1)) {
        if threshold > 0 {
            left.add(*bin);
        }
        for &missing_left in missing_options(missing) {
            let mut candidate = left;
            if missing_left {
                candidate.add(missing);
            }
            if let Some(gain) = gain_of(candidate, sums, params) {
                if best.is_none_or(|(best_gain, _, _)| gain > best_gain) {
                    best = Some((gain, threshold, missing_left));
                }
            }
        }
    }
    best.map(|(gain, threshold, missing_left)| {
        let mut set = BinSet::default();
        for bin in 1..=threshold {
            set.insert(bin as u8);
        }
        let left_count: u32 = bins[1..=threshold].iter().map(|bin| bin.count).sum();
        if missing_left || (missing.count == 0 && 2 * left_count >= sums.count) {
            set.insert(MISSING_BIN);
        }
        (gain, set)
    })
}

/// Categorical: categories ordered by gradient/hessian, left = a prefix of that order
/// (LightGBM's many-vs-many split, optimal for a convex loss up to the smoothing).
fn best_categorical_split(bins: &[Sums], sums: Sums, params: &GrowParams) -> Option<(f64, BinSet)> {
    let missing = bins[MISSING_BIN as usize];
    let mut order: Vec<usize> = (1..bins.len()).filter(|&bin| bins[bin].count > 0).collect();
    if order.len() < 2 && missing.count == 0 {
        return None;
    }
    let ratio = |bin: usize| bins[bin].gradient / (bins[bin].hessian + CATEGORY_SMOOTHING);
    order.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)).then(a.cmp(&b)));
    let mut best: Option<(f64, usize, bool)> = None;
    let mut left = Sums::default();
    // A prefix of 0 categories with the missing values left is "missing vs the rest".
    for prefix in 0..order.len() {
        if prefix > 0 {
            left.add(bins[order[prefix - 1]]);
        }
        for &missing_left in missing_options(missing) {
            let mut candidate = left;
            if missing_left {
                candidate.add(missing);
            }
            if let Some(gain) = gain_of(candidate, sums, params) {
                if best.is_none_or(|(best_gain, _, _)| gain > best_gain) {
                    best = Some((gain, prefix, missing_left));
                }
            }
        }
    }
    best.map(|(gain, prefix, missing_left)| {
        let mut set = BinSet::default();
        for &bin in &order[..prefix] {
            set.insert(bin as u8);
        }
        let left_count: u32 = order[..prefix].iter().map(|&bin| bins[bin].count).sum();
        if missing_left || (missing.count == 0 && 2 * left_count >= sums.count) {
            set.insert(MISSING_BIN);
        }
        (gain, set)
    })
}
