//! Topics on real embeddings: held-out sentences of three concepts fall into three topics
//! named by their words.

use rapport_embed::discover_topics;

use crate::embedder;

#[test]
fn three_concepts_become_three_named_topics() {
    let groups: [&[&str]; 3] = [
        &[
            "Is our data encrypted in transit?",
            "Where are your data centres located?",
            "Who has access to our customer data on your side?",
            "Do you encrypt the data you store?",
            "Is customer data kept in the EU?",
            "How do you protect our data?",
        ],
        &[
            "Can you do anything on the price?",
            "Could you take ten percent off the price?",
            "Would the price come down for three years?",
            "Is that your best price?",
            "The price is more than we expected.",
            "Can you lower the price for more seats?",
        ],
        &[
            "We went hiking in the mountains last weekend.",
            "The weekend weather was lovely for hiking.",
            "My kids loved the mountains on the weekend trip.",
            "Hiking all weekend was exhausting.",
            "We spent the weekend in the mountains.",
            "Any hiking plans this weekend?",
        ],
    ];
    let texts: Vec<&str> = groups.iter().flat_map(|group| group.iter().copied()).collect();
    let embeddings = embedder().embed(&texts).unwrap();
    let model = discover_topics(&embeddings, &texts, None, 42).unwrap();
    assert_eq!(model.topics.len(), 3, "{:?}", model.silhouettes);
    for (group_index, expected) in [(0, "data"), (1, "price"), (2, "weekend")] {
        let topic = model.assignments[group_index * 6];
        assert!((0..6).all(|i| model.assignments[group_index * 6 + i] == topic), "{:?}", model.assignments);
        assert_eq!(model.topics[topic].top_terms[0], expected, "{:?}", model.topics[topic]);
    }
}
