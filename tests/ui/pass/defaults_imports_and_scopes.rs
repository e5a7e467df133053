// Attributes imported by name and applied only through sets, both in
// either order and alone; a set used above its declaration; a set on an
// impl block; a set declared in a function body; a set holding `alert`.
#![deny(warnings)]

mod a {
    use bizmetrics::timed;

    #[timed(defaults = later)]
    pub fn before_declaration() {}

    bizmetrics::defaults! {
        later = timed(name = "batch_job_seconds");
    }
}

mod b {
    use bizmetrics::business_metric;
    use bizmetrics::timed;

    bizmetrics::defaults! {
        /// Actions.
        act = business_metric(alert(below = 1, per = "5m", name = "FewActions"));
        /// Calls.
        call = timed(errors);
    }

    #[business_metric(defaults = act, action = "one")]
    #[timed(defaults = call)]
    pub fn one() -> Result<(), String> {
        Ok(())
    }

    #[timed(defaults = call)]
    #[business_metric(defaults = act, action = "two")]
    pub fn two() -> Result<(), String> {
        Ok(())
    }

    #[timed]
    #[business_metric(defaults = act, action = "three")]
    pub fn three() {}

    pub struct Repo;

    #[business_metric(defaults = act)]
    #[timed(defaults = call)]
    impl Repo {
        pub fn load(&self) -> Result<(), String> {
            Ok(())
        }
    }
}

fn main() {
    bizmetrics::defaults! {
        local = timed(name = "local_task_seconds");
    }
    #[bizmetrics::timed(defaults = local)]
    fn inner() {}

    a::before_declaration();
    b::one().unwrap();
    b::two().unwrap();
    b::three();
    b::Repo.load().unwrap();
    inner();
    bizmetrics::init().unwrap();
}
