//! A map keyed by [`Field`]: one slot per field, so that building a link looks fields up by
//! index instead of hashing (a `HashMap` with SipHash cost more than the rest of the lookups).

use crate::field::Field;

/// How many fields the profile has.
const FIELDS: usize = Field::ALL.len();

/// At most one `T` per field, with the part of the `HashMap` API that `build` and `checks` use.
#[derive(Debug, Clone)]
pub(crate) struct FieldMap<T>([Option<T>; FIELDS]);

impl<T> Default for FieldMap<T> {
    fn default() -> Self {
        FieldMap(std::array::from_fn(|_| None))
    }
}

// `&Field` arguments: the signatures of `HashMap`, which this replaces.
#[allow(clippy::trivially_copy_pass_by_ref)]
impl<T> FieldMap<T> {
    fn slot(field: Field) -> usize {
        // `Field::ALL` lists the variants in declaration order (the test checks it).
        field as usize
    }

    pub(crate) fn get(&self, field: &Field) -> Option<&T> {
        self.0[Self::slot(*field)].as_ref()
    }

    pub(crate) fn contains_key(&self, field: &Field) -> bool {
        self.get(field).is_some()
    }

    /// Stores `value` for `field` unless it has one; says whether it was stored.
    pub(crate) fn insert_first(&mut self, field: Field, value: T) -> bool {
        let slot = &mut self.0[Self::slot(field)];
        if slot.is_some() {
            return false;
        }
        *slot = Some(value);
        true
    }

    /// The fields that have a value, with it, in the order of `Field::ALL`.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Field, &T)> {
        Field::ALL
            .iter()
            .zip(&self.0)
            .filter_map(|(f, v)| v.as_ref().map(|v| (*f, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_has_its_own_slot() {
        for (i, field) in Field::ALL.iter().enumerate() {
            assert_eq!(FieldMap::<()>::slot(*field), i, "{field:?}");
        }
        let mut map = FieldMap::default();
        assert!(map.insert_first(Field::Title, 1));
        assert!(!map.insert_first(Field::Title, 2));
        assert!(map.insert_first(Field::Price, 3));
        assert_eq!(map.get(&Field::Title), Some(&1));
        assert!(!map.contains_key(&Field::Buyid));
        let all: Vec<_> = map.iter().map(|(f, v)| (f, *v)).collect();
        assert_eq!(all, [(Field::Price, 3), (Field::Title, 1)]);
    }
}
