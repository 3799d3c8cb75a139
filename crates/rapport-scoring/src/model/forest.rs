//! The trained trees, flattened into arrays so scoring is a tight loop over small structs
//! with no pointer chasing through boxes and no branch on the kind of split.
//!
//! Every split is a 256-bit set over its feature's bins: a row goes left when its bin is in the
//! set. Numeric splits ("bins 1..=t, plus missing if learned so") and categorical splits ("these
//! categories") then look the same, and so does the learned direction of missing values.

use serde::{Deserialize, Serialize};

/// A child reference: `>= 0` is a node index, `< 0` is `!leaf_index`.
pub type Child = i32;

/// A set of bins (bits 0..=255).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinSet(pub [u64; 4]);

impl BinSet {
    pub fn insert(&mut self, bin: u8) {
        self.0[(bin >> 6) as usize] |= 1 << (bin & 63);
    }

    #[inline]
    pub fn contains(&self, bin: u8) -> bool {
        (self.0[(bin >> 6) as usize] >> (bin & 63)) & 1 == 1
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub feature: u32,
    /// Bins that go left.
    pub left_bins: BinSet,
    pub left: Child,
    pub right: Child,
    /// What this node would predict as a leaf (shrunk like a leaf); explanations attribute
    /// the change from a node's value to its child's value to the node's feature.
    pub value: f64,
}

/// All trees of a model: nodes and leaves of every tree in two flat arrays.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub nodes: Vec<Node>,
    pub leaves: Vec<f64>,
    pub roots: Vec<Child>,
}

impl Forest {
    pub fn tree_count(&self) -> usize {
        self.roots.len()
    }

    /// Keeps the first `trees` trees (early stopping's best round), given where that tree's
    /// nodes and leaves ended: trees are appended whole, so theirs are prefixes of the arrays.
    pub fn truncate(&mut self, trees: usize, nodes: usize, leaves: usize) {
        self.roots.truncate(trees);
        self.nodes.truncate(nodes);
        self.leaves.truncate(leaves);
    }

    /// The leaf `row` (its bins, one per feature) reaches in the tree at `root`.
    #[inline]
    pub fn leaf_of(&self, root: Child, row: &[u8]) -> usize {
        let mut child = root;
        while child >= 0 {
            let node = &self.nodes[child as usize];
            let bin = row[node.feature as usize];
            child = if node.left_bins.contains(bin) { node.left } else { node.right };
        }
        !child as usize
    }

    /// The leaves four rows reach in the tree at `root`, walked side by side.
    #[inline]
    fn four_leaves(&self, root: Child, rows: [&[u8]; 4]) -> [usize; 4] {
        let mut children = [root; 4];
        while children.iter().any(|&child| child >= 0) {
            for (child, row) in children.iter_mut().zip(rows) {
                if *child >= 0 {
                    let node = &self.nodes[*child as usize];
                    *child = if node.left_bins.contains(row[node.feature as usize]) {
                        node.left
                    } else {
                        node.right
                    };
                }
            }
        }
        children.map(|child| !child as usize)
    }

    /// Sum of the leaf values `row` reaches, over all trees.
    #[inline]
    pub fn raw_sum(&self, row: &[u8]) -> f64 {
        self.roots.iter().map(|&root| self.leaves[self.leaf_of(root, row)]).sum()
    }

    /// Adds every tree's leaf value to `scores`, for rows of `features` bins each in `matrix`.
    /// Tree by tree over blocks of rows: one tree's nodes stay in the L1 cache while a block's
    /// rows walk it, and the walks of different rows are independent, so the processor
    /// overlaps them instead of waiting on one row's chain of loads.
    pub fn add_raw(&self, matrix: &[u8], features: usize, scores: &mut [f64]) {
        const BLOCK: usize = 256;
        let features = features.max(1);
        for (block, block_scores) in matrix.chunks(BLOCK * features).zip(scores.chunks_mut(BLOCK)) {
            for &root in &self.roots {
                let mut rows = block.chunks_exact(features).zip(block_scores.iter_mut());
                // Four walks in step: while one waits on a load, the others' loads are in flight.
                while let (Some(a), Some(b), Some(c), Some(d)) =
                    (rows.next(), rows.next(), rows.next(), rows.next())
                {
                    let leaves = self.four_leaves(root, [a.0, b.0, c.0, d.0]);
                    *a.1 += self.leaves[leaves[0]];
                    *b.1 += self.leaves[leaves[1]];
                    *c.1 += self.leaves[leaves[2]];
                    *d.1 += self.leaves[leaves[3]];
                }
                // The last group's `next` calls may have consumed the final rows (fewer than
                // four) without walking them; walk them one by one.
                let done = block_scores.len() / 4 * 4;
                for (row, score) in block.chunks_exact(features).zip(block_scores.iter_mut()).skip(done) {
                    *score += self.leaves[self.leaf_of(root, row)];
                }
            }
        }
    }

    /// What the trees predict before looking at any feature: the sum of the root values.
    pub fn root_sum(&self) -> f64 {
        self.roots.iter().map(|&root| self.value_of(root)).sum()
    }

    fn value_of(&self, child: Child) -> f64 {
        if child >= 0 {
            self.nodes[child as usize].value
        } else {
            self.leaves[!child as usize]
        }
    }

    /// Saabas path attribution: along the path of `row` in every tree, the change from a
    /// node's value to its child's is credited to the node's feature. The credits add up
    /// exactly to `raw_sum(row) - root_sum()`.
    pub fn attribute(&self, row: &[u8], credits: &mut [f64]) {
        for &root in &self.roots {
            let mut child = root;
            while child >= 0 {
                let node = &self.nodes[child as usize];
                let next =
                    if node.left_bins.contains(row[node.feature as usize]) { node.left } else { node.right };
                credits[node.feature as usize] += self.value_of(next) - node.value;
                child = next;
            }
        }
    }
}
