// `self: Box<Self>`, `self: Arc<Self>`, `self: Rc<Self>` and
// `self: Pin<&mut Self>` receivers.
#![deny(warnings)]

use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use bizmetrics::{business_metric, timed};

struct Job {
    id: u32,
}

impl Job {
    #[timed]
    fn run_boxed(self: Box<Self>) -> u32 {
        self.id
    }

    #[business_metric(action = "run_shared")]
    #[timed]
    fn run_shared(self: Arc<Self>) -> u32 {
        self.id + 1
    }

    #[timed]
    fn run_counted(self: Rc<Self>) -> u32 {
        self.id + 2
    }

    #[timed]
    fn run_pinned(self: Pin<&mut Self>) -> u32 {
        self.id + 3
    }

    // A borrow out of a pinned receiver.
    #[timed]
    fn id_mut(self: Pin<&mut Self>) -> &mut u32 {
        &mut self.get_mut().id
    }

    // An async method on `Arc<Self>`.
    #[timed]
    async fn run_later(self: Arc<Self>) -> Result<u32, String> {
        Ok(self.id)
    }
}

trait Task {
    fn run(self: Box<Self>) -> u32;
}

impl Task for Job {
    // A boxed receiver behind a trait object.
    #[timed]
    fn run(self: Box<Self>) -> u32 {
        self.id * 10
    }
}

fn main() {
    assert_eq!(Box::new(Job { id: 1 }).run_boxed(), 1);
    assert_eq!(Arc::new(Job { id: 1 }).run_shared(), 2);
    assert_eq!(Rc::new(Job { id: 1 }).run_counted(), 3);
    let mut job = Job { id: 1 };
    assert_eq!(Pin::new(&mut job).run_pinned(), 4);
    *Pin::new(&mut job).id_mut() = 5;
    assert_eq!(job.id, 5);
    let _future = Arc::new(Job { id: 1 }).run_later();
    let task: Box<dyn Task> = Box::new(Job { id: 2 });
    assert_eq!(task.run(), 20);
}
