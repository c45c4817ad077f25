//! A compact `u64 → slots` multimap for keys that usually map to one document (URLs, titles, rare bigrams).
//!
//! A `HashMap<u64, Vec<u32>>` spends about 70 bytes on a key with one slot (the `Vec` header and its own heap
//! block); here the first slot sits inline in a `u64 → u32` table (about 16 bytes) and only further slots go to a
//! side table of vectors. At a million documents with a dozen such keys each, that is the difference between
//! fitting in memory comfortably and not.

use crate::hash::FxMap;

pub(crate) type Slot = u32;

#[derive(Debug, Default)]
pub(crate) struct MultiMap {
    one: FxMap<u64, Slot>,
    more: FxMap<u64, Vec<Slot>>,
}

impl MultiMap {
    /// Adds `slot` under `key` unless present. Key 0 means "absent" and is ignored.
    pub(crate) fn insert(&mut self, key: u64, slot: Slot) {
        if key == 0 {
            return;
        }
        match self.one.get(&key) {
            None => {
                self.one.insert(key, slot);
            }
            Some(&first) if first == slot => {}
            Some(_) => {
                let v = self.more.entry(key).or_default();
                if !v.contains(&slot) {
                    v.push(slot);
                }
            }
        }
    }

    pub(crate) fn remove(&mut self, key: u64, slot: Slot) {
        let Some(&first) = self.one.get(&key) else { return };
        if first == slot {
            match self.more.get_mut(&key) {
                Some(v) => {
                    let next = v.swap_remove(0);
                    if v.is_empty() {
                        self.more.remove(&key);
                    }
                    self.one.insert(key, next);
                }
                None => {
                    self.one.remove(&key);
                }
            }
        } else if let Some(v) = self.more.get_mut(&key) {
            v.retain(|s| *s != slot);
            if v.is_empty() {
                self.more.remove(&key);
            }
        }
    }

    /// Calls `f` for every slot under `key`, at most `cap` of them.
    pub(crate) fn each(&self, key: u64, cap: usize, mut f: impl FnMut(Slot)) {
        if let Some(&first) = self.one.get(&key) {
            f(first);
            if let Some(v) = self.more.get(&key) {
                v.iter().take(cap.saturating_sub(1)).for_each(|s| f(*s));
            }
        }
    }

    pub(crate) fn count(&self, key: u64) -> usize {
        match self.one.get(&key) {
            None => 0,
            Some(_) => 1 + self.more.get(&key).map_or(0, Vec::len),
        }
    }

    /// Removes `key` and returns all its slots.
    pub(crate) fn take(&mut self, key: u64) -> Vec<Slot> {
        let mut v = self.more.remove(&key).unwrap_or_default();
        if let Some(first) = self.one.remove(&key) {
            v.insert(0, first);
        }
        v
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.one.capacity() * (std::mem::size_of::<(u64, Slot)>() + 1)
            + self.more.capacity() * (std::mem::size_of::<(u64, Vec<Slot>)>() + 1)
            + self.more.values().map(|v| v.capacity() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(m: &MultiMap, k: u64) -> Vec<Slot> {
        let mut v = Vec::new();
        m.each(k, usize::MAX, |s| v.push(s));
        v.sort_unstable();
        v
    }

    #[test]
    fn insert_remove_promote() {
        let mut m = MultiMap::default();
        m.insert(7, 1);
        m.insert(7, 2);
        m.insert(7, 2);
        m.insert(7, 3);
        assert_eq!(all(&m, 7), [1, 2, 3]);
        m.remove(7, 1);
        assert_eq!(all(&m, 7), [2, 3]);
        m.remove(7, 3);
        m.remove(7, 2);
        assert_eq!(m.count(7), 0);
        m.insert(0, 5);
        assert_eq!(m.count(0), 0);
        m.insert(9, 4);
        m.insert(9, 5);
        assert_eq!(m.take(9), [4, 5]);
        assert_eq!(m.count(9), 0);
    }
}
