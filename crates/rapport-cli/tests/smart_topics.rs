//! Smart trackers and discovered topics on stored calls, through the real binary with the
//! packaged all-MiniLM-L6-v2 (`scripts/test-models.sh`), on SQLite and on PostgreSQL: a call
//! is analysed with the smart trackers when it is stored, re-analysis keeps one set of hits,
//! calls stored without a model are brought up to date once one is configured, topics are
//! discovered, renamed and kept, and the voice-of-the-customer report shows both.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn model_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-models/all-MiniLM-L6-v2");
    assert!(dir.join("model.safetensors").exists(), "run ./scripts/test-models.sh first: {}", dir.display());
    dir
}

/// Runs `rapport` on a workspace: SQLite in `dir`, or the PostgreSQL schema `url` names.
struct Workspace {
    dir: PathBuf,
    url: Option<String>,
}

impl Workspace {
    fn command(&self, with_model: bool, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("rapport").unwrap();
        command
            .arg("--data-dir")
            .arg(&self.dir)
            .env_remove("RAPPORT_DATABASE_URL")
            .env("RAPPORT_LOG", "warn");
        if let Some(url) = &self.url {
            command.arg("--database-url").arg(url);
        }
        if with_model {
            command.env("RAPPORT_EMBEDDING_MODEL", model_dir());
        } else {
            command.env_remove("RAPPORT_EMBEDDING_MODEL");
        }
        command.args(args);
        command
    }

    fn json(&self, with_model: bool, args: &[&str]) -> Value {
        let output = self.command(with_model, args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }

    fn run(&self, with_model: bool, args: &[&str]) -> String {
        let output = self.command(with_model, args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    /// Adds a call of `(role, text)` lines, five seconds each; returns its id.
    fn add_call(&self, with_model: bool, name: &str, lines: &[(&str, &str)], day: u32) -> i64 {
        let utterances: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(i, (role, text))| {
                let speaker = if *role == "rep" { "Rita" } else { "Ana" };
                serde_json::json!({"speaker": speaker, "role": role, "start": i * 5, "end": i * 5 + 4, "text": text})
            })
            .collect();
        let path = self.dir.join(format!("{name}.json"));
        std::fs::write(&path, serde_json::json!({ "utterances": utterances }).to_string()).unwrap();
        let started = format!("2026-03-{day:02} 10:00");
        let added = self.json(
            with_model,
            &["calls", "add", "--json", "--title", name, "--started-at", &started, path.to_str().unwrap()],
        );
        added["call"]["id"].as_i64().unwrap()
    }
}

const DISCOUNT: &[(&str, &str)] = &[
    ("rep", "Thanks for joining, let me walk you through the proposal."),
    ("customer", "Is that the best you can do on price?"),
    ("rep", "Let me check with my manager and come back to you."),
];

const SHIPPING: &[(&str, &str)] = &[
    ("customer", "Our warehouse ships pallets by truck to every regional depot."),
    ("rep", "How many trucks leave the warehouse for the depots each morning?"),
    ("customer", "Around forty trucks, and the freight schedule of the depots keeps changing."),
    ("customer", "Late freight deliveries at the depot cost us a lot of pallets."),
];

const SECURITY: &[(&str, &str)] = &[
    ("customer", "Our security team needs the encryption keys rotated every quarter."),
    ("rep", "Encryption at rest uses keys your security team controls."),
    ("customer", "The auditors will review the encryption and the access logs for compliance."),
    ("customer", "Security compliance means every access to the logs is audited."),
];

/// Smart hits stored for a call: (tracker, utterance, score).
fn smart_hits(workspace: &Workspace, call: i64) -> Vec<(String, i64, f64)> {
    let sql = "SELECT tracker, utterance_idx, score FROM call_tracker_hits
               WHERE call_id = $1 AND score IS NOT NULL ORDER BY tracker, utterance_idx";
    match &workspace.url {
        None => {
            let connection = rusqlite::Connection::open(workspace.dir.join("rapport.db")).unwrap();
            let mut statement = connection.prepare(&sql.replace("$1", "?1")).unwrap();
            let rows = statement
                .query_map([call], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            rows
        }
        Some(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            client
                .query(sql.replace("utterance_idx", "utterance_idx::bigint").as_str(), &[&call])
                .unwrap()
                .iter()
                .map(|row| (row.get(0), row.get(1), row.get(2)))
                .collect()
        }
    }
}

fn smart_trackers_and_topics_on(workspace: &Workspace) {
    // Stored with a model: analysed with the smart trackers at once.
    let discount = workspace.add_call(true, "discount", DISCOUNT, 2);
    let hits = smart_hits(workspace, discount);
    let asks: Vec<&(String, i64, f64)> = hits.iter().filter(|hit| hit.0 == "asks for a discount").collect();
    assert_eq!(asks.len(), 1, "{hits:?}");
    assert_eq!(asks[0].1, 1, "the customer's question");
    assert!(asks[0].2 > 0.0 && asks[0].2 <= 1.0, "a score: {hits:?}");

    // Stored without a model: no smart hits, until a re-analysis with one.
    let shipping = workspace.add_call(false, "shipping", SHIPPING, 3);
    let security = workspace.add_call(false, "security", SECURITY, 4);
    assert!(smart_hits(workspace, shipping).is_empty());
    let output = workspace.run(true, &["trackers", "reanalyze"]);
    assert!(output.contains("2 calls analysed"), "only the calls without smart hits are stale: {output}");
    // Re-running analyses nothing more and duplicates nothing.
    assert!(workspace.run(true, &["trackers", "reanalyze"]).contains("0 calls analysed"));
    assert_eq!(smart_hits(workspace, discount), hits, "one set of hits");

    // Search filters see smart trackers.
    let found = workspace.json(false, &["search", "price", "--tracker", "asks for a discount", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["call"].as_i64(), Some(discount));

    // Topics: two clearly different subjects become two topics named by their words.
    let discovery = workspace.json(true, &["topics", "discover", "--k", "2", "--json"]);
    let topics = discovery["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 2, "{discovery}");
    let names: Vec<String> = topics.iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect();
    let about = |words: &[&str]| {
        topics
            .iter()
            .find(|t| {
                let terms: Vec<&str> =
                    t["top_terms"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                words.iter().any(|w| terms.contains(w))
            })
            .unwrap_or_else(|| panic!("no topic about {words:?}: {names:?}"))
    };
    let logistics = about(&["warehouse", "trucks", "depot", "freight", "pallets", "depots"]);
    let compliance = about(&["security", "encryption", "compliance", "keys", "logs"]);
    assert_ne!(logistics["id"], compliance["id"], "separate clusters: {names:?}");
    let logistics_id = logistics["id"].as_str().unwrap().to_owned();

    // A rename persists, is audited, and survives a discovery that finds the topic again.
    let renamed = workspace.run(false, &["topics", "rename", &logistics_id, "Logistics"]);
    assert!(renamed.contains("Logistics"), "{renamed}");
    let listed = workspace.json(false, &["topics", "list", "--json"]);
    let shown = listed.as_array().unwrap().iter().find(|t| t["id"] == logistics_id.as_str()).unwrap().clone();
    assert_eq!((shown["name"].as_str(), shown["renamed"].as_bool()), (Some("Logistics"), Some(true)));
    workspace.json(true, &["topics", "discover", "--k", "2", "--json"]);
    let listed = workspace.json(false, &["topics", "list", "--json"]);
    let again = listed.as_array().unwrap().iter().find(|t| t["id"] == logistics_id.as_str());
    assert_eq!(again.and_then(|t| t["name"].as_str()), Some("Logistics"), "{listed}");
    let missing = workspace.command(false, &["topics", "rename", "topic-none", "x"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2), "an unknown topic is the user's error");

    // The voice of the customer: a smart tracker and a topic, with shares and quotes.
    let voc = workspace.json(false, &["report", "voc", "--json"]);
    let item = |kind: &str, name: &str| {
        voc["trackers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["kind"] == kind && item["tracker"] == name)
            .unwrap_or_else(|| panic!("no {kind} {name:?} in {voc}"))
            .clone()
    };
    let smart = item("smart", "asks for a discount");
    assert_eq!(smart["overall"]["mentioning"], 1);
    assert!((smart["overall"]["share"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9, "{smart}");
    assert_eq!(smart["quotes"][0]["text"], "Is that the best you can do on price?");
    assert_eq!(smart["quotes"][0]["call"].as_i64(), Some(discount));
    let topic = item("topic", "Logistics");
    assert_eq!(topic["topic_id"].as_str(), Some(logistics_id.as_str()));
    // The shipping call, and perhaps the discount call's small talk; never the security call.
    assert!(topic["overall"]["mentioning"].as_u64().unwrap() >= 1, "{topic}");
    assert!(topic["overall"]["share"].as_f64().unwrap() > 0.0, "{topic}");
    let quote = &topic["quotes"][0];
    assert_eq!(quote["call"].as_i64(), Some(shipping), "newest mentioning call first: {topic}");
    let text = quote["text"].as_str().unwrap();
    assert!(SHIPPING.iter().any(|(role, line)| *role == "customer" && *line == text), "{text}");
    let quoted: Vec<i64> =
        topic["quotes"].as_array().unwrap().iter().filter_map(|q| q["call"].as_i64()).collect();
    assert!(!quoted.contains(&security), "{topic}");
    let table = workspace.run(false, &["report", "voc"]);
    assert!(table.contains("Logistics") && table.contains("topic") && table.contains("smart"), "{table}");

    own_smart_trackers_reanalyse_when_edited(workspace, shipping);
}

const OWN_TRACKER: &str = r#"
[[smart_tracker]]
name = "talks about freight"
side = "anyone"
positives = [
    "Our trucks deliver the pallets to the depot every morning.",
    "The freight was late at the warehouse again this week.",
    "We ship everything by truck from the central warehouse.",
    "Deliveries to the regional depots keep slipping.",
    "Loading the pallets onto the trucks takes the whole morning.",
    "Our logistics partner moves the freight between depots.",
]
negatives = [
    "Can you send me the proposal by Friday?",
    "Our security team reviews every vendor.",
    "What does the pricing look like for fifty seats?",
]
"#;

/// Editing the workspace's own smart-tracker file makes every stored call stale (the trackers
/// are stored rows, and a changed row moves the set's version), and the re-analysis finds the
/// new tracker's hits; an unchanged file re-analyses nothing.
fn own_smart_trackers_reanalyse_when_edited(workspace: &Workspace, shipping: i64) {
    let file = workspace.dir.join("smart-trackers.toml");
    std::fs::write(&file, OWN_TRACKER).unwrap();
    let reanalyze = || {
        let output = workspace
            .command(true, &["trackers", "reanalyze"])
            .env("RAPPORT_SMART_TRACKERS", &file)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let output = reanalyze();
    assert!(output.contains("3 calls analysed"), "a new smart tracker makes every call stale: {output}");
    let freight =
        |hits: Vec<(String, i64, f64)>| hits.iter().filter(|h| h.0 == "talks about freight").count();
    assert!(freight(smart_hits(workspace, shipping)) >= 1, "{:?}", smart_hits(workspace, shipping));
    assert!(reanalyze().contains("0 calls analysed"), "the same file again changes nothing");
    let listed = workspace.json(false, &["trackers", "list", "--json"]);
    let row = listed["trackers"].as_array().unwrap().iter().find(|t| t["name"] == "talks about freight");
    assert_eq!(row.map(|t| t["kind"].clone()), Some(Value::from("smart")), "{listed}");

    // An edited example is a changed tracker.
    std::fs::write(&file, OWN_TRACKER.replace("every morning", "every single morning")).unwrap();
    assert!(reanalyze().contains("3 calls analysed"), "an edit re-analyses");
    // Dropped from the file: its row and its hits go.
    let output = workspace.run(true, &["trackers", "reanalyze"]);
    assert!(output.contains("3 calls analysed"), "{output}");
    assert_eq!(freight(smart_hits(workspace, shipping)), 0);
}

fn temporary(dir: &Path) -> Workspace {
    Workspace { dir: dir.to_owned(), url: None }
}

#[test]
fn smart_trackers_and_topics_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    smart_trackers_and_topics_on(&temporary(dir.path()));
}

#[test]
fn smart_trackers_and_topics_on_postgres() {
    let url = std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("rapport_smart_{}", std::process::id());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("PostgreSQL is reachable");
    client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace {
        dir: dir.path().to_owned(),
        url: Some(format!("{url}?options=-csearch_path%3D{schema}")),
    };
    smart_trackers_and_topics_on(&workspace);
    client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
}

#[test]
fn the_demo_with_a_model_shows_smart_trackers_and_topics() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = temporary(dir.path());
    let args = ["demo", "--scale", "tiny", "--seed", "3", "--anchor", "2026-06-30", "--no-serve"];
    let output = workspace.command(true, &args).output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("smart-tracker hits") && log.contains("topics discovered"), "{log}");

    let topics = workspace.json(false, &["topics", "list", "--json"]);
    assert!(topics.as_array().is_some_and(|t| t.len() >= 2), "{topics}");
    let voc = workspace.json(false, &["report", "voc", "--json"]);
    let mentioned = |kind: &str| {
        voc["trackers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["kind"] == kind && item["overall"]["mentioning"].as_u64().unwrap_or(0) > 0)
    };
    assert!(mentioned("smart"), "no smart tracker is mentioned in the demo's calls: {voc}");
    assert!(mentioned("topic"), "no discovered topic is mentioned in the demo's calls: {voc}");
}
