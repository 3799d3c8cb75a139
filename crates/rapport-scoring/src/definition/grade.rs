//! Grades A–D from fit and engagement.
//!
//! Each of fit and engagement falls in a tier: 2 (at or above its `*_high` band), 1 (at or
//! above `*_medium`) or 0. The grade is the sum of the two tiers:
//!
//! | fit tier + engagement tier | grade | meaning |
//! |---|---|---|
//! | 4 | A | right company and person, engaged now |
//! | 3 | B | one side strong, the other medium |
//! | 2 | C | both medium, or one strong and the other absent |
//! | 0–1 | D | little fit and little engagement |
//!
//! So a perfect fit who never engaged is a C, like an eager student at a poor-fit company:
//! neither is ready for sales.

use serde::{Deserialize, Serialize};

use super::document::GradeBands;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::A, Grade::B, Grade::C, Grade::D];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

fn tier(value: f64, high: f64, medium: f64) -> u8 {
    if value >= high {
        2
    } else if value >= medium {
        1
    } else {
        0
    }
}

pub fn grade(bands: &GradeBands, fit: f64, engagement: f64) -> Grade {
    let sum = tier(fit, bands.fit_high, bands.fit_medium)
        + tier(engagement, bands.engagement_high, bands.engagement_medium);
    match sum {
        4 => Grade::A,
        3 => Grade::B,
        2 => Grade::C,
        _ => Grade::D,
    }
}
