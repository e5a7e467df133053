#[bizmetrics::timed(errors)]
fn lookup() -> Option<u32> {
    None
}

// A worker loop never returns, so it cannot return an `Err` either.
#[bizmetrics::timed(errors)]
async fn serve() -> ! {
    loop {
        std::future::pending::<()>().await;
    }
}

// The same, synchronous, and `count = "ok"`.
#[bizmetrics::business_metric(action = "spin", count = "ok")]
#[bizmetrics::timed(errors)]
fn spin() -> ! {
    loop {
        std::thread::park();
    }
}

fn main() {}
