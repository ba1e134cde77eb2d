//! Pinyin of Chinese names, so a search for `zhangwei` or `zw` finds 张伟.

use pinyin::ToPinyin;

/// The toneless pinyin of each character run together (`张伟` → `zhangwei`); other characters
/// are kept as they are.
pub fn full(text: &str) -> String {
    text.chars().map(|c| c.to_pinyin().map_or_else(|| c.to_string(), |p| p.plain().to_owned())).collect()
}

/// The first letter of each character's pinyin (`张伟` → `zw`); non-Chinese characters are left
/// out.
pub fn initials(text: &str) -> String {
    text.chars().filter_map(|c| c.to_pinyin().map(|p| p.first_letter())).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_in_pinyin() {
        assert_eq!(super::full("张伟"), "zhangwei");
        assert_eq!(super::initials("欧阳 娜娜"), "oynn");
        assert_eq!(super::full("Li 强"), "Li qiang");
    }
}
