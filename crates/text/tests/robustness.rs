//! No input makes extraction panic, and oversize input is refused with `TooLarge`.

use proptest::prelude::*;
use tujie_model::{Document, DocumentKind, Timestamp};
use tujie_text::{TextConfig, TextError, extract};

fn doc(body_text: Option<String>, body_html: Option<String>) -> Document {
    Document {
        id: "p".into(),
        kind: DocumentKind::Policy,
        site: None,
        site_kind: None,
        url: None,
        title: String::new(),
        doc_number: None,
        index_no: None,
        issuer: None,
        department: None,
        written_at: None,
        published_at: Timestamp::parse("2024-01-01").unwrap(),
        column: None,
        topic: None,
        body_text,
        body_html,
        attachments: vec![],
        related: vec![],
        form: None,
        interprets: vec![],
    }
}

/// Pieces official text is made of, so random inputs hit the interesting paths.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("一、".to_string()),
        Just("（一）".to_string()),
        Just("第一章".to_string()),
        Just("第三条".to_string()),
        Just("1.".to_string()),
        Just("（1）".to_string()),
        Just("①".to_string()),
        Just("——".to_string()),
        Just("补贴对象。".to_string()),
        Just("每人每年3600元，".to_string()),
        Just("15%".to_string()),
        Just("2025年12月31日前".to_string()),
        Just("二〇二三年四月五日".to_string()),
        Just("（".to_string()),
        Just("）".to_string()),
        Just("《".to_string()),
        Just("“".to_string()),
        Just("国发〔2019〕4号".to_string()),
        Just("关于印发《某某办法》的通知".to_string()),
        Just("各市：".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("、".to_string()),
        Just("。".to_string()),
        Just("１２３４５".to_string()),
        Just(" ".to_string()),
        "[0-9]{1,12}".prop_map(|s| s),
        "\\PC{0,12}".prop_map(|s| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn structured_noise_never_panics(parts in prop::collection::vec(piece(), 0..80)) {
        let body = parts.concat();
        let _ = extract(&doc(Some(body.clone()), None), &TextConfig::default());
        let _ = extract(&doc(None, Some(format!("<div id=\"zoom\"><p>{body}</p></div>"))), &TextConfig::default());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let s = String::from_utf8_lossy(&bytes).into_owned();
        let _ = extract(&doc(Some(s.clone()), None), &TextConfig::default());
        let _ = extract(&doc(None, Some(s)), &TextConfig::default());
    }
}

#[test]
fn empty_and_blank_are_no_text() {
    for (t, h) in [(None, None), (Some(String::new()), None), (Some(" \n\t ".into()), Some("".into()))] {
        assert!(matches!(extract(&doc(t, h), &TextConfig::default()), Err(TextError::NoText)));
    }
}

#[test]
fn oversize_is_too_large() {
    let cfg = TextConfig { max_input_bytes: 4096, ..TextConfig::default() };
    let big = "补贴标准为每人每年3600元。".repeat(1000);
    match extract(&doc(Some(big.clone()), None), &cfg) {
        Err(TextError::TooLarge { limit: 4096, size }) => assert!(size > 4096),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(matches!(extract(&doc(None, Some(big)), &cfg), Err(TextError::TooLarge { .. })));
}

#[test]
fn pathological_shapes_do_not_panic() {
    let deep: String =
        (0..3000).map(|i| ["一、", "（一）", "1.", "（1）", "①"][i % 5].to_string() + "标题\n").collect();
    let only_numbers = "1234567890 ".repeat(5000);
    let brackets = "（（（（《《“".repeat(3000);
    let long_line = "甲、".repeat(20000);
    for body in [deep, only_numbers, brackets, long_line] {
        let _ = extract(&doc(Some(body), None), &TextConfig::default());
    }
    let nested = "<div>".repeat(3000) + "正文" + &"</div>".repeat(3000);
    let _ = extract(&doc(None, Some(nested)), &TextConfig::default());
}

#[test]
fn plain_text_document_takes_metadata_from_the_text() {
    let text = "某某市人民政府办公室关于印发\n某某市育儿补贴实施办法的通知\n某政办发［2024］7号\n各县（区）人民政府：\n现将《某某市育儿补贴实施办法》印发给你们，请认真贯彻执行。\n某某市人民政府办公室\n2024年3月5日\n某某市育儿补贴实施办法\n一、补贴对象\n本市户籍3周岁以下婴幼儿。\n二、补贴标准\n每孩每年3600元。\n";
    let d = tujie_text::document_from_plain_text("x", text);
    assert_eq!(d.title, "某某市人民政府办公室关于印发某某市育儿补贴实施办法的通知");
    assert_eq!(d.doc_number.as_deref(), Some("某政办发〔2024〕7号"));
    assert_eq!(d.written_at, Timestamp::parse("2024-03-05"));
    let x = extract(&d, &TextConfig::default()).unwrap();
    assert!(x.outline.doc_type.wrapper);
    assert_eq!(x.content.title, "某某市育儿补贴实施办法");
    let all = x.content.texts().join("|");
    assert!(all.contains("3600"), "{all}");
}
