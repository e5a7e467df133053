// Inside an annotated `impl` block, a method takes the block's defaults.
bizmetrics::defaults! {
    query = timed(name = "query_duration_seconds");
}

struct Repo;

#[bizmetrics::timed]
impl Repo {
    #[bizmetrics::timed(defaults = query)]
    fn load(&self) {}
}

fn main() {
    Repo.load();
}
