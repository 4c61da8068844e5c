"""Writes name_vectors.csv: the table the parametrised name test reads.

Run once by hand (`python tests/vn/build_name_vectors.py`) when adding cases; the CSV is the test
data and is kept in the repository. Expectations are set *here, by construction* (a corruption that
real records show, with its reason), never computed by the code under test. Names are combinations
of common name parts (data/names/*.csv), not real people.

Columns: part (name | surname | given | middle), a, b, expect (meet | not), strongest_allowed (for
"not": the strongest NameLevel the pair may reach, JW_LOW unless the pair differs only in what the
folded or phonetic forms necessarily merge), reason.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("name_vectors.csv")
rows: list[tuple[str, str, str, str, str, str]] = []


def meet(part: str, a: str, b: str, reason: str) -> None:
    rows.append((part, a, b, "meet", "", reason))


def never(part: str, a: str, b: str, reason: str, strongest: str = "JW_LOW") -> None:
    rows.append((part, a, b, "not", strongest, reason))


def strip_marks(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn")


# Full names: Kinh names built from common parts (surname, middle, given), sex-consistent.
NAMES = [
    ("Nguyễn", "Thị", "Lan"),
    ("Trần", "Văn", "Hùng"),
    ("Lê", "Thị", "Hồng"),
    ("Phạm", "Văn", "Đức"),
    ("Hoàng", "Minh", "Tuấn"),
    ("Phan", "Thị", "Thảo"),
    ("Vũ", "Văn", "Nam"),
    ("Đặng", "Thị", "Hương"),
    ("Bùi", "Quang", "Huy"),
    ("Đỗ", "Thị", "Ngọc"),
    ("Hồ", "Văn", "Sơn"),
    ("Ngô", "Thị", "Trang"),
    ("Dương", "Văn", "Long"),
    ("Lý", "Thị", "Mai"),
    ("Trương", "Văn", "Phúc"),
    ("Đinh", "Thị", "Nhung"),
    ("Huỳnh", "Văn", "Tâm"),
    ("Võ", "Thị", "Thúy"),
    ("Đào", "Văn", "Khoa"),
    ("Đoàn", "Thị", "Yến"),
    ("Trịnh", "Văn", "Quyết"),
    ("Lương", "Thị", "Hạnh"),
    ("Mai", "Văn", "Tiến"),
    ("Tạ", "Thị", "Duyên"),
    ("Nguyễn", "Đức", "Anh"),
    ("Trần", "Thị", "Bích"),
    ("Lê", "Văn", "Lộc"),
    ("Phạm", "Thị", "Huyền"),
    ("Nguyễn", "Hoàng", "Long"),
    ("Trần", "Ngọc", "Ánh"),
]
for s, m, g in NAMES:
    full = f"{s} {m} {g}"
    meet("name", full, strip_marks(full), "folded: no diacritics (passport)")
    meet(
        "name",
        full,
        f"{strip_marks(g)} {strip_marks(m)} {strip_marks(s).upper()}",
        "western order, surname last in capitals",
    )
    meet("name", full, f"{strip_marks(g)} {strip_marks(m)} {strip_marks(s)}", "western order reversed")
for s, m, g in NAMES[:20]:
    full = f"{s} {m} {g}"
    meet(
        "name",
        full,
        f"{strip_marks(m)} {strip_marks(g)} {strip_marks(s).upper()}",
        "western order, given names kept in order, surname last",
    )
    meet(
        "name",
        full,
        f"{strip_marks(s).upper()}, {strip_marks(m)} {strip_marks(g)}",
        "SURNAME, given names (passport)",
    )
    meet("name", full, f"{s} {g}", "middle name missing")
    meet("name", full, f"{strip_marks(g)} {strip_marks(s)}", "western order, middle name dropped")
    meet("name", full, full.upper(), "all capitals")
    meet("name", full, unicodedata.normalize("NFD", full), "NFD input")
ADOPTIVE = [
    "Emily",
    "Sophie",
    "David",
    "Anna",
    "Michael",
    "Julia",
    "Thomas",
    "Sarah",
    "Daniel",
    "Laura",
    "Jessica",
    "Lucas",
    "Emma",
    "Oliver",
    "Charlotte",
]
for (s, m, g), first in zip(NAMES, ADOPTIVE, strict=False):
    full = f"{s} {m} {g}"
    meet("name", full, f"{first} {strip_marks(g)} {strip_marks(s)}", "adoptive western first name")
    meet(
        "name",
        full,
        f"{first} {strip_marks(g)} {strip_marks(m)} {strip_marks(s).upper()}",
        "adoptive first name, Vietnamese names kept, surname last",
    )

# Given names that fold onto a middle marker (Vân -> van) in either Western order.
for full, written in [("Nguyễn Thị Vân", "Van Thi Nguyen"), ("Nguyễn Thị Vân", "Thi Van NGUYEN"),
                      ("Lê Thị Thi", "Thi Thi Le"), ("Trần Văn Văn", "Van Van TRAN")]:
    meet("name", full, written, "western order; the given name folds onto Thị/Văn")

# Tone-mark placement old/new and misplaced marks.
TONE_PLACEMENT = [
    ("Hòa", "Hoà"),
    ("Thúy", "Thuý"),
    ("Thủy", "Thuỷ"),
    ("Thùy", "Thuỳ"),
    ("Khỏe", "Khoẻ"),
    ("Hóa", "Hoá"),
    ("Quý", "Qúy"),
    ("Hoài", "Hòai"),
    ("Xòe", "Xoè"),
    ("Thụy", "Thuỵ"),
    ("Tùy", "Tuỳ"),
    ("Nguỵ", "Ngụy"),
    ("Hỏa", "Hoả"),
    ("Lòa", "Loà"),
    ("Toàn", "Tòan"),
]
for a, b in TONE_PLACEMENT:
    meet("given", a, b, "tone mark placement old/new or misplaced")
    meet("name", f"Nguyễn Thị {a}", f"Nguyễn Thị {b}", "tone mark placement in a full name")
# Case, spacing, punctuation, titles, encoding noise.
for a, b, why in [
    ("Nguyễn Thị Lan", "  nguyễn   THỊ lan ", "case and spacing"),
    ("Nguyễn Thị Lan", "Nguyễn-Thị-Lan", "hyphens"),
    ("Nguyễn Thị Lan", "Nguyễn Thị Lan.", "trailing punctuation"),
    ("Nguyễn Văn An", "Mr. Nguyen Van An", "English title"),
    ("Nguyễn Thị Hoa", "Mrs Nguyen Thi Hoa", "English title"),
    ("Nguyễn Thị Bé", "Bé Nguyễn Thị Bé", "Vietnamese title for a baby"),
    ("Trần Văn Bình", "Ông Trần Văn Bình", "Vietnamese title"),
    ("Lê Thị Mai", "Bà Lê Thị Mai", "Vietnamese title"),
    ("Đặng Văn Đức", "Ðặng Văn Ðức", "Ð (U+00D0) written for Đ"),
    ("Đỗ Thị Đào", "Ðỗ Thị Ðào", "Ð (U+00D0) written for Đ"),
    ("Đinh Văn Đạt", "ÐINH VĂN ÐẠT", "Ð in capitals"),
    ("Đoàn Thị Điệp", "Ðoàn Thị Ðiệp", "Ð (U+00D0) written for Đ"),
    ("Nguyễn Văn Đức", "Nguyá»…n VÄƒn Ä‘á»©c", "UTF-8 read as cp1252"),
    ("Trương Thị Hương", "TrÆ°Æ¡ng Thá»‹ HÆ°Æ¡ng", "UTF-8 read as cp1252"),
    ("Phạm Thị Thủy", "Pháº¡m Thá»‹ Thá»§y", "UTF-8 read as cp1252"),
    ("Lê Văn Hùng", "LÃª VÄƒn HÃ¹ng", "UTF-8 read as cp1252"),
    ("Hồ Thị Ngọc", "Há»“ Thá»‹ Ngá»\x8dc", "UTF-8 read as cp1252 (C1 control kept)"),
    ("Bùi Thị Lan", "Buøi Thò Lan", "legacy VNI font text read as cp1252"),
    ("Đỗ Văn Hùng", "Ñoã Vaên Huøng", "legacy VNI font text read as cp1252"),
    ("Dương Thị Thúy", "Döông Thò Thuùy", "legacy VNI font text read as cp1252"),
    ("Nguyễn Thị Thúy", "Nguye\u0302\u0303n Thi\u0323 Thu\u0301y", "NFD"),
    ("Nguyễn Thị Thúy", "Nguyê\u0303n Thị Thúy", "composite Unicode (precomposed vowel + combining tone)"),
    ("Lê Thị Hồng", "Lê Thị Hô\u0300ng", "composite Unicode"),
    ("Trần Ngọc Ánh", "Tra\u0300n Ngo\u0323c A\u0301nh", "NFD"),
]:
    meet("name", a, b, why)

# Regional surname variants.
for s, v in [("Hoàng", "Huỳnh"), ("Vũ", "Võ")]:
    for m, g in [
        ("Văn", "Nam"),
        ("Thị", "Lan"),
        ("Minh", "Tuấn"),
        ("Thị", "Hạnh"),
        ("Văn", "Tài"),
        ("Ngọc", "Hân"),
        ("Thanh", "Tùng"),
        ("Thị", "Xuân"),
    ]:
        meet("name", f"{s} {m} {g}", f"{v} {m} {g}", f"regional surname variant {s}/{v}")
    meet("surname", s, v, f"regional surname variant {s}/{v}")
    meet("surname", s, strip_marks(v), f"regional variant, folded {s}/{v}")
# i/y with a tone mark.
for a, b in [("Lý", "Lí"), ("Mỹ", "Mĩ"), ("Sỹ", "Sĩ"), ("Kỳ", "Kì"), ("Kỷ", "Kỉ"), ("Hỷ", "Hỉ")]:
    meet("given" if a != "Lý" else "surname", a, b, "i/y spelling with a tone mark")
    meet(
        "name",
        f"{a} Thị Lan" if a == "Lý" else f"Nguyễn Thị {a}",
        f"{b} Thị Lan" if a == "Lý" else f"Nguyễn Thị {b}",
        "i/y spelling in a full name",
    )
# Sound mergers: misspellings by ear.
MERGERS = [
    ("Dũng", "Giũng", "d/gi merger"),
    ("Dương", "Giương", "d/gi merger"),
    ("Diệu", "Giệu", "d/gi merger"),
    ("Duyên", "Giuyên", "d/gi merger"),
    ("Giang", "Dang", "gi/d merger"),
    ("Giao", "Dao", "gi/d merger"),
    ("Rạng", "Dạng", "r/d merger (North)"),
    ("Vinh", "Dinh", "v/d merger (South)"),
    ("Vân", "Dân", "v/d merger (South)"),
    ("Vũ", "Dũ", "v/d merger (South)"),
    ("Sương", "Xương", "s/x merger"),
    ("Sang", "Xang", "s/x merger"),
    ("Xuân", "Suân", "s/x merger"),
    ("Sen", "Xen", "s/x merger"),
    ("Trâm", "Châm", "ch/tr merger"),
    ("Trúc", "Chúc", "ch/tr merger"),
    ("Trung", "Chung", "ch/tr merger"),
    ("Trang", "Chang", "ch/tr merger"),
    ("Chiến", "Triến", "ch/tr merger"),
    ("Loan", "Loang", "final n/ng"),
    ("Tuấn", "Tuấng", "final n/ng"),
    ("Nhân", "Nhâng", "final n/ng"),
    ("Vương", "Vươn", "final n/ng"),
    ("Thanh", "Than", "final nh/n (South)"),
    ("Minh", "Min", "final nh/n (South)"),
    ("Phúc", "Phút", "final c/t"),
    ("Phước", "Phướt", "final c/t"),
    ("Đức", "Đứt", "final c/t"),
    ("Lộc", "Lột", "final c/t"),
    ("Bích", "Bít", "final ch/t (South)"),
    ("Ngọc", "Ngọt", "final c/t"),
    ("Dũng", "Dủng", "hỏi/ngã merger"),
    ("Vĩnh", "Vỉnh", "hỏi/ngã merger"),
    ("Mỹ", "Mỷ", "hỏi/ngã merger"),
    ("Hữu", "Hửu", "hỏi/ngã merger"),
    ("Kỷ", "Kỹ", "hỏi/ngã merger"),
    ("Nguyễn", "Nguyển", "hỏi/ngã merger"),
    ("Đỗ", "Đổ", "hỏi/ngã merger (surname_counts: Đổ 39)"),
    ("Võ", "Vỏ", "hỏi/ngã merger (Vỏ 31)"),
    ("Lữ", "Lử", "hỏi/ngã merger"),
    ("Thảo", "Thão", "hỏi/ngã merger"),
    ("Bảo", "Bão", "hỏi/ngã merger"),
    ("Quỳnh", "Quỳn", "final nh/n (South)"),
    ("Khánh", "Khán", "final nh/n (South)"),
]
for a, b, why in MERGERS:
    part = "surname" if a in ("Nguyễn", "Đỗ", "Võ", "Lữ") else "given"
    meet(part, a, b, why)
    meet(part, strip_marks(a), b, why + ", one side folded")
# Wrong tone mark altogether (folded equal), and typing errors.
for a, b, why in [
    ("Nguyễn", "Nguyến", "wrong tone (surname_counts: Nguyến 5)"),
    ("Nguyễn", "Nguyền", "wrong tone"),
    ("Huỳnh", "Hùynh", "misplaced tone (Hùynh 7)"),
    ("Phương", "Phuơng", "missing horn"),
    ("Trương", "Truơng", "missing horn"),
    ("Nguyễn", "Ngyễn", "typing error (Ngyễn 3)"),
    ("Nguyễn", "Nghuyễn", "typing error (Nghuyễn 3)"),
    ("Nguyễn", "Nguyyễn", "typing error"),
    ("Phượng", "Phượngg", "typing error"),
    ("Thương", "Thuơng", "missing horn"),
    ("Dương", "Duơng", "missing horn (Duơng 1)"),
    ("Quỳnh", "Quynh", "folded"),
    ("Hường", "Huờng", "missing horn"),
    ("Nguyệt", "Ngyệt", "typing error"),
    ("Khuyên", "Khuyen", "folded"),
    ("Trường", "Truờng", "missing horn"),
]:
    part = "surname" if a in ("Nguyễn", "Huỳnh", "Trương", "Dương") else "given"
    meet(part, a, b, why)
# Middle names: Thị / Văn dropped or added, two-part middles.
for a, b in [
    ("Nguyễn Thị Ngọc Lan", "Nguyễn Ngọc Lan"),
    ("Trần Thị Thu Hà", "Trần Thu Hà"),
    ("Lê Văn Minh Tuấn", "Lê Minh Tuấn"),
    ("Phạm Thị Kim Chi", "Phạm Kim Chi"),
    ("Võ Thị Mỹ Linh", "Vo My Linh"),
    ("Nguyễn Thị Hồng Nhung", "Hong Nhung Nguyen"),
    ("Đỗ Thị Thanh Hương", "Do Thanh Huong"),
    ("Hồ Văn Quốc Bảo", "Quoc Bao Ho"),
]:
    meet("name", a, b, "Thị/Văn dropped from a two-part middle name")
# Compound surnames cut.
for a, b in [
    ("Hoàng Phủ Ngọc Tường", "Hoàng Ngọc Tường"),
    ("Tôn Thất Minh Hoàng", "Tôn Minh Hoàng"),
    ("Tôn Nữ Thị Ngọc", "Tôn Thị Ngọc"),
    ("Âu Dương Văn Lâm", "Âu Văn Lâm"),
]:
    meet("name", a, b, "compound surname cut to its head")
# Ethnic-minority names.
for a, b, why in [
    ("H'Hen Niê", "H Hen Niê", "Ê Đê woman: H' prefix written without apostrophe"),
    ("H'Hen Niê", "Hen Niê", "Ê Đê woman: H' prefix dropped"),
    ("H'Hen Niê", "H'HEN NIE", "Ê Đê name folded, capitals"),
    ("H'Hen Niê", "H’Hen Niê", "typographic apostrophe"),
    ("Y Moan Êban", "Y Moan Eban", "Ê Đê man, folded"),
    ("Y Moan Êban", "Moan Êban", "Ê Đê man: Y prefix dropped"),
    ("Y Moan Êban", "Y-Moan Êban", "Ê Đê man: prefix hyphenated"),
    ("Ksor Pếch", "Ksor Pech", "Jarai name folded"),
    ("Ksor Pếch", "KSOR Pếch", "Jarai family name in capitals"),
    ("Giàng A Páo", "Giang A Pao", "Hmong name folded"),
    ("Sùng A Tủa", "Sung A Tua", "Hmong name folded"),
    ("Thào Thị Mỷ", "Thào Thị Mỹ", "Hmong name, hỏi/ngã"),
    ("Vàng Seo Phử", "Vang Seo Phu", "Hmong name folded"),
    ("Lầu Mí Chà", "Lau Mi Cha", "Hmong woman, folded"),
    ("Thạch Thị Sa Phi", "Thach Thi Sa Phi", "Khmer name folded"),
    ("Danh Út", "Danh Ut", "Khmer name folded"),
    ("Sơn Thị Huỳnh", "Son Thi Huynh", "Khmer name folded"),
    ("Kim Thị Sóc Kha", "Kim Thi Soc Kha", "Khmer name folded"),
    ("Niê Kđăm Y Ngông", "Niê Kđăm Y Ngông", "identical minority name"),
    ("Siu H'Lan", "Siu Lan", "Jarai woman: H' prefix dropped"),
]:
    meet("name", a, b, why)

# ---- must not meet -------------------------------------------------------------------------------
TWINS = [
    ("Minh", "Mạnh"),
    ("Phúc", "Lộc"),
    ("Hùng", "Dũng"),
    ("An", "Bình"),
    ("Lan", "Huệ"),
    ("Long", "Phụng"),
    ("Tuấn", "Tú"),
    ("Anh", "Em"),
    ("Kim", "Ngân"),
    ("Thiện", "Mỹ"),
    ("Nhật", "Nguyệt"),
    ("Sơn", "Hải"),
    ("Trúc", "Mai"),
    ("Hoa", "Hồng"),
    ("Đức", "Trí"),
    ("Khang", "Thịnh"),
    ("Phong", "Vũ"),
    ("Vy", "Na"),
    ("Thảo", "Hiền"),
    ("Quang", "Huy"),
    ("Nam", "Bắc"),
    ("Hiếu", "Thảo"),
    ("Tài", "Lộc"),
    ("Châu", "Ngọc"),
    ("Duy", "Khoa"),
    ("Linh", "Chi"),
    ("Thư", "Hân"),
    ("Bảo", "Ngọc"),
    ("Thắng", "Lợi"),
    ("Hưng", "Thịnh"),
    ("Nhi", "Như"),
    ("Đạt", "Thành"),
    ("Xuân", "Thu"),
    ("Hạ", "Đông"),
    ("Tâm", "Trí"),
    ("Nhân", "Nghĩa"),
    ("Trung", "Hiếu"),
    ("Uyên", "Phương"),
    ("Kiên", "Cường"),
    ("Quân", "Dân"),
]
for i, (a, b) in enumerate(TWINS):
    s, m = NAMES[i % len(NAMES)][0], "Văn" if i % 2 else "Thị"
    never("given", a, b, "different given names (twins)")
    never("name", f"{s} {m} {a}", f"{s} {m} {b}", "twins: same surname and middle, different given")
    never("name", strip_marks(f"{s} {m} {a}"), strip_marks(f"{s} {m} {b}"), "twins, folded")
SIBLINGS = [
    ("Nguyễn Thị Lan Anh", "Nguyễn Thị Lan Chi"),
    ("Trần Văn Minh Hoàng", "Trần Văn Minh Khoa"),
    ("Lê Thị Thu Hà", "Lê Thị Thu Trang"),
    ("Phạm Ngọc Bảo Anh", "Phạm Ngọc Bảo Châu"),
    ("Võ Thị Kim Ngân", "Võ Thị Kim Thoa"),
    ("Đỗ Minh Khôi", "Đỗ Minh Khang"),
]
for a, b in SIBLINGS:
    never("name", a, b, "siblings with a shared middle name")
# Distinctions the tones carry: the folded form merges them, nothing stronger may.
for a, b in [
    ("Lan", "Lân"),
    ("Vân", "Văn"),
    ("Nguyên", "Nguyễn"),
    ("Doãn", "Đoàn"),
    ("Hà", "Hạ"),
    ("Thu", "Thư"),
    ("Mai", "Mãi"),
    ("Tâm", "Tám"),
    ("Hương", "Hưng"),
    ("Long", "Lòng"),
]:
    if strip_marks(a).lower() == strip_marks(b).lower():
        never("given", a, b, "toned distinction: different names that fold together", "FOLDED")
    else:
        never("given", a, b, "different names", "JW_LOW")
# Distinct names that a sound merger makes confusable: phonetic at most, never a variant.
for a, b, why in [
    ("Lan", "Lang", "final n/ng: distinct names"),
    ("Vy", "Vi", "i/y without tone: distinct names"),
    ("Thy", "Thi", "i/y without tone: distinct names"),
    ("Trinh", "Chinh", "ch/tr: distinct names"),
    ("An", "Anh", "final n/nh: distinct names"),
    ("Lân", "Lang", "final n/ng: distinct"),
    ("My", "Mi", "i/y without tone: distinct names"),
]:
    never("given", a, b, why, "PHONETIC")
# Different surnames.
for a, b in [
    ("Nguyễn", "Trần"),
    ("Lê", "Lý"),
    ("Phạm", "Phan"),
    ("Hồ", "Hà"),
    ("Đào", "Đoàn"),
    ("Vũ", "Vương"),
    ("Hoàng", "Hồ"),
    ("Đỗ", "Đinh"),
    ("Ngô", "Ngọ"),
    ("Bùi", "Bạch"),
]:
    strongest = "FOLDED" if strip_marks(a).lower() == strip_marks(b).lower() else "JW_LOW"
    never("surname", a, b, "different surnames", strongest)

with OUT.open("w", encoding="utf-8", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["part", "a", "b", "expect", "strongest_allowed", "reason"])
    writer.writerows(rows)
print(f"{len(rows)} rows: {sum(r[3] == 'meet' for r in rows)} meet, {sum(r[3] == 'not' for r in rows)} not")
