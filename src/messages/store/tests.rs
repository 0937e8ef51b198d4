//! The store's own rules, on a database in a temporary directory.

use super::*;

fn sub(body: &str) -> Submission {
    Submission {
        from: "Ada".into(),
        body: body.into(),
    }
}

fn limits() -> Limits {
    Limits {
        per_address_per_hour: 3,
        global_per_hour: 5,
        max_messages: 100,
        max_bytes: 10_000,
    }
}

#[test]
fn stores_lists_reads_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut store = Store::open(&data).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db_path(&data)), 0o600);
    let a = store
        .insert(&sub("one"), "10.0.0.1", &limits(), &[], 1_000)
        .unwrap();
    let b = store
        .insert(&sub("two"), "10.0.0.1", &limits(), &[], 2_000)
        .unwrap();
    assert!(!a.duplicate && a.id != b.id);
    let all = store.list().unwrap();
    assert_eq!(
        all.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["two", "one"]
    );
    assert_eq!(all[1].received_at, "1970-01-01T00:00:01Z");
    assert!(store.mark_read(&a.id).unwrap());
    assert!(store.get(&a.id).unwrap().unwrap().read);
    assert!(store.delete(&b.id).unwrap());
    assert!(!store.delete(&b.id).unwrap());
    assert_eq!(store.list().unwrap().len(), 1);
    drop(store);
    let ro = Store::open_read_only(&db_path(&data)).unwrap();
    assert_eq!(ro.list().unwrap().len(), 1);
}

#[test]
fn limits_duplicates_and_quota() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let l = limits();
    let first = store.insert(&sub("hi"), "a", &l, &[], 0).unwrap();
    // The same text from the same address: the same reference, nothing new stored.
    let again = store.insert(&sub("hi"), "a", &l, &[], 10).unwrap();
    assert_eq!(
        (again.id.as_str(), again.duplicate),
        (first.id.as_str(), true)
    );
    store.insert(&sub("b"), "a", &l, &[], 20).unwrap();
    store.insert(&sub("c"), "a", &l, &[], 30).unwrap();
    assert_eq!(
        store.insert(&sub("d"), "a", &l, &[], 40),
        Err(Refusal::AddressLimit)
    );
    // Over an hour later the address may send again.
    store
        .insert(&sub("d"), "a", &l, &[], 2 * HOUR_MS + 1)
        .unwrap();
    store
        .insert(&sub("e"), "b", &l, &[], 2 * HOUR_MS + 2)
        .unwrap();
    store
        .insert(&sub("f"), "c", &l, &[], 2 * HOUR_MS + 3)
        .unwrap();
    store
        .insert(&sub("g"), "d", &l, &[], 2 * HOUR_MS + 4)
        .unwrap();
    store
        .insert(&sub("h"), "e", &l, &[], 2 * HOUR_MS + 5)
        .unwrap();
    assert_eq!(
        store.insert(&sub("i"), "f", &l, &[], 2 * HOUR_MS + 6),
        Err(Refusal::GlobalLimit)
    );
    let small = Limits {
        max_messages: 8,
        ..Limits::default()
    };
    assert_eq!(
        store.insert(&sub("j"), "g", &small, &[], 10 * HOUR_MS),
        Err(Refusal::Full)
    );
    let tiny = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        store.insert(&sub("k"), "g", &tiny, &[], 10 * HOUR_MS),
        Err(Refusal::Full)
    );
    assert_eq!(store.list().unwrap().len(), 8);
}

#[test]
fn processes_opening_a_new_database_at_once_migrate_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
    let opened: Vec<_> = (0..8)
        .map(|_| {
            let (data, barrier) = (data.clone(), std::sync::Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                Store::open(&data).map(|_| ()).map_err(|e| format!("{e:#}"))
            })
        })
        .collect();
    for t in opened {
        t.join().unwrap().unwrap();
    }
    let store = Store::open(&data).unwrap();
    assert_eq!(schema::version(&store.conn).unwrap(), schema::VERSION);
}
