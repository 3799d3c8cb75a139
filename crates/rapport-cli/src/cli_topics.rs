//! The command-line grammar of topics discovered across the stored calls.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Cluster the utterances of every stored call into topics named by their top terms,
    /// store them (replacing the previous ones; a renamed topic found again keeps its name)
    /// and every call's topics. Needs an embedding model (`embedding_model` in the config or
    /// RAPPORT_EMBEDDING_MODEL).
    Discover {
        /// Number of topics (default: chosen by silhouette between 2 and 12).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=100))]
        k: Option<u16>,
        /// Seed of the clustering: the same calls and seed give the same topics.
        #[arg(long, default_value_t = rapport_app::topics::DEFAULT_SEED)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// The stored topics, largest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Give a topic a name, shown everywhere instead of its top terms.
    Rename {
        /// The topic's id (`rapport topics list`).
        id: String,
        name: String,
    },
}
