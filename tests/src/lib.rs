//! Integration tests for bizmetrics live in `tests/tests/`.
