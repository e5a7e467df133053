//! Two methods of one annotated `impl` block that conflict are reported at
//! their own locations, so the error names both places.

use bizmetrics::timed;

struct Shelf;

#[timed(name = "shelf_operation_seconds")]
impl Shelf {
    fn stock(&self) {}

    #[timed(name = "shelf_operation_seconds", labels(aisle = "a1"))]
    fn restock(&self) {}
}

#[test]
fn a_conflict_between_two_methods_of_one_block_names_two_locations() {
    Shelf.stock();
    Shelf.restock();
    let error = bizmetrics::init().expect_err("the two methods conflict");
    let conflict = error
        .problems()
        .iter()
        .find_map(|problem| match problem {
            bizmetrics::Problem::Conflict {
                metric: "shelf_operation_seconds",
                kept,
                conflicting,
                ..
            } => Some((kept.0, conflicting.0)),
            _ => None,
        })
        .expect("a conflict on shelf_operation_seconds");
    assert_ne!(
        conflict.0, conflict.1,
        "both methods are reported at the same place: {error}"
    );
}
