//! The shop's SQLite database, and the queries the handlers run.
//!
//! Each query function is annotated, which gives the article's database
//! metrics: `database_queries_total`, `database_query_duration_seconds`,
//! `database_connections_active` and `slow_queries_total`. The conventions
//! every query shares are declared once, below.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use bizmetrics::{business_metric, timed};
use rusqlite::{params, Connection, OptionalExtension, Params, Statement};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

bizmetrics::defaults! {
    /// A query, counted by name (`action_type`) and table (`endpoint`).
    query = business_metric(
        name = "database_queries_total",
        help = "Database queries run, by query and table.",
    );
    /// A query's time, the connections it holds, and whether it was slow.
    query_time = timed(
        name = "database_query_duration_seconds",
        in_flight = "database_connections_active",
        slow(after = "250ms", name = "slow_queries_total"),
    );
}

/// A shared connection. SQLite serializes writers anyway, and one
/// connection keeps the example simple.
#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

impl Db {
    /// Opens the database at `path`, creating and seeding it on first start.
    pub fn open(path: &Path) -> rusqlite::Result<Db> {
        let conn = Connection::open(path)?;
        conn.execute_batch(SCHEMA)?;
        let companies: i64 =
            conn.query_row("SELECT count(*) FROM companies", [], |row| row.get(0))?;
        if companies == 0 {
            conn.execute_batch(SEED)?;
        }
        Ok(Db(Arc::new(Mutex::new(conn))))
    }

    /// Runs `query` on a blocking thread, so slow queries never stall the
    /// async runtime.
    pub async fn run<T, F>(&self, query: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.lock().unwrap_or_else(PoisonError::into_inner);
            query(&mut conn)
        })
        .await
        .map_err(|error| AppError::Internal(format!("query task failed: {error}")))?
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub industry: String,
    pub city: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub price_cents: i64,
    pub stock: i64,
}

#[derive(Debug, Serialize)]
pub struct Cart {
    pub cart_id: i64,
    pub items: i64,
}

#[derive(Debug, Serialize)]
pub struct Receipt {
    pub cart_id: i64,
    pub total_cents: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ReportRow {
    pub item: String,
    pub units_sold: i64,
    pub revenue_cents: i64,
    pub score: i64,
}

#[business_metric(defaults = query, action = "list_companies", endpoint = "companies")]
#[timed(defaults = query_time)]
pub fn list_companies(conn: &mut Connection) -> Result<Vec<Company>, AppError> {
    let mut statement =
        conn.prepare("SELECT id, name, industry, city FROM companies ORDER BY name")?;
    rows(&mut statement, [])
}

#[business_metric(defaults = query, action = "search_items", endpoint = "items")]
#[timed(defaults = query_time)]
pub fn search_items(conn: &mut Connection, text: &str) -> Result<Vec<Item>, AppError> {
    let mut statement = conn.prepare(
        "SELECT id, name, price_cents, stock FROM items WHERE name LIKE '%' || ?1 || '%' ORDER BY name LIMIT 50",
    )?;
    rows(&mut statement, [text])
}

#[business_metric(defaults = query, action = "get_item", endpoint = "items")]
#[timed(defaults = query_time)]
pub fn get_item(conn: &mut Connection, id: i64) -> Result<Option<Item>, AppError> {
    let mut statement =
        conn.prepare("SELECT id, name, price_cents, stock FROM items WHERE id = ?1")?;
    Ok(rows(&mut statement, [id])?.pop())
}

#[business_metric(defaults = query, action = "add_to_cart", endpoint = "carts")]
#[timed(defaults = query_time)]
pub fn add_to_cart(
    conn: &mut Connection,
    cart_id: Option<i64>,
    item_id: i64,
    quantity: i64,
) -> Result<Cart, AppError> {
    let tx = conn.transaction()?;
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM items WHERE id = ?1", [item_id], |row| {
            row.get(0)
        })
        .optional()?;
    if exists.is_none() {
        return Err(AppError::NotFound(format!("no item {item_id}")));
    }
    let cart_id = match cart_id {
        Some(id) => {
            check_open(&tx, id)?;
            id
        }
        None => {
            tx.execute("INSERT INTO carts (purchased) VALUES (0)", [])?;
            tx.last_insert_rowid()
        }
    };
    tx.execute(
        "INSERT INTO cart_items (cart_id, item_id, quantity) VALUES (?1, ?2, ?3)
         ON CONFLICT (cart_id, item_id) DO UPDATE SET quantity = quantity + excluded.quantity",
        params![cart_id, item_id, quantity],
    )?;
    let items: i64 = tx.query_row(
        "SELECT coalesce(sum(quantity), 0) FROM cart_items WHERE cart_id = ?1",
        [cart_id],
        |row| row.get(0),
    )?;
    tx.commit()?;
    Ok(Cart { cart_id, items })
}

/// Buys everything in the cart, or nothing: it fails when the cart is
/// empty or an item is out of stock.
#[business_metric(defaults = query, action = "purchase", endpoint = "carts")]
#[timed(defaults = query_time)]
pub fn purchase(conn: &mut Connection, cart_id: i64) -> Result<Receipt, AppError> {
    let tx = conn.transaction()?;
    check_open(&tx, cart_id)?;
    let short: Option<String> = tx
        .query_row(
            "SELECT items.name FROM cart_items JOIN items ON items.id = cart_items.item_id
             WHERE cart_id = ?1 AND items.stock < cart_items.quantity LIMIT 1",
            [cart_id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(name) = short {
        return Err(AppError::Conflict(format!("{name} is out of stock")));
    }
    let total_cents: i64 = tx.query_row(
        "SELECT coalesce(sum(items.price_cents * cart_items.quantity), 0)
         FROM cart_items JOIN items ON items.id = cart_items.item_id WHERE cart_id = ?1",
        [cart_id],
        |row| row.get(0),
    )?;
    if total_cents == 0 {
        return Err(AppError::Conflict(format!("cart {cart_id} is empty")));
    }
    tx.execute(
        "UPDATE items SET stock = stock - (SELECT quantity FROM cart_items
         WHERE cart_id = ?1 AND item_id = items.id)
         WHERE id IN (SELECT item_id FROM cart_items WHERE cart_id = ?1)",
        [cart_id],
    )?;
    tx.execute("UPDATE carts SET purchased = 1 WHERE id = ?1", [cart_id])?;
    tx.commit()?;
    Ok(Receipt {
        cart_id,
        total_cents,
    })
}

/// Sales per item, scored by a deliberately heavy computation: the query
/// the slow-query metrics are for.
#[business_metric(defaults = query, action = "sales_report", endpoint = "cart_items")]
#[timed(defaults = query_time)]
pub fn sales_report(conn: &mut Connection) -> Result<Vec<ReportRow>, AppError> {
    let mut statement = conn.prepare(
        "WITH RECURSIVE spin(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM spin WHERE n < 2000000),
              weight AS (SELECT sum(n % 7) AS w FROM spin)
         SELECT items.name AS item,
                coalesce(sum(cart_items.quantity), 0) AS units_sold,
                coalesce(sum(cart_items.quantity * items.price_cents), 0) AS revenue_cents,
                (SELECT w FROM weight) % 100 AS score
         FROM items
         LEFT JOIN (SELECT cart_items.* FROM cart_items
                    JOIN carts ON carts.id = cart_items.cart_id AND carts.purchased = 1) AS cart_items
           ON cart_items.item_id = items.id
         GROUP BY items.id ORDER BY 3 DESC, items.name",
    )?;
    rows(&mut statement, [])
}

#[business_metric(defaults = query, action = "ping", endpoint = "none")]
#[timed(defaults = query_time)]
pub fn ping(conn: &mut Connection) -> Result<(), AppError> {
    conn.query_row("SELECT 1", [], |_| Ok(()))?;
    Ok(())
}

/// Items with none left, for the nightly restock.
#[business_metric(defaults = query, action = "sold_out_items", endpoint = "items")]
#[timed(defaults = query_time)]
pub fn sold_out_items(conn: &mut Connection) -> Result<Vec<Item>, AppError> {
    let mut statement = conn
        .prepare("SELECT id, name, price_cents, stock FROM items WHERE stock <= 0 ORDER BY name")?;
    rows(&mut statement, [])
}

/// Sets item `id`'s stock, as a delivery does.
#[business_metric(defaults = query, action = "restock_item", endpoint = "items")]
#[timed(defaults = query_time)]
pub fn restock_item(conn: &mut Connection, id: i64, stock: i64) -> Result<(), AppError> {
    conn.execute("UPDATE items SET stock = ?2 WHERE id = ?1", [id, stock])?;
    Ok(())
}

/// Fails unless cart `id` exists and is not yet purchased.
fn check_open(conn: &Connection, id: i64) -> Result<(), AppError> {
    let open: Option<bool> = conn
        .query_row(
            "SELECT purchased = 0 FROM carts WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()?;
    match open {
        None => Err(AppError::NotFound(format!("no cart {id}"))),
        Some(false) => Err(AppError::Conflict(format!(
            "cart {id} is already purchased"
        ))),
        Some(true) => Ok(()),
    }
}

/// Every row `statement` returns for `params`, read into `T` by column name.
fn rows<T: DeserializeOwned>(
    statement: &mut Statement<'_>,
    params: impl Params,
) -> Result<Vec<T>, AppError> {
    let rows = serde_rusqlite::from_rows::<T>(statement.query(params)?);
    Ok(rows.collect::<Result<_, _>>()?)
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS companies (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, industry TEXT NOT NULL, city TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS items (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL, stock INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS carts (id INTEGER PRIMARY KEY, purchased INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS cart_items (
        cart_id INTEGER NOT NULL REFERENCES carts (id),
        item_id INTEGER NOT NULL REFERENCES items (id),
        quantity INTEGER NOT NULL,
        PRIMARY KEY (cart_id, item_id));
";

const SEED: &str = "
    INSERT INTO companies (name, industry, city) VALUES
        ('Asahi Robotics', 'Manufacturing', 'Osaka'),
        ('Blue Harbor Logistics', 'Logistics', 'Yokohama'),
        ('Cedar Health', 'Healthcare', 'Sapporo'),
        ('Daikoku Foods', 'Food', 'Fukuoka'),
        ('Evergreen Energy', 'Energy', 'Sendai'),
        ('Fujimi Software', 'Software', 'Tokyo'),
        ('Ginza Retail', 'Retail', 'Tokyo'),
        ('Hikari Telecom', 'Telecom', 'Nagoya'),
        ('Izumi Textiles', 'Manufacturing', 'Kyoto'),
        ('Kaze Airlines', 'Travel', 'Naha');
    INSERT INTO items (name, price_cents, stock) VALUES
        ('Bamboo cutting board', 2400, 1000),
        ('Cast iron teapot', 6800, 500),
        ('Ceramic rice bowl', 1200, 2000),
        ('Denim tote bag', 3500, 800),
        ('Hinoki bath stool', 9900, 200),
        ('Indigo noren curtain', 4500, 300),
        ('Lacquer chopsticks', 1800, 5000),
        ('Linen tenugui towel', 900, 5000),
        ('Matcha whisk', 1500, 1500),
        ('Paper lantern', 3200, 400),
        ('Sake cup set', 2800, 600),
        ('Limited edition kettle', 25000, 1);
";
