//! Sums the prices in an embedded JSON order with serde_json and prints the result as JSON.
use serde_json::{json, Value};

const ORDER: &str = r#"{"items": [{"name": "tea", "price": 4}, {"name": "cake", "price": 6}]}"#;

fn main() {
    let order: Value = serde_json::from_str(ORDER).expect("embedded JSON parses");
    let items = order["items"].as_array().expect("items is a list");
    let total: i64 = items.iter().filter_map(|item| item["price"].as_i64()).sum();
    println!("{}", json!({ "items": items.len(), "total": total }));
}
