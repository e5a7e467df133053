//! `#[timed(native)]` from the outside: the classic buckets stay in the
//! text formats, the protobuf format carries the family, and a name kept
//! native at one site and classic at another is an `init()` error. The
//! native buckets themselves are read back by a real Prometheus in
//! `examples/tests/native.rs`, and their arithmetic is unit-tested in the
//! runtime's `native` module.

use bizmetrics::{timed, Format, Problem};

#[timed(name = "resize_duration_seconds", native)]
fn resize() {}

const CLASSIC: u32 = line!() + 1;
#[timed(name = "crop_duration_seconds")]
fn crop_a() {}

const NATIVE: u32 = line!() + 1;
#[timed(name = "crop_duration_seconds", native(schema = 4))]
fn crop_b() {}

#[test]
fn native_sites_keep_their_classic_buckets_and_speak_protobuf() {
    resize();
    resize();
    let text = bizmetrics::render();
    assert!(
        text.contains(r#"resize_duration_seconds_bucket{function="resize",module="native",outcome="ok",le="+Inf"} 2"#),
        "{text}"
    );

    let protobuf = bizmetrics::render_as(Format::Protobuf);
    let name = b"resize_duration_seconds";
    assert!(protobuf.windows(name.len()).any(|window| window == name));
    // Length-delimited messages: the first byte is the first family's length.
    assert!(usize::from(protobuf[0]) < protobuf.len());
}

#[test]
fn one_name_native_at_one_site_and_classic_at_another_is_refused() {
    let _ = (crop_a, crop_b);
    let error = bizmetrics::init().expect_err("a conflict");
    let conflict = error
        .problems()
        .iter()
        .find_map(|problem| match problem {
            Problem::Conflict {
                metric: "crop_duration_seconds",
                what,
                kept,
                conflicting,
            } => Some((
                *what,
                kept.0.line,
                conflicting.0.line,
                kept.1.clone(),
                conflicting.1.clone(),
            )),
            _ => None,
        })
        .expect("crop_duration_seconds is reported");
    assert_eq!(
        conflict,
        (
            "native histograms",
            CLASSIC,
            NATIVE,
            "classic only".to_owned(),
            "native, schema 4".to_owned()
        )
    );
}
