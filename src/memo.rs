//! A small, bounded memo of values built from text: a big collection asks
//! for the same compiled template expression or JSONPath query thousands of
//! times. At most `capacity` entries are kept; when full, the memo is
//! emptied (cheaper than tracking use, and a run that keeps asking for the
//! same few texts refills it at once), so it stays small whatever the files
//! hold. Shared by threads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

pub(crate) struct Memo<V> {
    capacity: usize,
    kept: Mutex<Option<HashMap<String, Arc<V>>>>,
}

impl<V> Memo<V> {
    pub(crate) const fn new(capacity: usize) -> Memo<V> {
        Memo {
            capacity,
            kept: Mutex::new(None),
        }
    }

    /// The value kept for `key`, else `make()`'s, kept. Errors: `make`'s,
    /// and nothing is kept then.
    pub(crate) fn get_or_make<E>(
        &self,
        key: &str,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let kept = || self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(v) = kept().as_ref().and_then(|m| m.get(key)) {
            return Ok(v.clone());
        }
        let made = Arc::new(make()?);
        let mut guard = kept();
        let map = guard.get_or_insert_with(HashMap::new);
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(key.to_string(), made.clone());
        Ok(made)
    }

    /// How many values are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map_or(0, HashMap::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_reuses_values_and_never_keeps_more_than_its_capacity() {
        let memo: Memo<String> = Memo::new(3);
        let a = memo
            .get_or_make("a", || Ok::<_, ()>("A".to_string()))
            .unwrap();
        let again = memo.get_or_make("a", || Err(())).unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        assert_eq!(
            memo.get_or_make("bad", || Err::<String, _>("no")),
            Err("no")
        );
        for k in ["b", "c", "d", "e"] {
            memo.get_or_make(k, || Ok::<_, ()>(k.to_uppercase()))
                .unwrap();
            assert!(memo.len() <= 3);
        }
    }
}
