use std::io::Read;
fn main() {
    if let Some(l) = std::env::args().nth(1) {
        println!(
            "{:?} frag {:?} tags {:?}",
            tujie_text::faithful::heading_defects(&l),
            tujie_text::faithful::fragment_defects(&l),
            tujie_zh::words::tagged(&l).iter().map(|(r, t)| format!("{}/{}", &l[r.clone()], t)).collect::<Vec<_>>()
        );
        return;
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).unwrap();
    let n = tujie_text::normalize::Norm::new(&text);
    let lines = n.lines();
    let f = tujie_text::facts::collect(&n, &lines);
    for (t, r) in tujie_text::tables::find(&n, &lines, &f) {
        let head: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
        println!("table {r:?} {}: {}", t.caption, head.join(" | "));
        for row in &t.rows {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            println!("    {}", cells.join(" | "));
        }
    }
}
