// Next to `#[tokio::main]`, on either side.
use bizmetrics::{business_metric, timed};

mod above {
    #[bizmetrics::timed]
    #[tokio::main]
    pub async fn main() {
        tokio::task::yield_now().await;
    }
}

#[tokio::main]
#[business_metric(action = "start")]
#[timed]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    bizmetrics::init()?;
    tokio::task::spawn_blocking(above::main).await?;
    Ok(())
}
