//! A persistent (immutable, structurally shared) sorted map from names to values.
//!
//! Every instruction keeps the ARG/ENV scope it runs in, and a stage built `FROM` another
//! starts from that stage's scope. Copying a map per instruction would make long files
//! quadratic; an AVL tree with path copying makes each definition O(log n) and each snapshot
//! O(1), so 10,000 stages chained with `FROM` stay linear-ish. Values sit behind an `Arc`:
//! a path copy shares them instead of cloning each one.

use std::cmp::Ordering;
use std::sync::Arc;

type Link<V> = Option<Arc<Node<V>>>;

#[derive(Debug)]
struct Node<V> {
    key: Arc<str>,
    /// Shared, so copying a path copies no value (a value may be long).
    value: Arc<V>,
    left: Link<V>,
    right: Link<V>,
    height: u8,
}

/// A persistent map; `clone` is O(1) and shares the whole tree.
#[derive(Debug)]
pub struct PMap<V> {
    root: Link<V>,
    len: usize,
}

impl<V> Clone for PMap<V> {
    fn clone(&self) -> Self {
        PMap {
            root: self.root.clone(),
            len: self.len,
        }
    }
}

impl<V> Default for PMap<V> {
    fn default() -> Self {
        PMap { root: None, len: 0 }
    }
}

fn height<V>(link: &Link<V>) -> u8 {
    link.as_ref().map_or(0, |n| n.height)
}

fn make<V>(key: Arc<str>, value: Arc<V>, left: Link<V>, right: Link<V>) -> Arc<Node<V>> {
    let height = 1 + height(&left).max(height(&right));
    Arc::new(Node {
        key,
        value,
        left,
        right,
        height,
    })
}

impl<V: Clone> PMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        let mut link = &self.root;
        while let Some(node) = link {
            match key.cmp(&node.key) {
                Ordering::Less => link = &node.left,
                Ordering::Greater => link = &node.right,
                Ordering::Equal => return Some(node.value.as_ref()),
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A new map with `key` set to `value`; `self` is unchanged.
    pub fn insert(&self, key: &str, value: V) -> PMap<V> {
        let mut added = false;
        let root = insert(&self.root, key, value, &mut added);
        PMap {
            root: Some(root),
            len: self.len + usize::from(added),
        }
    }

    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        let mut iter = Iter { stack: Vec::new() };
        iter.push_left(&self.root);
        iter
    }
}

fn insert<V: Clone>(link: &Link<V>, key: &str, value: V, added: &mut bool) -> Arc<Node<V>> {
    let Some(node) = link else {
        *added = true;
        return make(Arc::from(key), Arc::new(value), None, None);
    };
    match key.cmp(&node.key) {
        Ordering::Equal => make(
            node.key.clone(),
            Arc::new(value),
            node.left.clone(),
            node.right.clone(),
        ),
        Ordering::Less => {
            let left = insert(&node.left, key, value, added);
            balance(
                node.key.clone(),
                node.value.clone(),
                Some(left),
                node.right.clone(),
            )
        }
        Ordering::Greater => {
            let right = insert(&node.right, key, value, added);
            balance(
                node.key.clone(),
                node.value.clone(),
                node.left.clone(),
                Some(right),
            )
        }
    }
}

/// Rebuilds a node whose subtrees differ in height by at most two, rotating as AVL does.
fn balance<V>(key: Arc<str>, value: Arc<V>, left: Link<V>, right: Link<V>) -> Arc<Node<V>> {
    let (hl, hr) = (height(&left), height(&right));
    if hl > hr + 1 {
        if let Some(l) = &left {
            if height(&l.left) >= height(&l.right) {
                let new_right = make(key, value, l.right.clone(), right);
                return make(
                    l.key.clone(),
                    l.value.clone(),
                    l.left.clone(),
                    Some(new_right),
                );
            }
            if let Some(lr) = &l.right {
                let new_left = make(
                    l.key.clone(),
                    l.value.clone(),
                    l.left.clone(),
                    lr.left.clone(),
                );
                let new_right = make(key, value, lr.right.clone(), right);
                return make(
                    lr.key.clone(),
                    lr.value.clone(),
                    Some(new_left),
                    Some(new_right),
                );
            }
        }
    } else if hr > hl + 1 {
        if let Some(r) = &right {
            if height(&r.right) >= height(&r.left) {
                let new_left = make(key, value, left, r.left.clone());
                return make(
                    r.key.clone(),
                    r.value.clone(),
                    Some(new_left),
                    r.right.clone(),
                );
            }
            if let Some(rl) = &r.left {
                let new_left = make(key, value, left, rl.left.clone());
                let new_right = make(
                    r.key.clone(),
                    r.value.clone(),
                    rl.right.clone(),
                    r.right.clone(),
                );
                return make(
                    rl.key.clone(),
                    rl.value.clone(),
                    Some(new_left),
                    Some(new_right),
                );
            }
        }
    }
    make(key, value, left, right)
}

pub struct Iter<'a, V> {
    stack: Vec<&'a Node<V>>,
}

impl<'a, V> Iter<'a, V> {
    fn push_left(&mut self, mut link: &'a Link<V>) {
        while let Some(node) = link {
            self.stack.push(node);
            link = &node.left;
        }
    }
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a str, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        let node = self.stack.pop()?;
        self.push_left(&node.right);
        Some((&node.key, node.value.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_and_share() {
        let empty: PMap<u32> = PMap::default();
        let a = empty.insert("b", 2).insert("a", 1);
        let b = a.insert("c", 3).insert("a", 10);
        assert_eq!(a.get("a"), Some(&1));
        assert_eq!(a.get("c"), None);
        assert_eq!(b.get("a"), Some(&10));
        assert_eq!(b.get("c"), Some(&3));
        assert_eq!((a.len(), b.len()), (2, 3));
        let keys: Vec<_> = b.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(keys, [("a".into(), 10), ("b".into(), 2), ("c".into(), 3)]);
    }

    #[test]
    fn stays_balanced_and_sorted() {
        let mut map = PMap::default();
        for i in 0..5000u32 {
            // Ascending keys are the worst case for an unbalanced tree.
            map = map.insert(&format!("{i:06}"), i);
        }
        assert_eq!(map.len(), 5000);
        assert!(height(&map.root) <= 18, "height {}", height(&map.root));
        let values: Vec<u32> = map.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, (0..5000).collect::<Vec<_>>());
        for i in (0..5000u32).step_by(97) {
            assert_eq!(map.get(&format!("{i:06}")), Some(&i));
        }
    }
}
