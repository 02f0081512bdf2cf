//! Page furniture that survives as lines of text when a page's markup does
//! not name it: update stamps, photo credits, gallery controls, copyright
//! lines. Judged per block after the body is walked; a line is furniture only
//! when it is short and has the furniture's shape, so story sentences that
//! mention a photo or an update stay.

use std::sync::LazyLock;

use regex::Regex;

/// "Updated 25 November 2026, 14:03 GMT", "Обновлено 25 ноября", "수정 2026.11.25".
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:last updated|updated|published|posted|modified|first published|updated on|published on|обновлено|опубликовано|дата публикации|수정|입력|업데이트|등록|تم التحديث|آخر تحديث|نشر في|更新时间|更新時間|发布时间|發佈時間|更新|公開)\s*[:：]?\s*\S",
    )
    .expect("stamp pattern")
});

/// "Image 1 of 8", "Фото 2 из 8", "사진 1 / 8", "صورة 1 من 8", "第 1 张 / 共 8 张".
static GALLERY_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:image|photo|picture|slide|фото|изображение|사진|이미지|صورة|第)\s*\d+\s*(?:of|/|из|من|张|張)\s*(?:共\s*)?\d+\s*(?:张|張)?$",
    )
    .expect("gallery pattern")
});

/// Controls of a gallery or a modal, alone on their line.
const CONTROLS: &[&str] = &[
    "close",
    "next",
    "previous",
    "prev",
    "expand",
    "enlarge",
    "view gallery",
    "open gallery",
    "закрыть",
    "далее",
    "назад",
    "닫기",
    "다음",
    "이전",
    "إغلاق",
    "التالي",
    "السابق",
    "关闭",
    "下一张",
    "上一张",
    "關閉",
];

/// "Photo: Jane Doe/Agency", "Credit: …", "Фото: …", "사진=…", "图片来源：…".
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:photo|photos|photograph|image|picture|credit|video|illustration|фото|фотография|사진|그래픽|图片来源|图片|圖片|تصوير|الصورة|צילום)\s*[:：=]",
    )
    .expect("credit pattern")
});

/// "© 2026 Site. All rights reserved." and its translations.
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))|all rights reserved|все права защищены|무단 전재|جميع الحقوق محفوظة|版权所有|版權所有")
        .expect("copyright pattern")
});

/// Whether a block is page furniture rather than story text, from its
/// normalised text ([`crate::normalize::normalize`]; the extractor has it
/// from the noise pass).
pub(super) fn is_furniture(text: &str) -> bool {
    let n = text.chars().count();
    if n > 200 {
        return false;
    }
    let sentence = text.ends_with(['.', '!', '?', '。', '"', '”', '»']);
    (n <= 80 && !sentence && STAMP.is_match(text) && text.chars().any(|c| c.is_ascii_digit()))
        || (n <= 40 && GALLERY_COUNT.is_match(text))
        || (n <= 20 && CONTROLS.contains(&text.to_lowercase().as_str()))
        || (n <= 120 && CREDIT.is_match(text))
        || COPYRIGHT.is_match(text)
}
