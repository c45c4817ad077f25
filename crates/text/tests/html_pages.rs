//! Main-content extraction over every HTML fixture page (`tests/fixtures/{dev2,field}/docs/*.html`): the page's
//! chrome (navigation, breadcrumbs, search words, share and print bars, index boxes, related links, footers) must
//! not reach the source text, and the article's first and last sentences must.
//!
//! The expectations live here, not in the library: the extractor is judged on pages it was not written for.
//! Comparisons are on width-folded, space-free text, so a page's stray spaces (`区直各 单位`) do not matter.

use std::path::{Path, PathBuf};

use tujie_text::html;
use tujie_text::normalize::fold_for_compare;

/// What one page must and must not yield.
struct Expect {
    file: &'static str,
    /// Strings of the page, outside the article, that must not reach the source text.
    chrome: &'static [&'static str],
    /// The article's first sentence (or its opening words) and its last sentence (or closing words).
    first: &'static str,
    last: &'static str,
    /// The page's 来源 and 发布时间 line, read as metadata (folded), when the page has one.
    source: Option<&'static str>,
    published: Option<&'static str>,
}

/// Chrome of the Pingtan government site's article template, present on each of its five pages and absent from
/// each article (checked against the visible text of the article container).
const PINGTAN: &[&str] = &[
    "当前位置",
    "热门搜索",
    "历史搜索",
    "长者模式",
    "无障碍浏览",
    "网站支持IPV6",
    "移动版",
    "索引号",
    "主题分类",
    "发布日期",
    "来源：",
    "时间：",
    "微信",
    "微博",
    "QQ空间",
    "全真版",
    "文字版",
    "文件下载",
    "相关链接",
    "附件下载",
    "扫一扫在手机上查看当前页面",
    "文字解读",
    "图片解读",
    "省市政府网站",
    "友情链接",
    "新闻媒体",
    "信用中国",
    "版权所有",
    "网站标识码",
    "闽ICP备",
    "公安备案号",
    "主办单位",
    "为确保最佳浏览效果",
    "使用帮助",
    "联系我们",
    "隐私保护",
    "政府信息公开",
    "平潭政策解读",
    "福建网上办事大厅",
    "12345便民惠企服务平台",
    "互动交流知识库",
    "政策文件库",
    "行政规范性文件",
    "首页",
    "政务公开",
];

const DEV2: &[Expect] = &[
    Expect {
        file: "pingtan_2014_chengxiang_jumin_yanglao_baoxian_yitihua_shishi_banfa.html",
        chrome: &["关闭", "有效性", "PZ00101"],
        first: "平潭县人民政府、区直有关单位,各乡镇人民政府、县直有关单位：",
        last: "《平潭县2011年新型农村社会养老保险试点工作补充意见》（岚政综〔2011〕29号）不再执行。",
        source: Some("平潭综合实验区社会事业局"),
        published: Some("2014-04-1009:57"),
    },
    Expect {
        file: "pingtan_2018_jinzang_jinjiang_bingyuan_youdai_tongzhi.html",
        chrome: &["关闭", "有效性", "PZ00101"],
        first: "区直各单位，各乡镇人民政府：",
        last: "7.《平潭综合实验区管委会关于做好进西藏兵员优待工作的通知》（岚综管综〔2017〕176号）即日起废止。",
        source: Some("平潭综合实验区管委会办公室"),
        published: Some("2018-12-0711:54"),
    },
    Expect {
        file: "pingtan_2020_zhigong_jiben_yiliao_baoxian_zhengce_tiaozheng.html",
        chrome: &["有效性", "PZ00101"],
        first: "各片区管理局，区直各单位，各区属事业单位，各参保单位：",
        last: "五、本通知自2020年8月1日起执行，以往规定与本通知不一致的，按本通知规定执行。",
        source: Some("平潭综合实验区社会事业局"),
        published: Some("2020-07-2018:06"),
    },
    Expect {
        file: "pingtan_2024_dashebei_gengxin_yijiuhuanxin_gongzuo_fangan.html",
        chrome: &["关闭", "有效性"],
        first: "各片区管理局，区直各单位，各区属事业单位，各区属国企：",
        last: "责任单位：区资源生态局、经济发展局、交通建设局",
        source: Some("平潭综合实验区管委会"),
        published: Some("2024-05-2217:48"),
    },
    Expect {
        file: "pingtan_2024_gonggong_zulin_zhufang_fenlei_baozhang_guanli_banfa_xiuding.html",
        chrome: &["关闭", "PZ00101"],
        first: "各片区管理局，区直各单位，各区属事业单位，各区属国企：",
        last: "（岚综管办〔2015〕260号）同时废止。",
        source: Some("平潭网"),
        published: Some("2024-02-1915:26"),
    },
];

/// Field pages (`tests/fixtures/field`): their `chrome_absent` lists are in `key_facts.jsonl`; these add the
/// article's first and last sentences and chrome the lists leave out (metadata line, share and print bars).
const FIELD: &[Expect] = &[
    Expect {
        file: "city_2021_guangzhou_linshi_jiuzhu_shishi_xize.html",
        chrome: &[
            "扫一扫在手机打开当前页",
            "返回顶部",
            "内容纠错",
            "网站地图",
            "统一编号",
            "基本信息",
            "当前位置",
            "主办单位",
        ],
        first: "穗府办规〔2021〕19号",
        last: "办公厅关于印发广州市临时救助办法的通知》(穗府办规〔2019〕13号)同时废止。",
        source: None,
        published: None,
    },
    Expect {
        file: "city_2022_guangzhou_kunnan_canjiren_shenghuo_butie_zhongdu_canjiren_huli_butie_shishi_banfa_zengcheng_zhuanzai.html",
        chrome: &["分享到", "相关附件", "相关新闻", "来源:", "字号", "网站地图", "当前位置", "微信扫一扫"],
        first: "为进一步完善和规范我市困难残疾人生活补贴和重度残疾人护理补贴（以下简称残疾人两项",
        last: "gk/zcjd/ytddzc/content/post_7922689.html",
        source: Some("广州市民政局"),
        published: Some("2022-11-16"),
    },
    Expect {
        file: "city_2023_guangzhou_jiating_yisheng_qianyue_fuwu_gaozhiliang_fazhan_shishi_fangan.html",
        chrome: &["索引号", "成文日期", "下载文字版", "高级搜索", "主办单位"],
        first: "穗卫函〔2023〕1930号",
        last: "，发挥正面示范引导作用，为有序推进家庭医生签约服务高质量发展创造良好的社会氛围。",
        source: Some("广州市卫生健康委员会"),
        published: Some("2023-11-07"),
    },
    Expect {
        file: "city_2024_guangzhou_hujijiating_zhufang_baozhang_jinyibu_jiaqiang_tongzhi.html",
        chrome: &[
            "扫一扫在手机打开当前页",
            "返回顶部",
            "相关附件",
            "内容纠错",
            "网站地图",
            "统一编号",
            "基本信息",
            "当前位置",
            "主办单位",
        ],
        first: "穗建规字〔2024〕5号",
        last: "七、本通知自2024年3月4日起施行，有效期5年。",
        source: None,
        published: None,
    },
    Expect {
        file: "city_2025_guangzhou_chengxiang_jumin_yibao_jizhong_canbao_jiaofei_tonggao.html",
        chrome: &["分享到", "扫一扫在手机打开当前页", "来源：", "内容纠错", "网站地图", "当前位置", "主办单位"],
        first: "为持续深入推进全民参保计划，切实保障参保人员医保权益，根据《国务院办公厅关于健全",
        last: "符合2026年度参保条件的新生儿，市医保部门将自动办理续保。",
        source: Some("广州市医疗保障局"),
        published: Some("2025-10-1709:00:00"),
    },
    Expect {
        file: "city_2025_guangzhou_gaoxiao_biyesheng_chuangye_butie_yuexiu_zhuanzai.html",
        chrome: &["打印本页", "返回顶部", "浏览次数", "来源：", "发布日期", "文章来源", "字体大小", "网站地图", "A+"],
        first: "1、一次性创业资助",
        last: "补贴期限：一次性。",
        source: Some("市人力资源社会保障局官网"),
        published: Some("2025-04-0811:24:11"),
    },
    Expect {
        file: "city_2025_guangzhou_hujijiating_gongzufang_changtai_fenpei_fangyuan_tonggao_diyipi.html",
        chrome: &["来源：", "当前位置", "主办单位"],
        first: "为进一步提高公共租赁住房分配和使用效率，加快解决户籍家庭住房困难问题，根据《广州",
        last: "清单》（附件4），或致电400-893-9111、400-790-1999咨询。",
        source: Some("本网广州市住房保障办公室"),
        published: Some("2025-03-2010:57"),
    },
    Expect {
        file: "city_2025_guangzhou_yanglao_baoxian_daiyu_lingqu_zige_renzheng_tonggao.html",
        chrome: &[
            "扫一扫在手机打开当前页",
            "返回顶部",
            "浏览次数",
            "来源：",
            "发表时间",
            "信息来源",
            "字号",
            "网站地图",
            "当前位置",
        ],
        first: "根据国家和省有关规定，符合企业职工基本养老保险和城乡居民基本养老保险待遇领取条件",
        last: "2025年3月27日",
        source: Some("市人力资源社会保障局社保中心"),
        published: Some("2025-03-3117:14"),
    },
    Expect {
        file: "city_2025_guangzhou_zuidi_shenghuo_baozhang_ji_shehui_jiuzhu_biaozhun_tongzhi.html",
        chrome: &[
            "扫一扫在手机打开当前页",
            "返回顶部",
            "内容纠错",
            "网站地图",
            "统一编号",
            "基本信息",
            "当前位置",
            "主办单位",
        ],
        first: "穗民规字〔2025〕2号",
        last: "4年最低生活保障及相关社会救助标准的通知》（穗民规字〔2024〕5号）同时废止。",
        source: None,
        published: None,
    },
    Expect {
        file: "city_2026_guangzhou_canjiren_liangxiang_butie_fafang_biaozhun.html",
        chrome: &[
            "分享到",
            "扫一扫在手机打开当前页",
            "相关附件",
            "相关新闻",
            "来源：",
            "内容纠错",
            "网站地图",
            "当前位置",
            "主办单位",
        ],
        first: "一、2025年发放情况",
        last: "困难残疾人生活补贴和重度残疾人护理补贴标准分别提高至每人每月217元、290元。",
        source: Some("广州市民政局"),
        published: Some("2026-02-26"),
    },
    Expect {
        file: "district_2023_guangzhou_tianhe_fangwu_zulin_dengji_beian_banli_zhiyin.html",
        chrome: &["扫一扫在手机打开当前页", "打印关闭", "浏览量", "来源：", "发表时间", "信息来源", "网站地图", "A+"],
        first: "房屋租赁登记备案是什么？",
        last: "天河区新塘街万科米酷B4栋负一楼",
        source: Some("区住建园林局"),
        published: Some("2023-07-2709:46:26"),
    },
    Expect {
        file: "district_2023_guangzhou_tianhe_gangao_qingnian_chuangxin_chuangye_shishi_banfa.html",
        chrome: &["扫一扫在手机打开当前页", "打印关闭", "浏览量", "来源：", "发表时间", "信息来源", "网站地图", "A+"],
        first: "穗天科工信规字〔2023〕1号",
        last: "本办法有效期满而相关扶持资金应当支付而尚未支付完毕的，应继续执行至全部完毕。",
        source: Some("天河区科技工业和信息化局"),
        published: Some("2023-08-0923:04:15"),
    },
    Expect {
        file: "district_2025_guangzhou_tianhe_rencai_gongyu_shenqing_gonggao.html",
        chrome: &["扫一扫在手机打开当前页", "打印关闭", "浏览量", "来源：", "发表时间", "信息来源", "网站地图", "A+"],
        first: "根据《天河区人才公寓建设和使用管理办法》的有关规定，现面向辖区企业、人才受理天河",
        last: "2025年8月11日",
        source: Some("区住建园林局"),
        published: Some("2025-08-1118:04:59"),
    },
    Expect {
        file: "district_2026_guangzhou_tianhe_gangao_suiqian_zinv_xuewei_shenqing_zhiyin.html",
        chrome: &["扫一扫在手机打开当前页", "打印关闭", "浏览量", "来源：", "发表时间", "信息来源", "网站地图", "A+"],
        first: "一、申请资格及学位情况",
        last: "区教育局中学教育科联系电话：020-38622522",
        source: Some("天河区教育局"),
        published: Some("2026-05-2912:07:12"),
    },
    Expect {
        file: "district_2026_guangzhou_tianhe_jifenzhi_ruxue_xuewei_shenqing_zhiyin.html",
        chrome: &["扫一扫在手机打开当前页", "打印关闭", "浏览量", "来源：", "发表时间", "信息来源", "网站地图", "A+"],
        first: "一、申请资格及学位情况",
        last: "附件3 2026年天河区民办中小学积分入学招生计划.xlsx",
        source: Some("天河区教育局"),
        published: Some("2026-06-2516:07:09"),
    },
    Expect {
        file: "district_2026_guangzhou_tianhe_youeryuan_zhaosheng_gongzuo_fangan.html",
        chrome: &["扫一扫在手机打开当前页", "打印关闭", "浏览量", "来源：", "发表时间", "信息来源", "网站地图", "A+"],
        first: "各幼儿园：",
        last: "附件1-5下载：《2026年广州市天河区幼儿园招生计划申报审批表》.doc",
        source: Some("广州市天河区教育局"),
        published: Some("2026-04-2011:19:38"),
    },
];

fn fixtures_dir(set: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(set)
}

/// The page below a fixture file's header block (a line of 40 dashes), or the whole file.
fn page_html(path: &Path) -> String {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match raw.split_once("\n----------------------------------------\n") {
        Some((_, body)) => body.to_string(),
        None => raw,
    }
}

fn html_files(set: &str) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(fixtures_dir(set).join("docs")) else { return Vec::new() };
    let mut v: Vec<String> = rd
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html") || n.ends_with(".htm"))
        .collect();
    v.sort();
    v
}

/// `chrome_absent` of each field page, by file name.
fn field_chrome() -> std::collections::HashMap<String, Vec<String>> {
    let Ok(kf) = std::fs::read_to_string(fixtures_dir("field").join("key_facts.jsonl")) else {
        return Default::default();
    };
    kf.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            let list =
                v["chrome_absent"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect());
            (v["file"].as_str().expect("file").to_string(), list.unwrap_or_default())
        })
        .collect()
}

/// One page's figures.
#[derive(Default)]
struct Tally {
    chrome_total: usize,
    chrome_leaked: Vec<String>,
    sentences_total: usize,
    sentences_lost: Vec<String>,
    meta_wrong: Vec<String>,
}

fn check(set: &str, e: &Expect, chrome: &[String], t: &mut Tally) {
    let page = html::extract_page(&page_html(&fixtures_dir(set).join("docs").join(e.file)));
    // `HTML_PAGES_DUMP=dir` writes each page's text and metadata there, for reading what the extractor kept.
    if let Some(dir) = std::env::var_os("HTML_PAGES_DUMP") {
        let out = format!("{:?}\n\n{}\n", page.meta, page.text);
        std::fs::write(Path::new(&dir).join(format!("{}.txt", e.file)), out).expect("dump");
    }
    let text = fold_for_compare(&page.text);
    for c in chrome {
        t.chrome_total += 1;
        if text.contains(&fold_for_compare(c)) {
            t.chrome_leaked.push(format!("{set}/{}: {c}", e.file));
        }
    }
    for s in [e.first, e.last] {
        t.sentences_total += 1;
        if !text.contains(&fold_for_compare(s)) {
            t.sentences_lost.push(format!("{set}/{}: {s}", e.file));
        }
    }
    let got = |v: &Option<String>| v.as_deref().map(fold_for_compare);
    if let Some(want) = e.source
        && got(&page.meta.source).as_deref() != Some(want)
    {
        t.meta_wrong.push(format!("{set}/{}: 来源 {:?}, want {want}", e.file, page.meta.source));
    }
    if let Some(want) = e.published
        && got(&page.meta.published).as_deref() != Some(want)
    {
        t.meta_wrong.push(format!("{set}/{}: 发布时间 {:?}, want {want}", e.file, page.meta.published));
    }
}

#[test]
fn html_pages_keep_the_article_and_drop_the_chrome() {
    let mut t = Tally::default();
    let files = html_files("dev2");
    assert_eq!(files.len(), DEV2.len(), "every dev2 HTML page has expectations");
    for e in DEV2 {
        assert!(files.iter().any(|f| f == e.file), "{} is not a dev2 page", e.file);
        let chrome: Vec<String> = PINGTAN.iter().chain(e.chrome).map(|s| s.to_string()).collect();
        check("dev2", e, &chrome, &mut t);
    }
    let field = html_files("field");
    let listed = field_chrome();
    for f in &field {
        let e = FIELD.iter().find(|e| e.file == f).unwrap_or_else(|| panic!("field/{f} has no expectations here"));
        let mut chrome = listed.get(f.as_str()).cloned().unwrap_or_default();
        chrome.extend(e.chrome.iter().map(|s| s.to_string()));
        check("field", e, &chrome, &mut t);
    }
    eprintln!(
        "html pages: chrome strings leaked {}/{}, article sentences kept {}/{}, page metadata wrong {}",
        t.chrome_leaked.len(),
        t.chrome_total,
        t.sentences_total - t.sentences_lost.len(),
        t.sentences_total,
        t.meta_wrong.len()
    );
    for l in t.chrome_leaked.iter().chain(&t.sentences_lost).chain(&t.meta_wrong) {
        eprintln!("  {l}");
    }
    assert!(t.chrome_leaked.is_empty(), "chrome leaked: {:#?}", t.chrome_leaked);
    assert!(t.sentences_lost.is_empty(), "article sentences lost: {:#?}", t.sentences_lost);
    assert!(t.meta_wrong.is_empty(), "page metadata: {:#?}", t.meta_wrong);
}

/// The `标题：` line of a fixture file's header block.
fn header_title(path: &Path) -> Option<String> {
    let raw = std::fs::read_to_string(path).ok()?;
    raw.lines().find_map(|l| l.strip_prefix("标题：")).map(|t| t.trim().to_string())
}

/// Through [`tujie_text::extract`], as the pipeline calls it: the page's 来源 and 发布时间 are metadata and not in
/// the source text.
#[test]
fn extract_reports_page_metadata() {
    use tujie_model::InboundEvent;
    use tujie_model::event::Payload;
    let mut checked = 0;
    for (set, expects) in [("dev2", DEV2), ("field", FIELD)] {
        let Ok(events) = std::fs::read_to_string(fixtures_dir(set).join("doc_events.jsonl")) else { continue };
        let docs: Vec<_> = events
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| match InboundEvent::from_slice(l.as_bytes(), 1 << 24).expect("event").payload {
                Payload::Published(d) => Some(d),
                _ => None,
            })
            .collect();
        for e in expects.iter().filter(|e| e.source.is_some()) {
            let title = header_title(&fixtures_dir(set).join("docs").join(e.file)).expect("title");
            let doc =
                docs.iter().find(|d| d.title == title).unwrap_or_else(|| panic!("{set}: no event for {}", e.file));
            let x = tujie_text::extract(doc, &tujie_text::TextConfig::default()).expect("extraction");
            let m = &x.metadata;
            assert_eq!(m.page_source.as_deref().map(fold_for_compare).as_deref(), e.source, "{}", e.file);
            assert_eq!(m.page_published.as_deref().map(fold_for_compare).as_deref(), e.published, "{}", e.file);
            let src = fold_for_compare(&x.source_text);
            assert!(
                !src.contains("来源：") && !src.contains("发表时间"),
                "{}: metadata line in the source text",
                e.file
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} pages checked");
}

/// A data table of the page is drawn as a table, cell by cell, and its rows are not repeated as bullets.
#[test]
fn a_page_table_becomes_a_content_table() {
    let html = "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div><div class=\"article\">\
        <p>各区民政局：</p><p>经市政府同意，现将本市最低生活保障标准公布如下。</p>\
        <table><tr><td>对象</td><td>标准（元/人/月）</td></tr><tr><td>城市低保对象</td><td>1200</td></tr>\
        <tr><td>农村低保对象</td><td>1000</td></tr></table><p>本通知自2025年1月1日起施行。</p></div></body></html>";
    let mut doc =
        tujie_text::document_from_plain_text("p", "标题：关于公布最低生活保障标准的通知\n--------------------\n");
    doc.body_text = None;
    doc.body_html = Some(html.into());
    let x = tujie_text::extract(&doc, &tujie_text::TextConfig::default()).expect("extraction");
    let tables: Vec<_> = x.content.sections.iter().flat_map(|s| &s.tables).collect();
    assert_eq!(tables.len(), 1, "{:?}", x.content);
    let text = |cells: &[tujie_model::Cell]| cells.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
    assert_eq!(text(&tables[0].header), ["对象", "标准（元/人/月）"]);
    assert_eq!(text(&tables[0].rows[1]), ["农村低保对象", "1000"]);
    for c in tables[0].rows.iter().flatten() {
        let span = c.spans[0];
        assert_eq!(fold_for_compare(&x.source_text[span.start..span.end]), fold_for_compare(&c.text));
    }
    let bullets: Vec<&str> = x.content.sections.iter().flat_map(|s| &s.bullets).map(|b| b.text.as_str()).collect();
    assert!(!bullets.iter().any(|b| b.contains("1200")), "{bullets:?}");
}
