//! Bounded label values: the only types a label may take its value from
//! at run time.
//!
//! Every distinct label value is a time series that Prometheus keeps
//! forever, so a label fed from a `String` or a user id can grow without
//! bound. A [`LabelValue`] type has a fixed, known set of values instead,
//! which also lets every series exist at zero from startup and lets a call
//! pick its cell by ordinal, with no hashing.

use crate::decl::Dimension;

/// A type with a fixed, known set of label values.
///
/// Derive it for field-less enums; it is implemented for `bool` and for
/// `Option<T>` of a bounded `T`.
///
/// ```
/// use bizmetrics::LabelValue;
///
/// #[derive(LabelValue)]
/// enum Device {
///     Mobile,
///     Desktop,
///     #[label(rename = "smart-tv")]
///     SmartTv,
/// }
///
/// assert_eq!(Device::CARDINALITY, 3);
/// assert_eq!(Device::label(Device::SmartTv.ordinal()), "smart-tv");
/// assert_eq!(<Option<Device>>::label(Some(Device::Mobile).ordinal()), "mobile");
/// assert_eq!(<Option<Device>>::label(None::<Device>.ordinal()), "none");
/// assert_eq!(bool::label(true.ordinal()), "true");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a label value: label values need a bounded type",
    label = "`{Self}` can take unboundedly many values",
    note = "each distinct label value is a time series that Prometheus keeps forever, so a label must come from a fixed set of values",
    note = "use a field-less enum with `#[derive(bizmetrics::LabelValue)]`, a `bool`, or an `Option` of those",
    note = "a struct of such labels that derives `bizmetrics::LabelGroup` goes in whole, as `labels(name)`"
)]
pub trait LabelValue {
    /// How many values the type has.
    const CARDINALITY: usize;

    /// This value's position, in `0..CARDINALITY`.
    fn ordinal(&self) -> usize;

    /// The label text of the value at `ordinal`.
    ///
    /// # Panics
    ///
    /// When `ordinal >= CARDINALITY`.
    fn label(ordinal: usize) -> &'static str;
}

impl LabelValue for bool {
    const CARDINALITY: usize = 2;

    #[inline]
    fn ordinal(&self) -> usize {
        usize::from(*self)
    }

    fn label(ordinal: usize) -> &'static str {
        ["false", "true"][ordinal]
    }
}

/// `None` is the label value `none`, and comes first.
impl<T: LabelValue> LabelValue for Option<T> {
    const CARDINALITY: usize = T::CARDINALITY + 1;

    #[inline]
    fn ordinal(&self) -> usize {
        self.as_ref().map_or(0, |value| value.ordinal() + 1)
    }

    fn label(ordinal: usize) -> &'static str {
        match ordinal {
            0 => "none",
            _ => T::label(ordinal - 1),
        }
    }
}

impl<T: LabelValue + ?Sized> LabelValue for &T {
    const CARDINALITY: usize = T::CARDINALITY;

    #[inline]
    fn ordinal(&self) -> usize {
        (**self).ordinal()
    }

    fn label(ordinal: usize) -> &'static str {
        T::label(ordinal)
    }
}

/// A struct of bounded labels that travel together, such as a user's
/// device, age group and plan: `labels(profile)` on an attribute adds every
/// field as a label. Derive it with `#[derive(bizmetrics::LabelGroup)]`.
///
/// Each field is one label, named after the field unless
/// `#[label(rename = "...")]` says otherwise, and of a [`LabelValue`] type.
/// The group's combinations are the product of its fields'; a call picks
/// its series from the fields' ordinals, with no hashing.
///
/// ```
/// use bizmetrics::{LabelGroup, LabelValue};
///
/// #[derive(Clone, Copy, LabelValue)]
/// enum Device { Mobile, Desktop }
///
/// #[derive(LabelGroup)]
/// struct Profile {
///     device: Device,
///     #[label(rename = "returning_user")]
///     returning: bool,
/// }
///
/// assert_eq!(Profile::CARDINALITY, 4);
/// let profile = Profile { device: Device::Desktop, returning: true };
/// assert_eq!(profile.ordinal(), 3);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a label group",
    label = "`labels({Self})` needs a `#[derive(bizmetrics::LabelGroup)]` struct",
    note = "a single label is written `labels(name = value)`; a group of them is a struct that derives `LabelGroup`"
)]
pub trait LabelGroup {
    /// How many combinations of values the group has.
    const CARDINALITY: usize;

    /// The group's labels, in field order.
    #[doc(hidden)]
    const DIMENSIONS: &'static [Dimension];

    /// This value's combination, row-major over the fields: the last field
    /// varies fastest.
    fn ordinal(&self) -> usize;
}

/// What `labels(name)` takes from the parameter `name`: every field of a
/// [`LabelGroup`], or one [`LabelValue`], which is then the label `name`.
///
/// The attribute cannot see types, so the type says which: every label
/// group is one, `#[derive(LabelValue)]` implements it, as do `bool` and
/// `Option<T>`. Hidden, and apart from the public traits, whose
/// `CARDINALITY` and `ordinal` it would otherwise make ambiguous.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be taken whole by `labels(name)`",
    label = "`labels(name)` takes a type that derives `LabelValue` (the label `name`) or `LabelGroup` (a label per field)",
    note = "a `bool`, or an `Option` of such a type, goes in the same way; any other bounded value, such as a type that implements `LabelValue` by hand, is written `labels(name = name)`",
    note = "each distinct label value is a time series that Prometheus keeps forever, so a label never comes from a `String` or an integer"
)]
pub trait LabelBinding {
    /// How many combinations of values it has.
    const CARDINALITY: usize;

    /// One value, whose one label the binding names, rather than a group
    /// whose fields name theirs.
    const SINGLE: bool;

    /// A group's labels in field order, or a single value's one label,
    /// unnamed until the call site names it after the binding.
    const DIMENSIONS: &'static [Dimension];

    /// This value's combination, as its group or value orders them.
    fn ordinal(&self) -> usize;
}

/// A single value's one label, unnamed: the binding names it.
pub const fn unnamed<T: LabelValue>() -> Dimension {
    Dimension {
        name: "",
        cardinality: T::CARDINALITY,
        label: T::label,
    }
}

impl LabelBinding for bool {
    const CARDINALITY: usize = 2;
    const SINGLE: bool = true;
    const DIMENSIONS: &'static [Dimension] = &[unnamed::<bool>()];

    #[inline]
    fn ordinal(&self) -> usize {
        LabelValue::ordinal(self)
    }
}

impl<T: LabelValue> LabelBinding for Option<T> {
    const CARDINALITY: usize = <Self as LabelValue>::CARDINALITY;
    const SINGLE: bool = true;
    const DIMENSIONS: &'static [Dimension] = &[unnamed::<Self>()];

    #[inline]
    fn ordinal(&self) -> usize {
        LabelValue::ordinal(self)
    }
}

// Not offered in errors: a type that is not a binding is more often meant
// as a value than as a group.
#[diagnostic::do_not_recommend]
impl<T: LabelGroup> LabelBinding for T {
    const CARDINALITY: usize = T::CARDINALITY;
    const SINGLE: bool = false;
    const DIMENSIONS: &'static [Dimension] = T::DIMENSIONS;

    #[inline]
    fn ordinal(&self) -> usize {
        LabelGroup::ordinal(self)
    }
}

/// Whether a name occurs twice among a call site's label names: its own,
/// then each binding's (a group's fields, or a single value's one). Run at
/// compile time, where a label group's field names are first known
/// together with the attribute's.
pub const fn names_repeat(own: &[&str], bindings: &[&[Dimension]]) -> bool {
    let mut total = own.len();
    let mut g = 0;
    while g < bindings.len() {
        total += bindings[g].len();
        g += 1;
    }
    let mut a = 0;
    while a < total {
        let mut b = a + 1;
        while b < total {
            if same(name_at(own, bindings, a), name_at(own, bindings, b)) {
                return true;
            }
            b += 1;
        }
        a += 1;
    }
    false
}

/// The `index`th of `own` followed by every binding's names.
const fn name_at<'a>(own: &[&'a str], bindings: &[&[Dimension]], mut index: usize) -> &'a str
where
    'static: 'a,
{
    if index < own.len() {
        return own[index];
    }
    index -= own.len();
    let mut g = 0;
    while index >= bindings[g].len() {
        index -= bindings[g].len();
        g += 1;
    }
    bindings[g][index].name
}

/// `a == b`, in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
