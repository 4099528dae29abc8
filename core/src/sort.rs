//! One stable sort for core's short lists (components, incident updates,
//! maintenance windows, a message's matches).
//!
//! `slice::sort_by_key` is a driftsort, compiled anew for every element and
//! key type: six call sites made six copies, about 23 KB of the widget's
//! wasm. These lists hold a handful to a few hundred entries, where an
//! insertion sort is as fast and its copies are a few dozen bytes each.

/// Sorts `items` by `key`, keeping the order of equal keys (stable).
/// Quadratic in the worst case: for short lists only.
pub fn stable_sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        // Strictly greater: an equal key never moves past its predecessor.
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::stable_sort_by_key;
    use proptest::prelude::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut items = [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        stable_sort_by_key(&mut items, |item| item.0);
        assert_eq!(items, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        let mut empty: [u8; 0] = [];
        stable_sort_by_key(&mut empty, |&x| x);
    }

    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort_does(
            items in proptest::collection::vec((0u8..8, any::<u16>()), 0..64)
        ) {
            let mut ours = items.clone();
            stable_sort_by_key(&mut ours, |item| item.0);
            let mut std_sorted = items;
            std_sorted.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, std_sorted);
        }
    }
}
