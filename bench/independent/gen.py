#!/usr/bin/env python3
"""Independent synthetic test-data generator for Vietnamese record linkage.

python gen.py --out DIR --population 200000 --records 5000 --seed S

Writes DIR/population.csv, DIR/records.csv, DIR/truth.csv (and, for analysis only,
DIR/_detail/record_detail.csv with the case type and the corruptions applied).
Standard library only. Rates are documented in README.md next to this file.
"""
import argparse
import bisect
import csv
import datetime as dt
import os
import random
import re
import sys
import time
import unicodedata as ud
from collections import Counter, defaultdict

# the reference tables the project copied from the shared data (names, administrative units)
DATA = os.environ.get("VN_REF_DATA", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                  "linkage", "vn", "data"))
EXTRACT = dt.date(2026, 3, 31)          # date of the register extract
LAST_BIRTH = dt.date(2026, 3, 10)
REFORM = dt.date(2025, 7, 1)            # 34-province map in force
D = dt.date
TD = dt.timedelta


def nfc(s):
    return ud.normalize("NFC", s)


def clean_ref(s):
    return nfc(s.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")).strip()


# ----------------------------------------------------------------------------
# weighted picking
# ----------------------------------------------------------------------------
class Picker:
    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        pairs = [(i, w) for i, w in zip(items, weights, strict=True) if w > 0]
        self.items = [p[0] for p in pairs]
        self.cum = []
        t = 0.0
        for _, w in pairs:
            t += w
            self.cum.append(t)
        self.total = t

    def __call__(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def pick(rng, table):
    """table: list of (value, weight)."""
    t = sum(w for _, w in table)
    x = rng.random() * t
    for v, w in table:
        x -= w
        if x < 0:
            return v
    return table[-1][0]


def chance(rng, p):
    return rng.random() < p


# ----------------------------------------------------------------------------
# reference data
# ----------------------------------------------------------------------------
def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# provinces (pre-2025 code) -> population weight (hundred thousands, approx. 2019-2023)
PROV_POP = {
    "01": 84, "02": 9, "04": 5.3, "06": 3.2, "08": 7.9, "10": 7.5, "11": 6.3, "12": 4.8,
    "14": 12.5, "15": 8.3, "17": 8.6, "19": 13, "20": 7.9, "22": 13.3, "24": 18.6, "25": 15,
    "26": 11.8, "27": 14.9, "30": 19.4, "31": 20.7, "33": 12.7, "34": 18.7, "35": 8.6,
    "36": 18.8, "37": 10, "38": 36.9, "40": 34, "42": 13, "44": 9, "45": 6.4, "46": 11.6,
    "48": 12.2, "49": 15.2, "51": 12.5, "52": 15, "54": 8.8, "56": 12.4, "58": 6, "60": 12.5,
    "62": 5.7, "64": 15.7, "66": 19, "67": 6.7, "68": 13.2, "70": 10.2, "72": 11.9, "74": 27,
    "75": 32.5, "77": 11.8, "79": 92, "80": 17.3, "82": 17.8, "83": 12.9, "84": 10.1,
    "86": 10.3, "87": 16, "89": 19, "91": 17.5, "92": 12.5, "93": 7.3, "94": 12, "95": 9.1,
    "96": 12.1,
}

NORTH = {"01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22",
         "24", "25", "26", "27", "30", "31", "33", "34", "35", "36", "37", "38", "40", "42"}
CENTRAL = {"44", "45", "46", "48", "49", "51", "52", "54", "56", "58", "60", "62", "64", "66",
           "67", "68"}

# ethnic composition (share of births by naming tradition) per province
ETH = {
    "66": {"ede": 0.16, "jarai": 0.03},
    "67": {"ede": 0.08, "thai_tay": 0.10},
    "64": {"jarai": 0.30, "ede": 0.02},
    "62": {"jarai": 0.22},
    "68": {"kho": 0.12},
    "60": {"kho": 0.02},
    "94": {"khmer": 0.30}, "84": {"khmer": 0.31}, "91": {"khmer": 0.12}, "89": {"khmer": 0.04},
    "95": {"khmer": 0.08}, "96": {"khmer": 0.02}, "86": {"khmer": 0.02}, "92": {"khmer": 0.02},
    "02": {"hmong": 0.32, "thai_tay": 0.40}, "10": {"hmong": 0.24, "thai_tay": 0.30},
    "11": {"hmong": 0.35, "thai_tay": 0.40}, "12": {"hmong": 0.22, "thai_tay": 0.40},
    "14": {"hmong": 0.15, "thai_tay": 0.60}, "15": {"hmong": 0.11, "thai_tay": 0.35},
    "04": {"thai_tay": 0.90}, "20": {"thai_tay": 0.80}, "06": {"thai_tay": 0.80},
    "17": {"thai_tay": 0.60}, "08": {"thai_tay": 0.45}, "19": {"thai_tay": 0.20},
    "38": {"thai_tay": 0.10}, "40": {"thai_tay": 0.10}, "25": {"thai_tay": 0.10},
    "22": {"thai_tay": 0.08}, "24": {"thai_tay": 0.12},
}

# naming traditions for minorities (hand-written lists, from general knowledge)
EDE_FAMILY = ["Niê", "Êban", "Mlô", "Byă", "Ayun", "Adrơng", "Hmok", "Kbuôr", "Ksơr",
              "Buôn Yă", "Niê Kdăm", "Ênuôl", "Hđơk", "Knul", "Mdrang", "Ktla", "Êban", "Niê",
              "Mlô Duôn Du", "Byă", "Niê", "Ayŭn"]
EDE_GIVEN_F = ["Hen", "Linh", "Nga", "Ren", "Yam", "Ban", "Bia", "Duyên", "Hiang", "Ngơn",
               "Rim", "Zi", "Blơ", "Jun", "Khuê", "Mai", "Ni", "Wơn", "Lan", "Hơ", "Tuyết",
               "Ruth", "Dung", "Bun", "Yuă", "Blan", "Mươn", "Ngăm", "Thu", "Ly"]
EDE_GIVEN_M = ["Moan", "Bih", "Ngông", "Tlam", "Sơn", "Jút", "Khoa", "Blốc", "Thuột", "Điêng",
               "Kông", "Ni", "Wang", "Bhiêr", "Dhăm", "Ju", "Tuk", "Sinh", "Hoan", "Lê", "Bhin",
               "Nuê", "Kuăn", "Yơ", "Phôn", "Dơng", "Thái", "Nam"]
JARAI_FAMILY = ["Ksor", "Rơ Mah", "Siu", "Rơ Châm", "Nay", "Kpă", "Puih", "Rah Lan", "Rơ Lan",
                "Ksor", "Siu", "Rơ Mah", "Nay", "Kpuih", "Rơ Ô"]
JARAI_GIVEN_F = ["Ngăm", "Bloanh", "Phun", "Yuih", "Hương", "Thuyên", "Bưng", "Nhi", "Hlim",
                 "Jin", "Lan", "Mai", "Phia", "Nguyệt", "Hiao", "Blưn", "Đoan", "Yôn"]
JARAI_GIVEN_M = ["Pếch", "Đoan", "Blang", "Thuyên", "Hiao", "Chung", "Phin", "Kai", "Dơk",
                 "Huyn", "Kek", "Chiến", "Tuân", "Ngọc", "Ban", "Djuih", "Phon", "Nhơ"]
KHMER_SURNAMES = [("Thạch", 30), ("Sơn", 18), ("Danh", 14), ("Kim", 12), ("Lâm", 8),
                  ("Châu", 6), ("Kiên", 4), ("Lý", 3), ("Huỳnh", 3), ("Trương", 2)]
KHMER_GIVEN = ["Sa Rết", "Sô Phia", "Chanh Đa", "Ra Ny", "Sóc Kha", "Sa Rinh", "Sô Phon",
               "Pa Ri", "Sa Vân", "Đa Ra", "Chân Thy", "Sóc Thươl", "Kha Na", "Mông Kol",
               "Sa Mây", "Sóc Na", "Thươl", "Sa Rây", "Pha Ly", "Bô Pha", "Chanh Thu", "Rô Sa",
               "Sa Mát", "Ren", "Phol", "Pích", "Sa Phát", "Sóc", "Sa Ruôn", "Sa Môn", "Sa Vẹt",
               "Thy", "Đa Ni", "Kim Hoa", "Sô Phát", "Ni", "Pho", "Khiêm", "Ruộng", "Mết"]
HMONG_SURNAMES = [("Giàng", 22), ("Thào", 16), ("Vàng", 16), ("Sùng", 12), ("Lầu", 8),
                  ("Hạng", 6), ("Lý", 6), ("Mua", 5), ("Vừ", 5), ("Chảo", 3), ("Hầu", 3),
                  ("Tráng", 3), ("Ly", 2), ("Cứ", 2)]
HMONG_MID_M = [("A", 35), ("Seo", 18), ("Mí", 12), ("Chứ", 6), ("Sính", 4), ("Văn", 20),
               ("Chờ", 3), ("Páo", 2)]
HMONG_GIVEN_M = ["Páo", "Dình", "Chư", "Sử", "Dế", "Pó", "Chá", "Tủa", "Chứ", "Pử", "Phử",
                 "Sài", "Lử", "Vảng", "Súa", "Tú", "Dơ", "Nủ", "Chính", "Sáu", "Lồng", "Dìa",
                 "Chinh", "Cở", "Thề", "Xà"]
HMONG_GIVEN_F = ["Mỷ", "Dợ", "Say", "Sua", "Mai", "Pàng", "Dở", "Chía", "Lan", "Vư", "Của",
                 "Si", "Dinh", "Xúa", "Chớ", "Mỉ", "Máy", "Pà", "Sy", "Dua", "Ly", "Mẩy"]
THAI_TAY_SURNAMES = [("Lò", 10), ("Cầm", 6), ("Quàng", 5), ("Lường", 6), ("Nông", 12), ("Ma", 6),
                     ("Triệu", 6), ("Hà", 10), ("Lộc", 4), ("Hoàng", 14), ("Bế", 4), ("Đinh", 6),
                     ("Bùi", 6), ("Sầm", 2), ("Vi", 5), ("Lương", 6), ("Tòng", 2), ("Lù", 2),
                     ("Mè", 1), ("Hà", 4), ("Nguyễn", 8), ("Lục", 3), ("Hứa", 3), ("Chu", 3)]
KHO_GIVEN_M = ["Brăk", "Sơn", "Điểu", "Kliêng", "Tiếu", "Ha", "Dơng", "Sru", "Bre", "Yên",
               "Glen", "Jốp", "Tuất", "Thanh"]
KHO_GIVEN_F = ["Hương", "Sim", "Thuyên", "Lan", "Bình", "Ha Nhi", "Jăn", "Mai", "Lin", "Bông",
               "Tuyết", "Nhiên", "Dung", "Rai"]

# virtue names given by social protection centres / pagodas to foundlings
CENTRE_GIVEN = ["Ân", "Phúc", "Thiện", "Tâm", "An", "Bình", "Lộc", "Nhân", "Đức", "Hạnh",
                "Hiếu", "Nghĩa", "Tín", "Hòa", "Thương", "Hiền", "Ngoan", "Xuân", "Thu", "Hạ",
                "Đông", "Vọng", "Lành", "Mai", "Tình", "Duyên", "Hy", "Khang", "Như", "Ý"]
CENTRE_MID = [("Thị", 20), ("Văn", 20), ("Thiên", 10), ("Hồng", 8), ("Gia", 6), ("Bảo", 6),
              ("Thanh", 6), ("Minh", 6), ("Hữu", 4), ("Ngọc", 6), ("Phước", 4), ("Thiện", 4)]
PAGODAS = ["Phước Huệ", "Kỳ Quang", "Từ Ân", "Linh Sơn", "Bửu Long", "Vạn Phước", "Pháp Hoa",
           "Diệu Pháp", "Hoằng Pháp", "Quán Thế Âm", "Long Hương", "Thiên Phước", "Bồ Đề",
           "Giác Ngộ", "Phổ Quang", "Đức Sơn", "Hưng Long", "Linh Quang"]
CHURCHES = ["Nhà thờ Thánh Giuse", "Nhà thờ Tân Định", "Nhà thờ Phú Nhai", "Nhà thờ Bến Thành",
            "Giáo xứ Thánh Tâm", "Nhà thờ Chánh Tòa"]

# themed twin names: (given 1, sex 1, given 2, sex 2)
TWIN_PAIRS = [("Long", "M", "Phụng", "F"), ("Phúc", "M", "Lộc", "M"), ("An", "M", "Khang", "M"),
              ("Minh", "M", "Mẫn", "M"), ("Kim", "F", "Ngân", "F"), ("Hồng", "F", "Cúc", "F"),
              ("Đức", "M", "Tài", "M"), ("Sơn", "M", "Hải", "M"), ("Nhật", "M", "Nguyệt", "F"),
              ("Thiên", "M", "Ân", "M"), ("Trúc", "F", "Mai", "F"), ("Bảo", "M", "Ngọc", "F"),
              ("Phúc", "M", "Hậu", "M"), ("Tâm", "F", "Trí", "M"), ("Thu", "F", "Hà", "F"),
              ("An", "F", "Nhiên", "F"), ("Khôi", "M", "Nguyên", "M"), ("Hoa", "F", "Hương", "F"),
              ("Lan", "F", "Huệ", "F"), ("Tuấn", "M", "Tú", "M"), ("Vy", "F", "Vân", "F"),
              ("Anh", "M", "Em", "M")]

NICKNAMES = ["Bé", "Tí", "Tèo", "Cu", "Bống", "Mít", "Su", "Bin", "Bo", "Heo", "Na", "Út", "Hai",
             "Ba", "Tư", "Bé Hai", "Bé Ba", "Cu Tí", "Bé Út", "Ti", "Nhóc", "Bi", "Cún", "Mận"]
ADOPTIVE_F = ["Emily", "Sarah", "Anna", "Julia", "Sophie", "Marie", "Laura", "Hannah", "Emma",
              "Clara", "Chloé", "Camille", "Léa", "Giulia", "Chiara", "Lucía", "Ingrid",
              "Astrid", "Linnea", "Olivia", "Jessica", "Rebecca", "Amélie", "Mia", "Elin",
              "Maja", "Grace", "Katherine", "Isabelle", "Nina", "Eva", "Lisa", "Hanna", "Mai-Linh"]
ADOPTIVE_M = ["Thomas", "David", "Daniel", "Lucas", "Mathieu", "Nicolas", "Pierre", "Matteo",
              "Luca", "Jonas", "Erik", "Anders", "Michael", "Benjamin", "Samuel", "Jacob",
              "Henrik", "Oliver", "Maxime", "Julien", "Marco", "Andrea", "Noah", "Elias", "Leo",
              "Kevin", "Ryan", "Christopher", "Matthew", "Tim", "Johan", "Felix"]
ADOPTIVE_SURNAMES = ["Johnson", "Smith", "Miller", "Thompson", "Dupont", "Martin", "Bernard",
                     "Rossi", "Bianchi", "Andersson", "Johansson", "Nielsen", "Müller",
                     "Schmidt", "Van den Berg", "De Vries", "García", "Lambert", "O'Brien",
                     "Leclerc", "Moreau", "Lindqvist", "Peeters", "Janssens", "Williams"]

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
MONTHS_IT = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
             "settembre", "ottobre", "novembre", "dicembre"]
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember"]

# provinces as named before the 1990s/2000s splits and mergers (pre-2025 code -> list of
# (valid_until, full name)); the first entry whose date is after the reference date wins.
PROV_HISTORY = {
    "02": [(D(1991, 10, 1), "Tỉnh Hà Tuyên")], "08": [(D(1991, 10, 1), "Tỉnh Hà Tuyên")],
    "10": [(D(1991, 10, 1), "Tỉnh Hoàng Liên Sơn")], "15": [(D(1991, 10, 1), "Tỉnh Hoàng Liên Sơn")],
    "06": [(D(1997, 1, 1), "Tỉnh Bắc Thái")], "19": [(D(1997, 1, 1), "Tỉnh Bắc Thái")],
    "25": [(D(1997, 1, 1), "Tỉnh Vĩnh Phú")], "26": [(D(1997, 1, 1), "Tỉnh Vĩnh Phú")],
    "24": [(D(1997, 1, 1), "Tỉnh Hà Bắc")], "27": [(D(1997, 1, 1), "Tỉnh Hà Bắc")],
    "30": [(D(1997, 1, 1), "Tỉnh Hải Hưng")], "33": [(D(1997, 1, 1), "Tỉnh Hải Hưng")],
    "35": [(D(1992, 4, 1), "Tỉnh Hà Nam Ninh"), (D(1997, 1, 1), "Tỉnh Nam Hà")],
    "36": [(D(1992, 4, 1), "Tỉnh Hà Nam Ninh"), (D(1997, 1, 1), "Tỉnh Nam Hà")],
    "37": [(D(1992, 4, 1), "Tỉnh Hà Nam Ninh")],
    "17": [(D(1991, 10, 1), "Tỉnh Hà Sơn Bình")],
    "40": [(D(1991, 10, 1), "Tỉnh Nghệ Tĩnh")], "42": [(D(1991, 10, 1), "Tỉnh Nghệ Tĩnh")],
    "44": [(D(1989, 7, 1), "Tỉnh Bình Trị Thiên")], "45": [(D(1989, 7, 1), "Tỉnh Bình Trị Thiên")],
    "46": [(D(1989, 7, 1), "Tỉnh Bình Trị Thiên"), (D(2025, 1, 1), "Tỉnh Thừa Thiên Huế")],
    "48": [(D(1997, 1, 1), "Tỉnh Quảng Nam - Đà Nẵng")],
    "49": [(D(1997, 1, 1), "Tỉnh Quảng Nam - Đà Nẵng")],
    "51": [(D(1989, 7, 1), "Tỉnh Nghĩa Bình")], "52": [(D(1989, 7, 1), "Tỉnh Nghĩa Bình")],
    "54": [(D(1989, 7, 1), "Tỉnh Phú Khánh")], "56": [(D(1989, 7, 1), "Tỉnh Phú Khánh")],
    "58": [(D(1992, 4, 1), "Tỉnh Thuận Hải")], "60": [(D(1992, 4, 1), "Tỉnh Thuận Hải")],
    "62": [(D(1991, 8, 12), "Tỉnh Gia Lai - Kon Tum")],
    "64": [(D(1991, 8, 12), "Tỉnh Gia Lai - Kon Tum")],
    "67": [(D(2004, 1, 1), "Tỉnh Đắk Lắk")],
    "70": [(D(1997, 1, 1), "Tỉnh Sông Bé")], "74": [(D(1997, 1, 1), "Tỉnh Sông Bé")],
    "77": [(D(1991, 8, 12), "Tỉnh Đồng Nai")],
    "84": [(D(1992, 5, 1), "Tỉnh Cửu Long")], "86": [(D(1992, 5, 1), "Tỉnh Cửu Long")],
    "92": [(D(1992, 1, 1), "Tỉnh Hậu Giang"), (D(2004, 1, 1), "Tỉnh Cần Thơ")],
    "93": [(D(1992, 1, 1), "Tỉnh Hậu Giang"), (D(2004, 1, 1), "Tỉnh Cần Thơ")],
    "94": [(D(1992, 1, 1), "Tỉnh Hậu Giang")],
    "95": [(D(1997, 1, 1), "Tỉnh Minh Hải")], "96": [(D(1997, 1, 1), "Tỉnh Minh Hải")],
    "11": [(D(2004, 1, 1), "Tỉnh Lai Châu")],
    "04": [(D(1978, 12, 29), "Tỉnh Cao Lạng")], "20": [(D(1978, 12, 29), "Tỉnh Cao Lạng")],
    "79": [(D(1976, 7, 2), "Thành phố Sài Gòn - Gia Định")],
}
HA_TAY_DISTRICTS = {"Quận Hà Đông", "Thị xã Sơn Tây", "Huyện Ba Vì", "Huyện Phúc Thọ",
                    "Huyện Đan Phượng", "Huyện Hoài Đức", "Huyện Quốc Oai", "Huyện Thạch Thất",
                    "Huyện Chương Mỹ", "Huyện Thanh Oai", "Huyện Thường Tín", "Huyện Phú Xuyên",
                    "Huyện Ứng Hòa", "Huyện Mỹ Đức"}
DISTRICT_HISTORY = {
    ("01", "Quận Hà Đông"): [(D(2006, 12, 27), "Thị xã Hà Đông"), (D(2008, 8, 1), "Thành phố Hà Đông")],
    ("01", "Quận Bắc Từ Liêm"): [(D(2014, 4, 1), "Huyện Từ Liêm")],
    ("01", "Quận Nam Từ Liêm"): [(D(2014, 4, 1), "Huyện Từ Liêm")],
    ("01", "Quận Long Biên"): [(D(2003, 11, 1), "Huyện Gia Lâm")],
    ("01", "Quận Hoàng Mai"): [(D(2003, 11, 1), "Huyện Thanh Trì")],
    ("79", "Thành phố Thủ Đức"): [(D(2021, 1, 1), "Quận Thủ Đức")],
    ("79", "Quận Bình Tân"): [(D(2003, 11, 1), "Huyện Bình Chánh")],
    ("79", "Quận Tân Phú"): [(D(2003, 11, 1), "Quận Tân Bình")],
    ("79", "Quận 12"): [(D(1997, 4, 1), "Huyện Hóc Môn")],
    ("46", "Quận Phú Xuân"): [(D(2025, 1, 1), "Thành phố Huế")],
    ("46", "Quận Thuận Hóa"): [(D(2025, 1, 1), "Thành phố Huế")],
    ("74", "Thành phố Dĩ An"): [(D(2011, 1, 1), "Huyện Dĩ An"), (D(2020, 2, 1), "Thị xã Dĩ An")],
    ("74", "Thành phố Thuận An"): [(D(2011, 1, 1), "Huyện Thuận An"), (D(2020, 2, 1), "Thị xã Thuận An")],
    ("74", "Thành phố Thủ Dầu Một"): [(D(2012, 6, 1), "Thị xã Thủ Dầu Một")],
}

# spoken / English / abbreviated province forms
PROV_ALIAS_VN = {
    "79": ["TP.HCM", "TP HCM", "Tp.Hồ Chí Minh", "TP. Hồ Chí Minh", "Thành phố HCM", "Sài Gòn",
           "HCM", "TPHCM"],
    "01": ["HN", "TP. Hà Nội", "Hà Nội", "TP Hà Nội"],
    "48": ["TP. Đà Nẵng", "Đà Nẵng", "ĐN"],
    "46": ["TT-Huế", "Thừa Thiên-Huế", "Huế", "TT Huế"],
    "77": ["BR-VT", "Bà Rịa-Vũng Tàu", "Vũng Tàu", "BRVT"],
    "66": ["Đắc Lắc", "Đăk Lăk", "Daklak", "ĐắkLắk"],
    "67": ["Đăk Nông", "Đắc Nông"],
    "62": ["Kontum", "KonTum"],
    "31": ["TP. Hải Phòng", "HP"],
    "92": ["TP. Cần Thơ", "TPCT"],
    "56": ["Khánh Hoà"], "38": ["Thanh Hoá"], "17": ["Hoà Bình"],
}
PROV_EN_CITY = {
    "79": ["Ho Chi Minh City", "HCMC", "Saigon", "Ho Chi Minh", "Sai Gon", "HCM City",
           "Ho Chi Minh Ville"],
    "01": ["Hanoi", "Ha Noi", "Hanoi City", "HaNoi"],
    "48": ["Da Nang", "Danang"], "46": ["Hue", "Thua Thien Hue", "Hue City"],
    "31": ["Haiphong", "Hai Phong"], "92": ["Can Tho", "Cantho"],
    "77": ["Vung Tau", "Ba Ria Vung Tau"], "66": ["Daklak", "Dak Lak", "Buon Ma Thuot"],
    "68": ["Dalat", "Da Lat", "Lam Dong"], "56": ["Nha Trang", "Khanh Hoa"],
    "75": ["Bien Hoa", "Dong Nai"], "74": ["Binh Duong", "Thu Dau Mot"],
    "64": ["Pleiku", "Gia Lai"], "62": ["Kontum", "Kon Tum"],
}
HIST_EN = {"Tỉnh Hà Tây": "Ha Tay", "Tỉnh Sông Bé": "Song Be", "Tỉnh Minh Hải": "Minh Hai",
           "Tỉnh Hậu Giang": "Hau Giang", "Tỉnh Cửu Long": "Cuu Long", "Tỉnh Hà Bắc": "Ha Bac",
           "Tỉnh Hải Hưng": "Hai Hung", "Tỉnh Nam Hà": "Nam Ha", "Tỉnh Hà Nam Ninh": "Ha Nam Ninh",
           "Tỉnh Nghệ Tĩnh": "Nghe Tinh", "Tỉnh Bình Trị Thiên": "Binh Tri Thien",
           "Tỉnh Nghĩa Bình": "Nghia Binh", "Tỉnh Phú Khánh": "Phu Khanh",
           "Tỉnh Thuận Hải": "Thuan Hai", "Tỉnh Gia Lai - Kon Tum": "Gia Lai-Kon Tum",
           "Tỉnh Vĩnh Phú": "Vinh Phu", "Tỉnh Bắc Thái": "Bac Thai",
           "Tỉnh Hoàng Liên Sơn": "Hoang Lien Son", "Tỉnh Hà Tuyên": "Ha Tuyen",
           "Tỉnh Hà Sơn Bình": "Ha Son Binh", "Tỉnh Quảng Nam - Đà Nẵng": "Quang Nam-Da Nang",
           "Tỉnh Thừa Thiên Huế": "Thua Thien Hue", "Tỉnh Cần Thơ": "Can Tho",
           "Thành phố Sài Gòn - Gia Định": "Saigon"}
ORPHANAGES_EN = {
    "79": ["Go Vap Orphanage", "Tam Binh Orphanage", "Thi Nghe Orphanage", "Tu Du Hospital",
           "Hoc Mon Social Protection Center"],
    "01": ["Ha Noi Social Protection Center No. 1", "Thuy Ung Social Center"],
    "75": ["Dong Nai Social Protection Center", "Bien Hoa Orphanage"],
    "74": ["Song Be Orphanage", "Binh Duong Social Protection Center"],
    "56": ["Khanh Hoa Orphanage", "Nha Trang Orphanage"],
    "68": ["Da Lat Orphanage", "Lam Dong Social Protection Center"],
    "92": ["Can Tho Orphanage"], "93": ["Hau Giang Orphanage"], "80": ["Long An Orphanage"],
    "42": ["Ha Tinh Children's Center"], "44": ["Quang Binh Social Center"],
    "26": ["Vinh Phuc Social Protection Center"], "25": ["Phu Tho Orphanage"],
    "24": ["Bac Giang Orphanage"], "36": ["Nam Dinh Social Protection Center"],
}


class Geo:
    def __init__(self):
        old = read_csv(os.path.join(DATA, "admin/units_pre2025_63_provinces.csv"))
        self.old = {}
        self.by_prov = defaultdict(list)
        self.by_dist = defaultdict(list)
        self.prov_full = {}
        self.prov_short = {}
        self.prov_en = {}
        for r in old:
            r = {k: clean_ref(v) for k, v in r.items()}
            c = r["commune_code"]
            self.old[c] = r
            self.by_prov[r["province_code"]].append(c)
            self.by_dist[(r["province_code"], r["district_full_name"])].append(c)
            self.prov_full[r["province_code"]] = r["province_full_name"]
            self.prov_short[r["province_code"]] = r["province_name"]
            self.prov_en[r["province_code"]] = r["province_name_en"]
        self.prov_full["46"] = "Thành phố Huế"
        new = read_csv(os.path.join(DATA, "admin/units_2025_34_provinces.csv"))
        self.new = {}
        self.new_prov_full = {}
        self.new_prov_short = {}
        for r in new:
            r = {k: clean_ref(v) for k, v in r.items()}
            self.new[r["commune_code"]] = r
            self.new_prov_full[r["province_code"]] = r["province_full_name"]
            self.new_prov_short[r["province_code"]] = r["province_name"]
        merges = read_csv(os.path.join(DATA, "admin/commune_merges_2025.csv"))
        self.old2new = {}
        for r in merges:
            oc, nc = r["old_commune_code"], r["new_commune_code"]
            if nc not in self.new:
                continue
            if oc not in self.old2new or r["merge_type"] == "full":
                self.old2new[oc] = nc
        pm = read_csv(os.path.join(DATA, "admin/province_merges_2025.csv"))
        self.old_prov2new = {r["old_province_code"]: r["new_province_code"] for r in pm}
        codes = sorted(self.by_prov)
        self.prov_picker = Picker(codes, [PROV_POP.get(c, 5) for c in codes])

    def new_of(self, oc):
        nc = self.old2new.get(oc)
        if nc is None:
            # fall back: first commune of the new province
            npc = self.old_prov2new[self.old[oc]["province_code"]]
            nc = next(k for k, v in self.new.items() if v["province_code"] == npc)
        return self.new[nc]

    def at(self, oc, when, current=False):
        """Place parts as named at date `when` (or as of end 2024 if current)."""
        r = self.old[oc]
        pc = r["province_code"]
        if when >= REFORM:
            n = self.new_of(oc)
            return {"era": "new", "commune": n["commune_full_name"], "commune_short": n["commune_name"],
                    "district": "", "district_short": "",
                    "province": n["province_full_name"], "province_short": n["province_name"],
                    "pcode": pc, "new_pcode": n["province_code"], "hist": False,
                    "commune_en": n["commune_name_en"]}
        dist = r["district_full_name"]
        prov = self.prov_full[pc]
        hist = False
        if not current:
            for until, nm in DISTRICT_HISTORY.get((pc, dist), []):
                if when < until:
                    dist = nm
                    break
            if pc == "46" and when < D(2025, 1, 1):
                prov = "Tỉnh Thừa Thiên Huế"
            if pc == "01" and r["district_full_name"] in HA_TAY_DISTRICTS:
                if when < D(1991, 10, 1):
                    prov, hist = "Tỉnh Hà Sơn Bình", True
                elif when < D(2008, 8, 1):
                    prov, hist = "Tỉnh Hà Tây", True
            elif pc == "01" and r["district_full_name"] == "Huyện Mê Linh" and when < D(2008, 8, 1):
                prov, hist = ("Tỉnh Vĩnh Phú" if when < D(1997, 1, 1) else "Tỉnh Vĩnh Phúc"), True
            else:
                for until, nm in PROV_HISTORY.get(pc, []):
                    if when < until:
                        prov, hist = nm, True
                        break
        return {"era": "old", "commune": r["commune_full_name"], "commune_short": r["commune_name"],
                "district": dist, "district_short": strip_unit(dist),
                "province": prov, "province_short": strip_unit(prov), "pcode": pc,
                "new_pcode": self.old_prov2new[pc], "hist": hist,
                "commune_en": r["commune_name_en"]}


UNIT_WORDS = ["Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã", "Tỉnh",
              "Đặc khu"]


def strip_unit(s):
    for u in UNIT_WORDS:
        if s.startswith(u + " "):
            return s[len(u) + 1:]
    return s


def unit_of(s):
    for u in UNIT_WORDS:
        if s.startswith(u + " "):
            return u
    return ""


# ----------------------------------------------------------------------------
# names reference
# ----------------------------------------------------------------------------
SURNAME_EXCLUDE = {"Y", "K'", "Ka", "Ka'", "A", "Student", "Le", "Kơ", "Rơ", "Kră", "Kon", "Tou",
                   "Cil", "Lơ", "Nguyển", "Hùynh", "Vỏ", "Đổ", "Hoà", "Ánh", "Ất", "Giàng",
                   "Sùng", "Vàng", "Lò", "Lù", "Hầu", "Liêng", "Điểu", "Thạch", "Danh", "Kiên"}


class Names:
    def __init__(self):
        sur = read_csv(os.path.join(DATA, "names/surname_counts.csv"))
        top, tail = [], []
        for r in sur:
            s = clean_ref(r["surname"])
            if r["reference_share_pct"]:
                top.append((s, float(r["reference_share_pct"])))
            else:
                b = int(r["count_list_b"] or 0)
                if b >= 5 and s not in SURNAME_EXCLUDE and s.isalpha() and s[0].isupper() \
                        and nfc(s) == s and not re.search(r"[ñöøõ]", s.lower()):
                    tail.append((s, b))
        # Hoàng/Huỳnh and Vũ/Võ carry a combined share: region decides the form
        self.top = []
        for s, w in top:
            if s in ("Huỳnh", "Võ"):
                continue
            if s == "Hoàng":
                s = "HOANG*"
            if s == "Vũ":
                s = "VU*"
            self.top.append((s, w))
        tail_total = 100.0 - sum(w for _, w in self.top)
        bsum = sum(b for _, b in tail)
        items = [s for s, _ in self.top] + [s for s, _ in tail]
        weights = [w for _, w in self.top] + [b / bsum * tail_total for _, b in tail]
        self.surname = Picker(items, weights)
        # given names by sex, sharpened (list b holds distinct names: flattens frequency)
        g = read_csv(os.path.join(DATA, "names/given_name_counts_by_sex.csv"))
        gm, gf = [], []
        for r in g:
            s = clean_ref(r["given_name"])
            if not s.isalpha() or s != s.capitalize() or s in ("Văn", "Thị"):
                continue
            m, f = int(r["male_count"]), int(r["female_count"])
            t = m + f
            if m >= 3 and m >= 0.1 * t:
                gm.append((s, m ** 1.25))
            if f >= 3 and f >= 0.1 * t:
                gf.append((s, f ** 1.25))
        self.given = {"M": Picker([a for a, _ in gm], [b for _, b in gm]),
                      "F": Picker([a for a, _ in gf], [b for _, b in gf])}
        self.given_list = {"M": [a for a, _ in gm], "F": [a for a, _ in gf]}
        # middle names by sex and era
        mid = read_csv(os.path.join(DATA, "names/middle_name_counts_by_sex.csv"))
        rows = []
        for r in mid:
            s = clean_ref(r["middle_name_segment"])
            if not s.replace(" ", "").isalpha() or len(s.split()) > 3:
                continue
            if any(not p[0].isupper() for p in s.split()):
                continue
            rows.append((s, int(r["male_count"]), int(r["female_count"])))
        self.middle = {}
        for sex in "MF":
            for era in range(4):
                items, ws = [], []
                for s, m, f in rows:
                    c = m if sex == "M" else f
                    t = m + f
                    if c < 2 or c < 0.1 * t:
                        continue
                    w = c ** 1.2
                    first = s.split()[0]
                    if sex == "F" and first == "Thị":
                        w *= [2.2, 1.3, 0.6, 0.3][era]
                    if sex == "M" and first == "Văn":
                        w *= [2.4, 1.3, 0.55, 0.28][era]
                    if era >= 2 and first in ("Gia", "Bảo", "Khánh", "Minh", "Ngọc", "Anh", "Hoàng"):
                        w *= 1.6
                    items.append(s)
                    ws.append(w)
                self.middle[(sex, era)] = Picker(items, ws)

    @staticmethod
    def era(year):
        return 0 if year < 1985 else 1 if year < 2000 else 2 if year < 2010 else 3


def region(pc):
    return "N" if pc in NORTH else "C" if pc in CENTRAL else "S"


# ----------------------------------------------------------------------------
# Vietnamese text helpers
# ----------------------------------------------------------------------------
TONE_MARKS = {"\u0300": "f", "\u0301": "s", "\u0303": "x", "\u0309": "r", "\u0323": "j"}
MODS = {"\u0302", "\u0306", "\u031b"}


def strip_diacritics(s):
    s = s.replace("đ", "d").replace("Đ", "D").replace("Ð", "D").replace("ð", "d")
    d = ud.normalize("NFD", s)
    return ud.normalize("NFC", "".join(c for c in d if not ud.combining(c)))


def split_tone(syl):
    d = ud.normalize("NFD", syl)
    tone = ""
    out = []
    for c in d:
        if c in TONE_MARKS:
            tone = c
        else:
            out.append(c)
    return nfc("".join(out)), tone


VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def place_tone(base, tone, pos):
    """put tone mark after character index pos of base (NFC, toneless)."""
    if not tone:
        return base
    return nfc(base[:pos + 1] + tone + base[pos + 1:])


def tone_pos(base):
    return [i for i, c in enumerate(base) if c in VOWELS]


def flip_tone_style(syl):
    """hòa <-> hoà, thúy <-> thuý, khỏe <-> khoẻ (only open syllables ending oa/oe/uy)."""
    base, tone = split_tone(syl)
    if not tone:
        return syl
    low = base.lower()
    if not (low.endswith("oa") or low.endswith("oe") or low.endswith("uy")):
        return syl
    if low.startswith("qu") and low.endswith("uy") and len(low) == 3:
        return syl
    d = ud.normalize("NFD", syl)
    # where is the tone now?  position in base counting
    idx = -1
    cnt = -1
    for c in d:
        if c in TONE_MARKS:
            idx = cnt
        elif not ud.combining(c):
            cnt += 1
    n = len(base)
    new_pos = n - 2 if idx == n - 1 else n - 1
    return place_tone(base, tone, new_pos)


def misplace_tone(syl, rng):
    base, tone = split_tone(syl)
    pos = tone_pos(base)
    if not tone or len(pos) < 2:
        return syl
    return place_tone(base, tone, rng.choice(pos))


def change_tone(syl, rng, mode="hoi_nga"):
    base, tone = split_tone(syl)
    d = ud.normalize("NFD", syl)
    if mode == "hoi_nga":
        if tone == "\u0309":
            new = "\u0303"
        elif tone == "\u0303":
            new = "\u0309"
        else:
            return syl
    else:
        choices = [t for t in TONE_MARKS if t != tone]
        new = rng.choice(choices + [""])
    if tone:
        return nfc(d.replace(tone, new))
    pos = tone_pos(base)
    if not pos:
        return syl
    return place_tone(base, new, pos[-1] if len(pos) == 1 else pos[0])


def _case_like(src, dst):
    if src.isupper() and len(src) > 1:
        return dst.upper()
    if src[:1].isupper():
        return dst[:1].upper() + dst[1:]
    return dst


INITIAL_MERGERS = [
    ("gi", ["d", "r"]), ("d", ["gi", "r"]), ("r", ["d", "gi"]), ("s", ["x"]), ("x", ["s"]),
    ("ch", ["tr"]), ("tr", ["ch"]), ("v", ["d", "gi"]), ("l", ["n"]), ("n", ["l"]),
]


def sound_merge(syl, rng, kinds=None):
    """regional sound-merger misspelling of one syllable; returns syl unchanged if none fits."""
    low = syl.lower()
    opts = []
    for ini, outs in INITIAL_MERGERS:
        if kinds and ini not in kinds and "initial" not in kinds:
            continue
        if low.startswith(ini):
            if ini == "n" and low[:2] in ("ng", "nh"):
                continue
            rest = syl[len(ini):]
            for o in outs:
                if o == "gi" and strip_diacritics(rest[:1]).lower() in ("i", "y"):
                    cand = "g" + rest if rest[:1].lower() != "y" and chance(rng, 0.5) else "d" + rest
                    o = cand[0]
                elif ini == "gi" and rest[:1].lower() not in VOWELS \
                        and rest[:1].lower() not in "aăâeêioôơuưy":
                    # 'gì' / 'gìn': keep i
                    cand = o + syl[1:]
                else:
                    cand = o + rest
                opts.append(_case_like(syl[:len(ini)], cand[:len(o)]) + cand[len(o):])
            break
    base, tone = split_tone(syl)
    bl = base.lower()
    if bl == "nguyen":
        pass
    elif bl.endswith("ng"):
        opts.append(syl[:-1])
    elif bl.endswith("n") and not bl.endswith("nh"):
        opts.append(syl + "g")
    if bl.endswith("c") and not bl.endswith("ch"):
        opts.append(syl[:-1] + "t")
    elif bl.endswith("t"):
        opts.append(syl[:-1] + "c")
    if tone in ("\u0309", "\u0303"):
        opts.append(change_tone(syl, rng, "hoi_nga"))
    if not opts:
        return syl
    return rng.choice(opts)


IY_CONS = ("d", "h", "k", "l", "m", "n", "s", "t", "v", "qu")


def swap_iy(syl):
    base, tone = split_tone(syl)
    bl = base.lower()
    if len(bl) < 2 or bl[-1] not in "iy":
        return syl
    cons = bl[:-1]
    if cons not in IY_CONS:
        return syl
    last = base[-1]
    rep = {"i": "y", "y": "i", "I": "Y", "Y": "I"}[last]
    return place_tone(base[:-1] + rep, tone, len(base) - 1)


SURNAME_VARIANTS = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ", "Lý": "Lí",
                    "Đoàn": "Doãn", "Lưu": "Lư", "Trịnh": "Trình"}

KEY_NEIGH = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
    "o": "ipl", "p": "ol", "a": "qsz", "s": "adwx", "d": "sfe", "f": "dgr", "g": "fht",
    "h": "gjy", "j": "hku", "k": "jli", "l": "ko", "z": "xa", "x": "zcs", "c": "xvd", "v": "cbf",
    "b": "vng", "n": "bmh", "m": "n",
}


def typo(s, rng):
    """one keyboard/transcription typo somewhere in s (letters only)."""
    idx = [i for i, c in enumerate(s) if c.isalpha()]
    if len(idx) < 3:
        return s
    i = rng.choice(idx)
    op = pick(rng, [("del", 3), ("dup", 2), ("swap", 3), ("sub", 4), ("strip1", 3)])
    c = s[i]
    if op == "del":
        return s[:i] + s[i + 1:]
    if op == "dup":
        return s[:i] + c + s[i:]
    if op == "swap":
        j = i + 1
        if j < len(s) and s[j].isalpha() and s[j].isascii() and c.isascii():
            return s[:i] + s[j] + c + s[j + 1:]
        return s[:i] + s[i + 1:]
    if op == "sub":
        base = strip_diacritics(c).lower()
        nb = KEY_NEIGH.get(base)
        if not nb:
            return s
        r = rng.choice(nb)
        return s[:i] + (r.upper() if c.isupper() else r) + s[i + 1:]
    # strip1: lose the diacritic of a single letter
    return s[:i] + strip_diacritics(c) + s[i + 1:]


def telex(syl):
    """raw Telex keystrokes of a syllable, as left when the IME was off: Nguyễn -> Nguyeenx."""
    d = ud.normalize("NFD", syl)
    out = []
    tone = ""
    for c in d:
        if c in TONE_MARKS:
            tone = TONE_MARKS[c]
        elif c == "\u0302":
            out.append(out[-1] if out else "")
        elif c in ("\u0306", "\u031b"):
            out.append("w")
        elif c in "đĐ":
            out.append("dd" if c == "đ" else "DD")
        else:
            out.append(c)
    return "".join(out) + tone


# VNI-Windows legacy font encoding (text typed with VNI fonts, later read as cp1252)
_VNI_TONE_L = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_TONE_U = {"\u0301": "Ù", "\u0300": "Ø", "\u0309": "Û", "\u0303": "Õ", "\u0323": "Ï"}
_VNI_CIRC_L = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_CIRC_U = {"": "Â", "\u0301": "Á", "\u0300": "À", "\u0309": "Å", "\u0303": "Ã", "\u0323": "Ä"}
_VNI_BREVE_L = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_BREVE_U = {"": "Ê", "\u0301": "É", "\u0300": "È", "\u0309": "Ú", "\u0303": "Ü", "\u0323": "Ë"}
_VNI_I_L = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_I_U = {"\u0301": "Í", "\u0300": "Ì", "\u0309": "Æ", "\u0303": "Ó", "\u0323": "Ò"}


def vni_mojibake(s):
    out = []
    for ch in s:
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        d = ud.normalize("NFD", ch)
        if len(d) == 1:
            out.append(ch)
            continue
        base = d[0]
        marks = d[1:]
        tone = next((m for m in marks if m in TONE_MARKS), "")
        mod = next((m for m in marks if m in MODS), "")
        up = base.isupper()
        if base.lower() == "i" and not mod:
            out.append((_VNI_I_U if up else _VNI_I_L).get(tone, base))
            continue
        if base.lower() == "y" and tone == "\u0323":
            out.append("Î" if up else "î")
            continue
        if mod == "\u0302":
            out.append(base + (_VNI_CIRC_U if up else _VNI_CIRC_L)[tone])
        elif mod == "\u0306":
            out.append(base + (_VNI_BREVE_U if up else _VNI_BREVE_L)[tone])
        elif mod == "\u031b":
            hb = ("Ô" if up else "ô") if base.lower() == "o" else ("Ö" if up else "ö")
            out.append(hb + ((_VNI_TONE_U if up else _VNI_TONE_L)[tone] if tone else ""))
        else:
            out.append(base + ((_VNI_TONE_U if up else _VNI_TONE_L).get(tone, "")))
    return "".join(out)


def utf8_as_cp1252(s):
    b = s.encode("utf-8")
    out = []
    for x in b:
        try:
            out.append(bytes([x]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append("?")
    return "".join(out)


def qmark(s, rng):
    if chance(rng, 0.6):
        return s.encode("cp1252", errors="replace").decode("cp1252")
    return s.encode("ascii", errors="replace").decode("ascii")


def composite(s):
    """precomposed vowel-with-modifier followed by a combining tone mark (neither NFC nor NFD)."""
    out = []
    for ch in s:
        d = ud.normalize("NFD", ch)
        tone = next((m for m in d if m in TONE_MARKS), "")
        if tone and len(d) > 1:
            rest = nfc("".join(m for m in d if m != tone))
            out.append(rest + tone)
        else:
            out.append(ch)
    return "".join(out)


# ----------------------------------------------------------------------------
# persons
# ----------------------------------------------------------------------------
class Name:
    __slots__ = ("s", "m", "g", "o")

    def __init__(self, s, m, g, o="kinh"):
        self.s = s      # surname tokens (list)
        self.m = m      # middle tokens (list)
        self.g = g      # given tokens (list)
        self.o = o      # 'kinh' (S M G), 'flast' (G S: Ê Đê), 'single' (K'Ho prefix names)

    def tokens(self):
        if self.o == "flast":
            return self.g + self.s
        return self.s + self.m + self.g

    def text(self):
        return " ".join(self.tokens())

    def copy(self):
        return Name(list(self.s), list(self.m), list(self.g), self.o)


class Person:
    __slots__ = ("id", "name", "sex", "bd", "comm", "mother", "father", "pid", "rec_on", "eth",
                 "fam", "reg", "hkind", "twin", "centre", "found", "hist_names", "mother_ref",
                 "birth_order", "nick", "related")

    def __init__(self):
        self.id = ""
        self.mother = None
        self.father = None
        self.pid = ""
        self.reg = True
        self.hkind = ""
        self.twin = None
        self.centre = None
        self.found = None
        self.hist_names = True
        self.mother_ref = None
        self.birth_order = 1
        self.nick = ""
        self.related = None


def rand_date(rng, a, b):
    if b <= a:
        return a
    return a + TD(days=rng.randint(0, (b - a).days))


class PopGen:
    def __init__(self, rng, geo, names, target):
        self.rng = rng
        self.geo = geo
        self.names = names
        self.target = target
        self.reg = []
        self.hidden = []          # persons deliberately absent from the register
        self.pids = set()
        self.fam_n = 0
        year_items = list(range(1975, 2027))
        year_w = [1.0 if y < 1991 else 1.1 if y < 2011 else 1.2 for y in year_items]
        year_w[-1] = 0.2
        self.first_child_year = Picker(year_items, year_w)

    # ---- names ----
    def surname(self, pc, eth):
        rng = self.rng
        if eth == "khmer":
            return [pick(rng, KHMER_SURNAMES)]
        if eth == "hmong":
            return [pick(rng, HMONG_SURNAMES)]
        if eth == "thai_tay":
            return [pick(rng, THAI_TAY_SURNAMES)]
        if eth == "ede":
            return rng.choice(EDE_FAMILY).split()
        if eth == "jarai":
            return rng.choice(JARAI_FAMILY).split()
        s = self.names.surname(rng)
        reg = region(pc)
        if s == "HOANG*":
            s = "Hoàng" if rng.random() < {"N": 0.92, "C": 0.55, "S": 0.25}[reg] else "Huỳnh"
        elif s == "VU*":
            s = "Vũ" if rng.random() < {"N": 0.85, "C": 0.3, "S": 0.2}[reg] else "Võ"
        if chance(rng, 0.003):      # compound surnames (Huế royal lineage etc.)
            return ["Tôn", "Thất"] if chance(rng, 0.5) else ["Nguyễn", "Phước"]
        return [s]

    def person_name(self, sex, year, pc, eth, surname=None, middle=None, avoid=()):
        rng = self.rng
        nm = self.names
        if eth == "ede":
            pre = "H'" if sex == "F" else "Y "
            g = pre + rng.choice(EDE_GIVEN_F if sex == "F" else EDE_GIVEN_M)
            if sex == "M" and chance(rng, 0.25):
                g += " " + rng.choice(EDE_GIVEN_M)
            return Name(surname or self.surname(pc, eth), [], g.split(), "flast")
        if eth == "jarai":
            if sex == "F":
                g = ("H'" if chance(rng, 0.5) else "") + rng.choice(JARAI_GIVEN_F)
            else:
                g = rng.choice(JARAI_GIVEN_M)
            return Name(surname or self.surname(pc, eth), [], [g], "kinh")
        if eth == "kho":
            g = ("K'" + rng.choice(KHO_GIVEN_M)) if sex == "M" else ("Ka " + rng.choice(KHO_GIVEN_F))
            return Name([], [], g.split(), "single")
        if eth == "khmer":
            mid = ["Thị"] if sex == "F" and chance(rng, 0.6) else []
            return Name(surname or self.surname(pc, eth), mid, rng.choice(KHMER_GIVEN).split())
        if eth == "hmong":
            if sex == "M":
                mid = [pick(rng, HMONG_MID_M)]
                g = rng.choice(HMONG_GIVEN_M)
            else:
                mid = ["Thị"] if chance(rng, 0.85) else []
                g = rng.choice(HMONG_GIVEN_F)
            return Name(surname or self.surname(pc, eth), mid, [g])
        s = surname or self.surname(pc, eth)
        if middle is not None:
            mid = list(middle)
        elif chance(rng, 0.025):
            mid = []
        else:
            for _ in range(10):
                mid = nm.middle[(sex, nm.era(year))](rng).split()
                if mid[0] != s[0]:
                    break
            if eth == "thai_tay" and chance(rng, 0.5):
                mid = ["Văn"] if sex == "M" else ["Thị"]
        for _ in range(20):
            g = nm.given[sex](rng)
            if g not in avoid and g not in mid:
                break
        return Name(s, mid, [g])

    def new_pid(self, pcode3, sex, bd):
        rng = self.rng
        cent = (0 if bd.year < 2000 else 2) + (1 if sex == "F" else 0)
        if bd.year < 1900:
            cent = 0
        head = f"{pcode3}{cent}{bd.year % 100:02d}"
        while True:
            p = head + f"{rng.randint(0, 999999):06d}"
            if p not in self.pids:
                self.pids.add(p)
                return p

    def pcode3(self, comm, bd):
        pc = self.geo.old[comm]["province_code"]
        if bd >= REFORM:
            pc = self.geo.old_prov2new[pc]
        return "0" + pc

    def register_date(self, bd, late=False):
        rng = self.rng
        if late:
            r = bd + TD(days=rng.randint(200, 2500))
        elif bd >= D(2015, 1, 1):
            r = bd + TD(days=rng.randint(3, 75))
        elif bd >= D(2000, 1, 1):
            r = rand_date(rng, D(2016, 1, 1), D(2024, 12, 31))
        else:
            r = rand_date(rng, D(2019, 6, 1), D(2024, 12, 31))
        return min(max(r, bd + TD(days=1)), EXTRACT)

    def pick_eth(self, pc):
        e = ETH.get(pc)
        if not e:
            return "kinh"
        x = self.rng.random()
        for k, p in e.items():
            if x < p:
                return k
            x -= p
        return "kinh"

    def commune_in(self, pc):
        return self.rng.choice(self.geo.by_prov[pc])

    def near_commune(self, comm):
        r = self.geo.old[comm]
        lst = self.geo.by_dist[(r["province_code"], r["district_full_name"])]
        return self.rng.choice(lst)

    # ---- a family ----
    def family(self, hidden_family=False):
        rng = self.rng
        geo = self.geo
        self.fam_n += 1
        fam = self.fam_n
        pc = geo.prov_picker(rng)
        eth = self.pick_eth(pc)
        home = self.commune_in(pc)
        c0 = self.first_child_year(rng)
        m_year = c0 - rng.randint(18, 38)
        f_year = m_year + rng.randint(-2, 9)
        mother = self.person_name("F", m_year, pc, eth)
        father_known = not chance(rng, 0.075)
        father = self.person_name("M", f_year, pc, eth) if father_known else None
        matrilineal = eth in ("ede", "jarai")
        if c0 < 1990:
            k = pick(rng, [(1, 15), (2, 25), (3, 25), (4, 20), (5, 10), (6, 5)])
        elif c0 < 2005:
            k = pick(rng, [(1, 30), (2, 40), (3, 20), (4, 8), (5, 2)])
        else:
            k = pick(rng, [(1, 40), (2, 45), (3, 12), (4, 3)])
        kids = []
        bd = rand_date(rng, D(c0, 1, 1), D(c0, 12, 31))
        shared_mid = {}
        used_given = set()
        i = 0
        while i < k and bd <= LAST_BIRTH:
            twins = chance(rng, 0.016)
            n_here = 2 if twins else 1
            pair = rng.choice(TWIN_PAIRS) if twins and chance(rng, 0.3) else None
            group = []
            for t in range(n_here):
                p = Person()
                p.fam = fam
                p.eth = eth
                p.bd = bd
                p.birth_order = i + t + 1
                if pair:
                    p.sex = pair[1 + 2 * t]
                elif twins and t == 1 and chance(rng, 0.55):
                    p.sex = group[0].sex
                else:
                    p.sex = "M" if chance(rng, 0.515) else "F"
                sur = list(father.s) if father_known and not matrilineal else list(mother.s)
                mid = None
                if eth == "kinh" or eth == "thai_tay":
                    if twins and t == 1 and group[0].sex == p.sex:
                        mid = group[0].name.m
                    elif p.sex in shared_mid and chance(rng, 0.45):
                        mid = shared_mid[p.sex]
                    elif bd.year >= 2000 and chance(rng, 0.04) and father_known and \
                            mother.s != father.s and mother.o == "kinh":
                        mid = list(mother.s) + self.names.middle[(p.sex, 3)](rng).split()[-1:]
                nm = self.person_name(p.sex, bd.year, pc, eth, surname=sur, middle=mid,
                                      avoid=used_given)
                if pair and nm.o == "kinh" and len(nm.g) == 1:
                    nm.g = [pair[2 * t]]
                    if t == 1:
                        nm.m = list(group[0].name.m)
                p.name = nm
                used_given.add(nm.g[-1])
                shared_mid.setdefault(p.sex, nm.m)
                r = rng.random()
                p.comm = home if r < 0.8 else self.near_commune(home) if r < 0.93 else \
                    self.commune_in(geo.prov_picker(rng))
                if twins and t == 1:
                    p.comm = group[0].comm
                p.mother = mother
                p.father = father
                p.pid = self.new_pid(self.pcode3(p.comm, bd), p.sex, bd)
                p.rec_on = self.register_date(bd, late=chance(rng, 0.03))
                p.hist_names = not chance(rng, 0.12)
                p.reg = not hidden_family
                p.hkind = "absent" if hidden_family else ""
                if chance(rng, 0.15):
                    p.nick = rng.choice(NICKNAMES)
                group.append(p)
            if twins:
                group[0].twin, group[1].twin = group[1], group[0]
                if not hidden_family and chance(rng, 0.16):
                    h = group[1]
                    h.reg = False
                    h.hkind = "twin_absent"
                    h.related = group[0]
            kids.extend(group)
            i += n_here
            bd = bd + TD(days=rng.randint(330, 365 * 6))
        if not hidden_family and kids and chance(rng, 0.025):
            # a sibling who is absent from the register
            last = kids[-1]
            sbd = last.bd + TD(days=rng.randint(300, 365 * 4))
            if sbd > LAST_BIRTH:
                sbd = kids[0].bd - TD(days=rng.randint(300, 365 * 4))
            p = Person()
            p.fam, p.eth, p.bd = fam, eth, sbd
            p.sex = "M" if chance(rng, 0.515) else "F"
            sur = list(father.s) if father_known and not matrilineal else list(mother.s)
            mid = shared_mid.get(p.sex) if chance(rng, 0.45) else None
            p.name = self.person_name(p.sex, sbd.year, pc, eth, surname=sur, middle=mid,
                                      avoid=used_given)
            p.comm = home if chance(rng, 0.85) else self.near_commune(home)
            p.mother, p.father = mother, father
            p.pid = self.new_pid(self.pcode3(p.comm, sbd), p.sex, sbd)
            p.rec_on = self.register_date(sbd)
            p.reg = False
            p.hkind = "sibling_absent"
            p.related = kids[rng.randrange(len(kids))]
            kids.append(p)
        out = list(kids)
        # parents themselves as register identities, sometimes
        if not hidden_family:
            if chance(rng, 0.16) and m_year >= 1940:
                out.append(self.adult(mother, "F", m_year, pc, eth, fam))
                for kd in kids:
                    kd.mother_ref = out[-1]
            if father_known and chance(rng, 0.10) and f_year >= 1940:
                out.append(self.adult(father, "M", f_year, pc, eth, fam))
        return out

    def adult(self, name, sex, year, pc, eth, fam):
        rng = self.rng
        p = Person()
        p.fam = -fam
        p.eth = eth
        p.sex = sex
        p.bd = rand_date(rng, D(year, 1, 1), D(year, 12, 31))
        p.name = name
        p.comm = self.commune_in(pc) if chance(rng, 0.85) else self.commune_in(self.geo.prov_picker(rng))
        if chance(rng, 0.65):
            p.mother = self.person_name("F", year - 25, pc, eth)
            p.father = self.person_name("M", year - 28, pc, eth) if chance(rng, 0.9) else None
        p.pid = self.new_pid(self.pcode3(p.comm, p.bd), sex, p.bd)
        p.rec_on = self.register_date(p.bd)
        p.hist_names = not chance(rng, 0.2)
        return p

    # ---- foundlings registered by a social protection centre ----
    def make_centres(self):
        rng = self.rng
        centres = []
        pcs = ["79", "79", "79", "01", "01", "75", "74", "92", "56", "68", "48", "46", "40", "38",
               "36", "24", "26", "80", "87", "94", "66", "64", "31", "30", "42", "52"]
        for pc in pcs:
            comm = self.commune_in(pc)
            same_sur = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Huỳnh", "Đỗ"]) \
                if chance(rng, 0.5) else None
            kind = pick(rng, [("ttbtxh", 6), ("pagoda", 3), ("church", 1)])
            centres.append({"pc": pc, "comm": comm, "same_sur": same_sur, "kind": kind,
                            "pagoda": rng.choice(PAGODAS), "church": rng.choice(CHURCHES)})
        self.centres = centres

    def foundling(self, registered=True):
        rng = self.rng
        c = rng.choice(self.centres)
        p = Person()
        p.eth = "kinh"
        p.fam = -10_000_000 - len(self.reg) - len(self.hidden)
        p.sex = "M" if chance(rng, 0.45) else "F"
        found = rand_date(rng, D(1988, 1, 1), D(2026, 2, 28))
        age_days = pick(rng, [(rng.randint(0, 10), 45), (rng.randint(10, 120), 25),
                              (rng.randint(120, 730), 20), (rng.randint(730, 2200), 10)])
        true_bd = found - TD(days=age_days)
        # the found place: the centre's district mostly
        found_comm = self.near_commune(c["comm"]) if chance(rng, 0.6) else self.commune_in(c["pc"])
        where = pick(rng, [("pagoda", 3 if c["kind"] == "pagoda" else 1), ("hospital", 3),
                           ("gate", 2 if c["kind"] == "ttbtxh" else 0.5), ("market", 1),
                           ("roadside", 1), ("church", 2 if c["kind"] == "church" else 0.3),
                           ("health_station", 1), ("home_door", 1)])
        # estimated birth date as the centre registers it
        est = pick(rng, [("exact_guess", 50), ("first_of_month", 30), ("jan1", 20)])
        guess = true_bd + TD(days=rng.randint(-20, 20)) if age_days > 10 else true_bd
        if est == "first_of_month":
            guess = guess.replace(day=1)
        elif est == "jan1":
            guess = D(guess.year, 1, 1)
        guess = min(guess, found)
        p.bd = guess
        sur = [c["same_sur"]] if c["same_sur"] and chance(rng, 0.9) else self.surname(c["pc"], "kinh")
        mid = pick(rng, CENTRE_MID)
        if (p.sex == "F" and mid == "Văn") or (p.sex == "M" and mid == "Thị"):
            mid = "Thị" if p.sex == "F" else "Văn"
        given = rng.choice(CENTRE_GIVEN) if chance(rng, 0.6) else self.names.given[p.sex](rng)
        p.name = Name(sur, mid.split(), [given])
        p.comm = found_comm
        p.mother = None
        p.father = None
        if chance(rng, 0.08):
            p.mother = self.person_name("F", guess.year - 22, c["pc"], "kinh")
        p.pid = self.new_pid(self.pcode3(found_comm, p.bd), p.sex, p.bd)
        p.rec_on = min(found + TD(days=rng.randint(20, 540)), EXTRACT)
        p.hist_names = True
        p.centre = c
        p.found = {"date": found, "true_bd": true_bd, "age_days": age_days, "where": where,
                   "est": est}
        p.reg = registered
        p.hkind = "" if registered else "never_registered"
        return p

    def build(self):
        rng = self.rng
        self.make_centres()
        n_found = int(self.target * 0.0075)
        for _ in range(n_found):
            self.reg.append(self.foundling(True))
        for _ in range(int(n_found * 0.6)):
            self.hidden.append(self.foundling(False))
        n_namesake_reg = int(self.target * 0.01)
        goal = self.target - n_namesake_reg
        while len(self.reg) < goal:
            hidden_fam = chance(rng, 0.02)
            for p in self.family(hidden_fam):
                if p.reg:
                    if len(self.reg) < goal:
                        self.reg.append(p)
                else:
                    self.hidden.append(p)
        # namesakes: same full name and birth year, different person
        young = [p for p in self.reg if p.bd.year >= 1975 and p.centre is None]
        for _ in range(n_namesake_reg):
            self.reg.append(self.namesake_of(rng.choice(young)))
        for _ in range(int(self.target * 0.008)):
            h = self.namesake_of(rng.choice(young))
            h.reg = False
            h.hkind = "namesake"
            self.hidden.append(h)
        rng.shuffle(self.reg)
        for i, p in enumerate(self.reg):
            p.id = f"NP{i + 1:07d}"

    def namesake_of(self, q):
        rng = self.rng
        p = Person()
        p.fam = -20_000_000 - len(self.reg) - len(self.hidden)
        p.eth = q.eth
        p.sex = q.sex
        p.name = q.name.copy()
        p.bd = rand_date(rng, D(q.bd.year, 1, 1), min(D(q.bd.year, 12, 31), LAST_BIRTH))
        qpc = self.geo.old[q.comm]["province_code"]
        pc = qpc if chance(rng, 0.5) else self.geo.prov_picker(rng)
        p.comm = self.commune_in(pc)
        p.mother = self.person_name("F", p.bd.year - 26, pc, p.eth)
        p.father = self.person_name("M", p.bd.year - 29, pc, p.eth) if chance(rng, 0.93) else None
        if chance(rng, 0.3) and q.mother is not None and q.mother.o == "kinh":
            # even the mother's given name can coincide
            p.mother.g = list(q.mother.g)
        p.pid = self.new_pid(self.pcode3(p.comm, p.bd), p.sex, p.bd)
        p.rec_on = self.register_date(p.bd)
        p.hist_names = not chance(rng, 0.12)
        p.related = q
        return p


# ----------------------------------------------------------------------------
# register row
# ----------------------------------------------------------------------------
def register_place(geo, p):
    parts = geo.at(p.comm, p.bd, current=not p.hist_names)
    if parts["era"] == "new":
        return f"{parts['commune']}, {parts['province']}"
    return f"{parts['commune']}, {parts['district']}, {parts['province']}"


def population_row(geo, p):
    return {
        "source": "population", "record_id": p.id, "full_name": p.name.text(), "sex": p.sex,
        "birth_date": p.bd.isoformat(), "birth_place": register_place(geo, p),
        "mother_name": p.mother.text() if p.mother else "",
        "father_name": p.father.text() if p.father else "",
        "pid": p.pid, "recorded_on": p.rec_on.isoformat(),
    }


# ----------------------------------------------------------------------------
# record writers
# ----------------------------------------------------------------------------
SOURCES = ["child_registry", "adoption_file", "abandoned_intake", "trace_request"]
SOURCE_SHARE = {"child_registry": 0.38, "adoption_file": 0.24, "abandoned_intake": 0.12,
                "trace_request": 0.26}
MATCH_RATE = {"child_registry": 0.84, "adoption_file": 0.76, "abandoned_intake": 0.55,
              "trace_request": 0.66}
PREFIX = {"child_registry": "CR", "adoption_file": "AF", "abandoned_intake": "AB",
          "trace_request": "TR"}

# per-source corruption rates (probability per record, or per field where noted)
CFG = {
    "child_registry": dict(
        ascii=0.09, ascii_partial=0.07, upper=0.12, lower=0.02, nfd=0.07, composite=0.02,
        eth=0.006, mojibake=0.006, vni=0.004, qmark=0.006, tone_style=0.20, tone_misplace=0.015,
        wrong_tone=0.03, typo=0.06, merger=0.05, iy=0.03, surname_var=0.10, telex=0.005,
        spaces=0.07, drop_mid=0.03, drop_thi=0.03, mid_initial=0.0,
        mother=0.93, father=0.80, parent_swap=0.005, parent_typo=0.07, parent_drop_mid=0.08,
        pid=0.58, pid_typo=0.03, pid_lost_zero=0.03, pid_fmt=0.02, pid_mother=0.01,
        place=0.95, place_home=0.06, place_as_written=0.45,
        sex_empty=0.02, sex_u=0.005, sex_wrong=0.005, name_missing=0.003,
        d_swap=0.04, d_day=0.02, d_year=0.01, d_digit=0.01, d_lunar=0.015, d_missing=0.01,
        d_year_only=0.01),
    "adoption_file": dict(
        ascii=0.78, ascii_partial=0.08, upper=0.30, lower=0.01, nfd=0.03, composite=0.01,
        eth=0.01, mojibake=0.03, vni=0.02, qmark=0.02, tone_style=0.15, tone_misplace=0.02,
        wrong_tone=0.04, typo=0.08, merger=0.04, iy=0.03, surname_var=0.15, telex=0.0,
        spaces=0.08, drop_mid=0.15, drop_thi=0.06, mid_initial=0.04,
        mother=0.70, father=0.15, parent_swap=0.005, parent_typo=0.10, parent_drop_mid=0.15,
        mother_pseudonym=0.08,
        pid=0.06, pid_typo=0.05, pid_lost_zero=0.10, pid_fmt=0.05, pid_mother=0.0,
        place=0.90, place_home=0.05,
        sex_empty=0.03, sex_u=0.02, sex_wrong=0.01, name_missing=0.005,
        d_swap=0.05, d_day=0.03, d_year=0.03, d_digit=0.01, d_lunar=0.01, d_missing=0.02,
        d_jan1=0.05),
    "abandoned_intake": dict(
        ascii=0.10, ascii_partial=0.06, upper=0.08, lower=0.02, nfd=0.05, composite=0.02,
        eth=0.005, mojibake=0.01, vni=0.01, qmark=0.01, tone_style=0.2, tone_misplace=0.02,
        wrong_tone=0.03, typo=0.06, merger=0.05, iy=0.03, surname_var=0.10, telex=0.005,
        spaces=0.06, pid=0.10, pid_typo=0.03, pid_lost_zero=0.03, pid_fmt=0.02,
        sex_empty=0.02, sex_u=0.03, sex_wrong=0.005),
    "trace_request": dict(
        ascii=0.85, ascii_partial=0.05, upper=0.10, lower=0.05, nfd=0.02, composite=0.01,
        eth=0.005, mojibake=0.01, vni=0.005, qmark=0.01, tone_style=0.1, tone_misplace=0.02,
        wrong_tone=0.05, typo=0.08, merger=0.08, iy=0.04, surname_var=0.15, telex=0.0,
        spaces=0.08, drop_mid=0.25, drop_thi=0.10, mid_initial=0.03,
        mother=0.60, father=0.12, parent_swap=0.005, parent_typo=0.12, parent_drop_mid=0.2,
        pid=0.03, pid_typo=0.05, pid_lost_zero=0.05, pid_fmt=0.05, pid_mother=0.0,
        place=0.75,
        sex_empty=0.10, sex_u=0.04, sex_wrong=0.01, name_missing=0.01,
        d_swap=0.05, d_day=0.04, d_year=0.08, d_digit=0.01, d_lunar=0.02, d_missing=0.05),
}


class Rec:
    """one record being written, with the log of what was done to it."""

    def __init__(self, source, person, rng):
        self.source = source
        self.p = person
        self.rng = rng
        self.log = []
        self.style = {}

    def note(self, x):
        self.log.append(x)


def lexical(rng, name, cfg, rec, role="subject"):
    """syllable-level changes on a Name copy (before rendering)."""
    n = name.copy()
    scale = 1.0 if role == "subject" else 0.8

    def tok_lists():
        return [("s", n.s), ("m", n.m), ("g", n.g)]

    def rand_tok(parts=("s", "m", "g")):
        cands = [(k, lst, i) for k, lst in tok_lists() if k in parts for i in range(len(lst))]
        return rng.choice(cands) if cands else None

    if n.s and n.s[0] in SURNAME_VARIANTS and n.s[0] in ("Hoàng", "Huỳnh", "Vũ", "Võ") \
            and chance(rng, cfg.get("surname_var", 0) * scale):
        n.s[0] = SURNAME_VARIANTS[n.s[0]]
        rec.note(f"{role}:surname_variant")
    if n.m and n.m[0] == "Hoàng" and chance(rng, cfg.get("surname_var", 0) * 0.5):
        n.m[0] = "Huỳnh"
        rec.note(f"{role}:middle_variant")
    if chance(rng, cfg.get("merger", 0) * scale):
        for _ in range(4):
            t = rand_tok()
            if not t:
                break
            k, lst, i = t
            new = sound_merge(lst[i], rng)
            if new != lst[i]:
                lst[i] = new
                rec.note(f"{role}:sound_merger")
                break
    iy_cands = [(lst, i) for k, lst in tok_lists() for i, tk in enumerate(lst)
                if swap_iy(tk) != tk and tk != "Thị"]
    if iy_cands and chance(rng, cfg.get("iy", 0) * scale * 4):
        lst, i = rng.choice(iy_cands)
        lst[i] = swap_iy(lst[i])
        rec.note(f"{role}:i_y")
    if rec.style.get("tone_style"):
        changed = False
        for _kind, lst in tok_lists():
            for i, tk in enumerate(lst):
                new = flip_tone_style(tk)
                if new != tk:
                    lst[i] = new
                    changed = True
        if changed:
            rec.note(f"{role}:tone_placement")
    if chance(rng, cfg.get("tone_misplace", 0) * scale):
        t = rand_tok()
        if t:
            k, lst, i = t
            new = misplace_tone(lst[i], rng)
            if new != lst[i]:
                lst[i] = new
                rec.note(f"{role}:tone_misplaced")
    if chance(rng, cfg.get("wrong_tone", 0) * scale):
        t = rand_tok()
        if t:
            k, lst, i = t
            new = change_tone(lst[i], rng, "any" if chance(rng, 0.4) else "hoi_nga")
            if new != lst[i]:
                lst[i] = new
                rec.note(f"{role}:wrong_tone")
    if chance(rng, cfg.get("telex", 0)):
        t = rand_tok()
        if t:
            k, lst, i = t
            lst[i] = telex(lst[i])
            rec.note(f"{role}:telex_raw")
    return n


def structure(rng, n, cfg, rec, role, mode):
    """choose the written token order and form. returns list of tokens (strings)."""
    toks_s, toks_m, toks_g = list(n.s), list(n.m), list(n.g)
    if n.o in ("flast", "single"):
        toks = n.tokens()
        if mode in ("western", "adoptive") and n.o == "flast" and chance(rng, 0.3):
            toks = n.s + n.g
            rec.note(f"{role}:minority_reordered")
        if chance(rng, 0.3) and any("'" in t for t in toks):
            rep = rng.choice(["", " ", "-", "’"])
            toks = [t.replace("'", rep) for t in toks]
            toks = " ".join(toks).split()
            rec.note(f"{role}:apostrophe")
        if mode == "adoptive":
            toks = [rng.choice(ADOPTIVE_F if rec.p.sex == "F" else ADOPTIVE_M)] + toks
            rec.note(f"{role}:adoptive_first")
        return toks
    if toks_m and chance(rng, cfg.get("drop_mid", 0) * (1 if role == "subject" else 1.5)):
        toks_m = []
        rec.note(f"{role}:drop_middle")
    elif len(toks_m) >= 2 and toks_m[0] in ("Thị", "Văn") and chance(rng, cfg.get("drop_thi", 0) * 3):
        toks_m = toks_m[1:]
        rec.note(f"{role}:drop_thi_van")
    elif toks_s in (["Tôn", "Thất"], ["Nguyễn", "Phước"]) and chance(rng, 0.3):
        toks_m = toks_s[1:] + toks_m
        toks_s = toks_s[:1]
        rec.note(f"{role}:compound_surname_cut")
    if toks_m and chance(rng, cfg.get("mid_initial", 0)):
        toks_m = [t[0] + "." for t in toks_m]
        rec.note(f"{role}:middle_initial")
    if mode == "vn":
        return toks_s + toks_m + toks_g
    if mode == "surname_caps":
        rec.note(f"{role}:surname_caps")
        return [t.upper() for t in toks_s] + toks_m + toks_g
    if mode == "comma":
        rec.note(f"{role}:comma")
        s = [t.upper() if chance(rng, 0.5) else t for t in toks_s]
        s[-1] = s[-1] + ","
        return s + toks_m + toks_g
    if mode == "hyphen":
        rec.note(f"{role}:hyphenated")
        first = "-".join(toks_m + toks_g)
        if chance(rng, 0.5):
            return toks_s + [first]
        return [first] + toks_s
    if mode == "western":
        rec.note(f"{role}:western_order")
        if chance(rng, 0.5):
            return toks_g + toks_m + toks_s          # Lan Thi Nguyen
        return toks_m + toks_g + toks_s              # Thi Lan Nguyen
    if mode == "given_sur":
        rec.note(f"{role}:given_surname")
        return toks_g + toks_s
    if mode == "adoptive":
        first = rng.choice(ADOPTIVE_F if rec.p.sex == "F" else ADOPTIVE_M)
        form = pick(rng, [("A G S", 55), ("A S M G", 15), ("A M G S", 15), ("A G M S", 10),
                          ("A G X", 5 if rec.source == "trace_request" else 0)])
        rec.note(f"{role}:adoptive_first")
        if form == "A G S":
            return [first] + toks_g + toks_s
        if form == "A S M G":
            return [first] + toks_s + toks_m + toks_g
        if form == "A M G S":
            return [first] + toks_m + toks_g + toks_s
        if form == "A G M S":
            return [first] + toks_g + toks_m + toks_s
        rec.note(f"{role}:adoptive_surname")
        return [first] + toks_g + [rng.choice(ADOPTIVE_SURNAMES)]
    if mode == "concat":
        rec.note(f"{role}:concatenated_given")
        return toks_s + ["".join(toks_m + toks_g).capitalize()]
    return toks_s + toks_m + toks_g


def script(rng, s, rec, field):
    """record-level script damage applied to a text field."""
    if not s:
        return s
    st = rec.style
    if st.get("ascii"):
        s = strip_diacritics(s)
    elif st.get("ascii_partial"):
        words = s.split(" ")
        s = " ".join(strip_diacritics(w) if chance(rng, 0.5) else w for w in words)
    if st.get("upper"):
        s = s.upper()
    elif st.get("lower"):
        s = s.lower()
    if st.get("eth"):
        s = s.replace("Đ", "Ð").replace("đ", "ð") if chance(rng, 0.8) else s.replace("Đ", "Ð")
    if st.get("typo_fields") and field in st["typo_fields"]:
        s2 = typo(s, rng)
        if s2 != s:
            rec.note(f"typo:{field}")
            st["typo_fields"].discard(field)
        s = s2
    if st.get("spaces") and chance(rng, 0.6):
        k = pick(rng, [("double", 4), ("lead_trail", 3), ("dot", 1), ("nbsp", 1), ("tab", 0.5)])
        if k == "double" and " " in s:
            i = rng.choice([i for i, c in enumerate(s) if c == " "])
            s = s[:i] + "  " + s[i + 1:]
        elif k == "lead_trail":
            s = rng.choice([" ", "  ", ""]) + s + rng.choice([" ", "  ", ""])
        elif k == "dot":
            s = s + "."
        elif k == "nbsp" and " " in s:
            s = s.replace(" ", "\u00a0", 1)
        elif k == "tab":
            s = s + "\t"
    if st.get("nfd"):
        s = ud.normalize("NFD", s)
    elif st.get("composite"):
        s = composite(s)
    if st.get("mojibake"):
        s = utf8_as_cp1252(nfc(s))
    elif st.get("vni"):
        s = vni_mojibake(nfc(s))
    elif st.get("qmark"):
        s = qmark(nfc(s), rng)
    return s


def draw_style(rng, cfg, rec):
    st = rec.style
    st["ascii"] = chance(rng, cfg["ascii"])
    st["ascii_partial"] = not st["ascii"] and chance(rng, cfg["ascii_partial"])
    st["upper"] = chance(rng, cfg["upper"])
    st["lower"] = not st["upper"] and chance(rng, cfg["lower"])
    diacr = not st["ascii"]
    st["nfd"] = diacr and chance(rng, cfg["nfd"])
    st["composite"] = diacr and not st["nfd"] and chance(rng, cfg["composite"])
    st["eth"] = diacr and chance(rng, cfg["eth"])
    st["mojibake"] = diacr and chance(rng, cfg["mojibake"])
    st["vni"] = diacr and not st["mojibake"] and chance(rng, cfg["vni"])
    st["qmark"] = diacr and not st["mojibake"] and not st["vni"] and chance(rng, cfg["qmark"])
    st["tone_style"] = diacr and chance(rng, cfg["tone_style"])
    st["spaces"] = chance(rng, cfg["spaces"])
    tf = set()
    for f in ("full_name", "mother_name", "father_name", "birth_place"):
        p = cfg["typo"] if f == "full_name" else cfg["typo"] * 0.8
        if chance(rng, p):
            tf.add(f)
    st["typo_fields"] = tf
    for k in ("ascii", "ascii_partial", "upper", "lower", "nfd", "composite", "eth", "mojibake",
              "vni", "qmark", "spaces"):
        if st[k]:
            rec.note(k)


# ---- dates ----
def shift_months(d, k):
    m = d.month - 1 + k
    y = d.year + m // 12
    m = m % 12 + 1
    day = min(d.day, [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return D(y, m, day)


def date_errors(rng, d, cfg, rec):
    if chance(rng, cfg.get("d_lunar", 0)):
        d = d - TD(days=rng.randint(20, 50))
        rec.note("date:lunar")
    if chance(rng, cfg.get("d_day", 0)):
        d = d + TD(days=rng.choice([-1, 1, 1, 2, -2]))
        rec.note("date:day_off")
    if chance(rng, cfg.get("d_year", 0)):
        try:
            d = d.replace(year=d.year + rng.choice([-1, 1, 1, -2, 2]))
        except ValueError:
            d = d.replace(year=d.year + 1, day=28)
        rec.note("date:year_off")
    if chance(rng, cfg.get("d_jan1", 0)):
        d = D(d.year, 1, 1)
        rec.note("date:jan1_convention")
    swap = False
    if d.day <= 12 and d.day != d.month and chance(rng, cfg.get("d_swap", 0)):
        d = D(d.year, d.day, d.month)
        rec.note("date:day_month_swap")
        swap = True
    if chance(rng, cfg.get("d_digit", 0)):
        y = d.year
        s = str(y)
        # 1989 -> 1998, or ten years off
        y2 = int(s[:2] + s[3] + s[2]) if chance(rng, 0.5) and s[2] != s[3] else y + rng.choice([-10, 10])
        if 1900 < y2 <= 2026:
            try:
                d = d.replace(year=y2)
                rec.note("date:year_digit")
            except ValueError:
                pass
    return d, swap


def fmt_date(rng, d, fmt):
    dd, mm, yy = d.day, d.month, d.year
    if fmt == "dmy":
        return f"{dd:02d}/{mm:02d}/{yy}"
    if fmt == "dmy_short":
        return f"{dd}/{mm}/{yy}"
    if fmt == "iso":
        return d.isoformat()
    if fmt == "dmy_dash":
        return f"{dd:02d}-{mm:02d}-{yy}"
    if fmt == "dmy_dot":
        return f"{dd:02d}.{mm:02d}.{yy}"
    if fmt == "dmyy_dot":
        return f"{dd}.{mm}.{yy % 100:02d}"
    if fmt == "ymd_slash":
        return f"{yy}/{mm:02d}/{dd:02d}"
    if fmt == "vn_words":
        return rng.choice([f"ngày {dd} tháng {mm} năm {yy}", f"ngày {dd:02d} tháng {mm:02d} năm {yy}",
                           f"{dd:02d} tháng {mm:02d}, {yy}"])
    if fmt == "us":
        return f"{mm:02d}/{dd:02d}/{yy}" if chance(rng, 0.7) else f"{mm}/{dd}/{yy}"
    if fmt == "en_long":
        return f"{MONTHS_EN[mm - 1]} {dd}, {yy}"
    if fmt == "en_dmy_long":
        return f"{dd} {MONTHS_EN[mm - 1]} {yy}"
    if fmt == "dd_mon_yy":
        return f"{dd:02d}-{MONTHS_EN[mm - 1][:3]}-{yy % 100:02d}"
    if fmt == "fr":
        return f"{'1er' if dd == 1 else dd} {MONTHS_FR[mm - 1]} {yy}"
    if fmt == "it":
        return f"{dd} {MONTHS_IT[mm - 1]} {yy}"
    if fmt == "de":
        return f"{dd}. {MONTHS_DE[mm - 1]} {yy}"
    if fmt == "excel":
        return str((d - D(1899, 12, 30)).days)
    if fmt == "year":
        return str(yy)
    if fmt == "month_year":
        return rng.choice([f"{mm:02d}/{yy}", f"{MONTHS_EN[mm - 1]} {yy}", f"{mm}/{yy}"])
    raise ValueError(fmt)


# ---- places ----
def numbered(name):
    return name.strip().isdigit()


def vn_place(rng, parts, level, abbrev, geo):
    """Vietnamese writing of a place (parts from Geo.at)."""
    c, dst, pv = parts["commune"], parts["district"], parts["province"]
    pc = parts["pcode"] if parts["era"] == "old" else parts["new_pcode"]
    if abbrev:
        def ab(x):
            u = unit_of(x)
            nm = strip_unit(x)
            m = {"Xã": "X.", "Phường": "P.", "Thị trấn": "TT.", "Huyện": "H.", "Quận": "Q.",
                 "Thị xã": "TX.", "Thành phố": "TP.", "Tỉnh": "T.", "Đặc khu": "ĐK."}.get(u, "")
            sep = "" if numbered(nm) or chance(rng, 0.4) else " "
            return f"{m}{sep}{nm}" if m else nm
        c2, d2 = ab(c), ab(dst) if dst else ""
        if pc == "79" and "Hồ Chí Minh" in pv:
            p2 = rng.choice(["TP.HCM", "TP HCM", "Tp.HCM", "TPHCM"])
        else:
            p2 = ab(pv) if chance(rng, 0.5) else strip_unit(pv)
    elif chance(rng, 0.5):
        c2, d2, p2 = c, dst, pv
    else:
        c2, d2, p2 = strip_unit(c) if not numbered(strip_unit(c)) else c, \
            (strip_unit(dst) if dst and not numbered(strip_unit(dst)) else dst), strip_unit(pv)
        if chance(rng, 0.3) and pc in PROV_ALIAS_VN and not parts["hist"]:
            p2 = rng.choice(PROV_ALIAS_VN[pc])
    if level == "full":
        seq = [c2, d2, p2]
    elif level == "district":
        seq = [d2, p2]
    elif level == "province":
        seq = [p2]
    elif level == "commune_province":
        seq = [c2, p2]
    else:
        seq = [c2, d2, p2]
    seq = [x for x in seq if x]
    sep = pick(rng, [(", ", 80), (" - ", 10), (" ,", 3), (",", 7)])
    s = sep.join(seq)
    if chance(rng, 0.04):
        s += rng.choice([", Việt Nam", ", VN", " - Việt Nam"])
    return s


def en_place(rng, parts, level, geo):
    pc = parts["pcode"] if parts["era"] == "old" else parts["new_pcode"]
    pv_vn = parts["province"]
    if parts["hist"] and pv_vn in HIST_EN:
        prov = HIST_EN[pv_vn]
        prov = prov + (rng.choice([" Province", " province", ""]))
    elif pc in PROV_EN_CITY and chance(rng, 0.7):
        prov = rng.choice(PROV_EN_CITY[pc])
    else:
        prov = strip_diacritics(parts["province_short"]) + rng.choice([" Province", " province", ""])
    dist = parts["district_short"]
    comm = parts["commune_short"]
    d_unit = unit_of(parts["district"]) if parts["district"] else ""
    c_unit = unit_of(parts["commune"])
    dist_en = ""
    if dist:
        dd = strip_diacritics(dist)
        if numbered(dist):
            dist_en = rng.choice([f"District {dd}", f"Dist. {dd}", f"Q{dd}", f"District {dd}"])
        elif d_unit == "Thành phố":
            dist_en = f"{dd} City" if chance(rng, 0.6) else dd
        elif d_unit == "Thị xã":
            dist_en = f"{dd} Town"
        else:
            dist_en = f"{dd} District" if chance(rng, 0.7) else dd
    cc = strip_diacritics(comm)
    if numbered(comm):
        comm_en = f"Ward {cc}"
    elif c_unit == "Phường":
        comm_en = f"{cc} Ward"
    elif c_unit == "Xã":
        comm_en = rng.choice([f"{cc} Commune", f"{cc} Village", cc])
    else:
        comm_en = f"{cc} Town" if chance(rng, 0.5) else cc
    if level == "full":
        seq = [comm_en, dist_en, prov]
    elif level == "district":
        seq = [dist_en, prov]
    elif level == "commune_province":
        seq = [comm_en, prov]
    else:
        seq = [prov]
    seq = [x for x in seq if x]
    s = ", ".join(seq)
    if chance(rng, 0.3):
        s += rng.choice([", Vietnam", ", Viet Nam", ", VN", " Vietnam"])
    return s


def pid_text(rng, p, cfg, rec, pop):
    if not p.reg and rec.source != "child_registry" and not chance(rng, 0.5):
        pass
    s = p.pid
    if chance(rng, cfg.get("pid_mother", 0)):
        if p.mother_ref is not None:
            s = p.mother_ref.pid
        else:
            y = p.bd.year - 26
            s = pop.new_pid("0" + pop.geo.old[p.comm]["province_code"], "F", D(y, 1, 1))
        rec.note("pid:mother_pid")
    if chance(rng, cfg.get("pid_typo", 0)):
        i = rng.randint(3, 11)
        if chance(rng, 0.5):
            s = s[:i] + str((int(s[i]) + rng.randint(1, 9)) % 10) + s[i + 1:]
        else:
            s = s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]
        rec.note("pid:typo")
    if chance(rng, cfg.get("pid_lost_zero", 0)):
        s = s.lstrip("0")
        rec.note("pid:lost_leading_zero")
    elif chance(rng, cfg.get("pid_fmt", 0)):
        s = rng.choice([f"{s[:3]} {s[3:6]} {s[6:]}", f"{s[:3]}.{s[3:6]}.{s[6:]}",
                        f"{s[:4]} {s[4:8]} {s[8:]}", f" {s}"])
        rec.note("pid:formatted")
    return s


def sex_text(rng, p, cfg, rec, sex_known=True):
    if not sex_known:
        return ""
    if chance(rng, cfg["sex_empty"]):
        rec.note("sex:empty")
        return ""
    if chance(rng, cfg["sex_u"]):
        rec.note("sex:U")
        return "U"
    if chance(rng, cfg["sex_wrong"]):
        rec.note("sex:wrong")
        return "F" if p.sex == "M" else "M"
    return p.sex


class RecordGen:
    def __init__(self, rng, geo, names, pop):
        self.rng = rng
        self.geo = geo
        self.names = names
        self.pop = pop

    # ---------- generic name writing ----------
    def write_name(self, n, cfg, rec, role, mode):
        rng = self.rng
        n2 = lexical(rng, n, cfg, rec, role)
        toks = structure(rng, n2, cfg, rec, role, mode)
        return script(rng, " ".join(toks), rec, "full_name" if role == "subject" else f"{role}_name")

    def write_parent(self, n, cfg, rec, role, mode_table):
        rng = self.rng
        if n is None:
            return ""
        mode = pick(rng, mode_table)
        pc = dict(cfg)
        pc["typo"] = cfg.get("parent_typo", cfg.get("typo", 0))
        pc["drop_mid"] = cfg.get("parent_drop_mid", cfg.get("drop_mid", 0))
        if mode == "given_only":
            rec.note(f"{role}:given_only")
            n2 = lexical(rng, n, pc, rec, role)
            return script(rng, " ".join(n2.g), rec, f"{role}_name")
        if mode == "honorific":
            rec.note(f"{role}:honorific")
            n2 = lexical(rng, n, pc, rec, role)
            pre = rng.choice(["Mrs.", "Mrs", "Mme", "Bà", "Mother:"]) if role == "mother" else \
                rng.choice(["Mr.", "Mr", "Ông"])
            return script(rng, pre + " " + " ".join(n2.g), rec, f"{role}_name")
        return self.write_name(n, pc, rec, role, mode)

    def pseudonym(self, p):
        pc = self.geo.old[p.comm]["province_code"]
        return self.pop.person_name("F", p.bd.year - 25, pc, "kinh")

    # ---------- child_registry ----------
    def child_registry(self, p, rec):
        rng, cfg = self.rng, CFG["child_registry"]
        draw_style(rng, cfg, rec)
        # writing date: some time after birth
        lo = p.bd + TD(days=30)
        rec_on = rand_date(rng, lo, EXTRACT) if lo < EXTRACT else EXTRACT
        if chance(rng, cfg["name_missing"]):
            full = ""
            rec.note("name:missing")
        else:
            full = self.write_name(p.name, cfg, rec, "subject", "vn")
        d, _ = date_errors(rng, p.bd, cfg, rec)
        if chance(rng, cfg["d_missing"]):
            bd = ""
            rec.note("date:missing")
        elif chance(rng, cfg["d_year_only"]):
            bd = str(d.year)
            rec.note("date:year_only")
        else:
            fmt = pick(rng, [("dmy", 55), ("iso", 15), ("dmy_short", 12), ("dmy_dash", 6),
                             ("dmy_dot", 4), ("vn_words", 5), ("ymd_slash", 3)])
            bd = fmt_date(rng, d, fmt)
            rec.note(f"datefmt:{fmt}")
        place = self.domestic_place(p, rec, cfg, rec_on)
        mother = father = ""
        ptab = [("vn", 100)]
        if chance(rng, cfg["mother"]):
            mother = self.write_parent(p.mother, cfg, rec, "mother", ptab)
        elif p.mother:
            rec.note("mother:missing")
        if chance(rng, cfg["father"]):
            father = self.write_parent(p.father, cfg, rec, "father", ptab)
        elif p.father:
            rec.note("father:missing")
        if chance(rng, cfg["parent_swap"]) and mother and father:
            mother, father = father, mother
            rec.note("parents:swapped")
        pid = ""
        p_has = cfg["pid"] + (0.15 if p.bd.year >= 2016 else -0.2)
        if p.pid and chance(rng, p_has):
            pid = pid_text(rng, p, cfg, rec, self.pop)
        else:
            rec.note("pid:missing")
        sex = sex_text(rng, p, cfg, rec)
        return dict(full_name=full, sex=sex, birth_date=bd, birth_place=place, mother_name=mother,
                    father_name=father, pid=pid, recorded_on=rec_on.isoformat())

    def domestic_place(self, p, rec, cfg, rec_on):
        rng = self.rng
        if not chance(rng, cfg.get("place", 0.95)):
            rec.note("place:missing")
            return ""
        comm = p.comm
        if chance(rng, cfg.get("place_home", 0)):
            comm = self.pop.near_commune(comm) if chance(rng, 0.7) else \
                self.pop.commune_in(self.geo.old[comm]["province_code"])
            rec.note("place:other_commune")
        if chance(rng, cfg.get("place_as_written", 0.4)):
            parts = self.geo.at(comm, rec_on)
            tag = "as_written"
        else:
            parts = self.geo.at(comm, p.bd)
            tag = "as_birth"
        reg_parts = self.geo.at(p.comm, p.bd, current=not p.hist_names)
        if parts["province"] != reg_parts["province"]:
            rec.note(f"place:province_name_differs({tag})")
        if parts["era"] == "new" and reg_parts["era"] == "old":
            rec.note("place:new_map_for_old_birth")
        # a lagging clerk writes a post-reform birth with the old three-level names
        if parts["era"] == "new" and chance(rng, 0.25):
            parts = self.geo.at(comm, REFORM - TD(days=1))
            rec.note("place:old_map_for_new_birth")
        level = pick(rng, [("full", 55), ("district", 12), ("province", 6),
                           ("commune_province", 12 if parts["era"] == "old" else 0)])
        if parts["era"] == "new" and level == "district":
            level = "commune_province"
        abbrev = chance(rng, 0.18)
        if abbrev:
            rec.note("place:abbrev")
        if level != "full":
            rec.note(f"place:level_{level}")
        s = vn_place(rng, parts, level, abbrev, self.geo)
        return script(rng, s, rec, "birth_place")

    # ---------- adoption_file ----------
    def adoption_file(self, p, rec):
        rng, cfg = self.rng, CFG["adoption_file"]
        draw_style(rng, cfg, rec)
        lo = max(p.bd + TD(days=60), D(1989, 1, 1))
        hi = min(p.bd + TD(days=365 * 7), D(2019, 12, 31))
        adopt = rand_date(rng, lo, hi) if lo < hi else lo
        adopt = min(adopt, EXTRACT)
        mode = pick(rng, [("vn", 40), ("surname_caps", 12), ("comma", 8), ("western", 22),
                          ("adoptive", 12), ("hyphen", 5), ("concat", 1)])
        if chance(rng, cfg["name_missing"]):
            full = ""
            rec.note("name:missing")
        else:
            full = self.write_name(p.name, cfg, rec, "subject", mode)
        d, _ = date_errors(rng, p.bd, cfg, rec)
        if chance(rng, cfg["d_missing"]):
            bd = ""
            rec.note("date:missing")
        else:
            fmt = pick(rng, [("us", 24), ("dmy", 24), ("en_long", 12), ("dd_mon_yy", 8),
                             ("en_dmy_long", 7), ("fr", 5), ("it", 2), ("de", 2), ("dmyy_dot", 3),
                             ("dmy_dot", 3), ("iso", 6), ("excel", 1), ("year", 3)])
            bd = fmt_date(rng, d, fmt)
            rec.note(f"datefmt:{fmt}")
            if fmt in ("fr", "it", "de") and rec.style.get("ascii"):
                bd = strip_diacritics(bd)
        place = ""
        if chance(rng, cfg["place"]):
            place = self.foreign_place(p, rec, cfg, adopt, english_share=0.65)
        else:
            rec.note("place:missing")
        mother = father = ""
        ptab = [("vn", 60), ("surname_caps", 10), ("western", 15), ("given_only", 10),
                ("honorific", 5)]
        if p.mother is not None and chance(rng, cfg["mother"]):
            mn = p.mother
            if chance(rng, cfg["mother_pseudonym"]):
                mn = self.pseudonym(p)
                rec.note("mother:pseudonym")
            mother = self.write_parent(mn, cfg, rec, "mother", ptab)
        if p.father is not None and chance(rng, cfg["father"]):
            father = self.write_parent(p.father, cfg, rec, "father", ptab)
        pid = ""
        if p.pid and p.bd.year >= 1995 and chance(rng, cfg["pid"] * 2):
            pid = pid_text(rng, p, cfg, rec, self.pop)
        sex = sex_text(rng, p, cfg, rec)
        return dict(full_name=full, sex=sex, birth_date=bd, birth_place=place, mother_name=mother,
                    father_name=father, pid=pid, recorded_on=adopt.isoformat())

    def foreign_place(self, p, rec, cfg, when, english_share):
        rng = self.rng
        comm = p.comm
        if chance(rng, cfg.get("place_home", 0)):
            comm = self.pop.near_commune(comm)
            rec.note("place:other_commune")
        parts = self.geo.at(comm, when)
        reg_parts = self.geo.at(p.comm, p.bd, current=not p.hist_names)
        if parts["province"] != reg_parts["province"]:
            rec.note("place:province_name_differs")
        pc = parts["pcode"]
        if chance(rng, 0.12) and pc in ORPHANAGES_EN:
            s = rng.choice(ORPHANAGES_EN[pc])
            if chance(rng, 0.5):
                s += ", " + en_place(rng, parts, "province", self.geo)
            rec.note("place:orphanage")
            return script(rng, s, rec, "birth_place")
        level = pick(rng, [("province", 40), ("district", 25), ("full", 20),
                           ("commune_province", 15)])
        if level != "full":
            rec.note(f"place:level_{level}")
        if chance(rng, english_share):
            rec.note("place:english")
            s = en_place(rng, parts, level, self.geo)
        else:
            if parts["era"] == "new" and level == "district":
                level = "commune_province"
            s = vn_place(rng, parts, level, chance(rng, 0.1), self.geo)
        return script(rng, s, rec, "birth_place")

    # ---------- abandoned_intake ----------
    def abandoned_intake(self, p, rec):
        rng, cfg = self.rng, CFG["abandoned_intake"]
        draw_style(rng, cfg, rec)
        if p.found is not None:
            found = p.found["date"]
            true_bd = p.found["true_bd"]
            age_days = p.found["age_days"]
            where = p.found["where"]
            comm = p.comm
            centre = p.centre
        else:
            # a child registered at birth by the family, abandoned later
            age_days = pick(rng, [(rng.randint(0, 10), 30), (rng.randint(10, 200), 35),
                                  (rng.randint(200, 1500), 35)])
            true_bd = p.bd
            found = min(p.bd + TD(days=age_days), EXTRACT - TD(days=1))
            where = pick(rng, [("pagoda", 2), ("hospital", 3), ("gate", 1), ("market", 1),
                               ("roadside", 1), ("home_door", 1)])
            comm = self.pop.near_commune(p.comm) if chance(rng, 0.6) else \
                self.pop.commune_in(self.geo.old[p.comm]["province_code"])
            centre = None
        rec_on = min(found + TD(days=rng.randint(0, 20)), EXTRACT)
        # name
        if p.centre is not None and p.reg:
            kind = pick(rng, [("centre_name", 80), ("placeholder", 12), ("none", 8)])
        elif p.centre is not None:
            kind = pick(rng, [("centre_name", 55), ("placeholder", 25), ("none", 20)])
        else:
            kind = pick(rng, [("note_given", 35), ("note_full", 20), ("placeholder", 30),
                              ("none", 15)])
        rec.note(f"name:{kind}")
        if kind in ("centre_name", "note_full"):
            full = self.write_name(p.name, cfg, rec, "subject", "vn")
        elif kind == "note_given":
            n2 = lexical(rng, p.name, cfg, rec, "subject")
            g = " ".join(n2.g)
            full = script(rng, rng.choice([g, f"Bé {g}", f"{g} (theo giấy để lại)"]), rec, "full_name")
        elif kind == "placeholder":
            ph = rng.choice(["Bé gái", "Bé trai", "Chưa đặt tên", "Không rõ", "Trẻ bị bỏ rơi",
                             "Bé gái vô danh", "Cháu bé", "KHÔNG RÕ", "Bé sơ sinh"])
            if ph in ("Bé gái", "Bé trai") and ((ph == "Bé gái") != (p.sex == "F")):
                ph = "Bé gái" if p.sex == "F" else "Bé trai"
            full = script(rng, ph, rec, "full_name")
        else:
            full = ""
        # date: estimated
        age_at = age_days
        dk = pick(rng, [("estimate_full", 40), ("year", 22), ("age_text", 20), ("jan1", 10),
                        ("month_year", 8)])
        rec.note(f"date:{dk}")
        if dk == "estimate_full":
            d = true_bd + TD(days=rng.randint(-15, 15) if age_days > 10 else rng.randint(-2, 2))
            d = min(d, found)
            bd = fmt_date(rng, d, pick(rng, [("dmy", 70), ("iso", 10), ("dmy_short", 15),
                                            ("vn_words", 5)]))
        elif dk == "year":
            y = true_bd.year if chance(rng, 0.85) else true_bd.year + rng.choice([-1, 1])
            bd = rng.choice([str(y), str(y), f"~{y}", f"ước tính {y}", f"khoảng năm {y}"])
        elif dk == "jan1":
            bd = fmt_date(rng, D(true_bd.year, 1, 1), "dmy")
        elif dk == "month_year":
            bd = f"{true_bd.month:02d}/{true_bd.year}"
        else:
            if age_at < 7:
                bd = rng.choice(["sơ sinh", f"khoảng {max(age_at, 1)} ngày tuổi", "mới sinh",
                                 "trẻ sơ sinh khoảng 2-3 ngày"])
            elif age_at < 60:
                bd = rng.choice([f"khoảng {max(1, age_at // 7)} tuần tuổi", f"khoảng {age_at} ngày tuổi",
                                 "khoảng 1 tháng tuổi"])
            elif age_at < 730:
                m = max(1, round(age_at / 30.4) + rng.choice([-1, 0, 0, 1]))
                bd = rng.choice([f"khoảng {m} tháng tuổi", f"{m} tháng", f"ước {m} tháng tuổi"])
            else:
                yv = max(1, round(age_at / 365) + rng.choice([-1, 0, 0, 1]))
                bd = rng.choice([f"khoảng {yv} tuổi", f"{yv} tuổi", f"~{yv} tuổi"])
        bd = script(rng, bd, rec, "birth_date") if any(ord(c) > 127 for c in bd) else bd
        # place found
        parts = self.geo.at(comm, found)
        pdesc = {
            "pagoda": f"Trước cổng chùa {centre['pagoda'] if centre else rng.choice(PAGODAS)}",
            "hospital": rng.choice([f"Bệnh viện Đa khoa {parts['province_short']}",
                                    "Khoa sản Bệnh viện "
                                    f"{parts['district_short'] or parts['province_short']}",
                                    "Bệnh viện Từ Dũ" if parts["pcode"] == "79" else "Bệnh viện Phụ sản",
                                    f"Trạm y tế {parts['commune']}"]),
            "gate": "Trước cổng Trung tâm Bảo trợ xã hội",
            "market": f"Chợ {parts['commune_short']}",
            "roadside": rng.choice(["Ven đường", "Bãi đất trống", "Gốc cây ven đường", "Bến xe"]),
            "church": centre["church"] if centre else rng.choice(CHURCHES),
            "health_station": f"Trạm y tế {parts['commune']}",
            "home_door": "Trước cửa nhà dân",
        }[where]
        level = pick(rng, [("full", 60), ("district", 25), ("commune_province", 10), ("province", 5)])
        if parts["era"] == "new" and level == "district":
            level = "commune_province"
        loc = vn_place(rng, parts, level, chance(rng, 0.15), self.geo)
        place = pick(rng, [(f"{pdesc}, {loc}", 55), (loc, 35), (pdesc, 10)])
        rec.note(f"place:found_{where}")
        place = script(rng, place, rec, "birth_place")
        mother = father = ""
        if p.mother is not None and chance(rng, 0.35 if p.centre else 0.12):
            mother = self.write_parent(p.mother, cfg, rec, "mother", [("vn", 60), ("given_only", 40)])
        elif chance(rng, 0.08):
            mother = script(rng, rng.choice(["Không rõ", "không rõ", "KR", "-"]), rec, "mother_name")
        pid = ""
        if p.reg and chance(rng, cfg["pid"]) and rec_on > p.rec_on:
            pid = pid_text(rng, p, cfg, rec, self.pop)
        sex = sex_text(rng, p, cfg, rec)
        return dict(full_name=full, sex=sex, birth_date=bd, birth_place=place, mother_name=mother,
                    father_name=father, pid=pid, recorded_on=rec_on.isoformat())

    # ---------- trace_request ----------
    def trace_request(self, p, rec):
        rng, cfg = self.rng, CFG["trace_request"]
        draw_style(rng, cfg, rec)
        lo = max(p.bd + TD(days=365 * 16), D(2005, 1, 1))
        rec_on = rand_date(rng, lo, EXTRACT) if lo < EXTRACT else EXTRACT
        mode = pick(rng, [("vn", 25), ("western", 28), ("adoptive", 15), ("nickname", 8),
                          ("given_only", 9), ("given_sur", 10), ("surname_caps", 5)])
        n = p.name
        if chance(rng, 0.05) and n.o == "kinh":
            n = n.copy()
            sx = p.sex
            cands = [g for g in self.names.given_list[sx] if g[0] == n.g[-1][0] and g != n.g[-1]]
            if cands:
                n.g[-1] = rng.choice(cands)
                rec.note("subject:remembered_wrong_given")
        if chance(rng, 0.03) and n.o == "kinh":
            n = n.copy()
            n.s = [self.pop.surname(self.geo.old[p.comm]["province_code"], "kinh")[0]]
            rec.note("subject:remembered_wrong_surname")
        if chance(rng, cfg["name_missing"]):
            full = ""
            rec.note("name:missing")
        elif mode == "nickname":
            nick = p.nick or rng.choice(NICKNAMES)
            rec.note("subject:nickname")
            if chance(rng, 0.5) and n.s:
                full = script(rng, f"{nick} {' '.join(n.s)}", rec, "full_name")
            elif chance(rng, 0.5):
                full = script(rng, f"{nick} ({' '.join(n.g)})", rec, "full_name")
            else:
                full = script(rng, nick, rec, "full_name")
        elif mode == "given_only":
            rec.note("subject:given_only")
            n2 = lexical(rng, n, cfg, rec, "subject")
            full = script(rng, " ".join(n2.m[-1:] + n2.g if chance(rng, 0.3) else n2.g), rec,
                          "full_name")
        else:
            full = self.write_name(n, cfg, rec, "subject", mode)
        # date as remembered / documented
        d, _ = date_errors(rng, p.bd, cfg, rec)
        if chance(rng, cfg["d_missing"]):
            bd = ""
            rec.note("date:missing")
        else:
            dk = pick(rng, [("year", 30), ("approx", 12), ("range", 5), ("month_year", 10),
                            ("full", 38), ("age", 5)])
            rec.note(f"date:{dk}")
            y = d.year
            if dk == "year":
                bd = str(y)
            elif dk == "approx":
                bd = rng.choice([f"about {y}", f"circa {y}", f"ca. {y}", f"{y}?", f"~{y}",
                                 f"around {y}", f"vers {y}"])
            elif dk == "range":
                bd = rng.choice([f"{y} or {y + 1}", f"{y - 1}-{y}", f"{y}/{y + 1}", f"{y - 1} or {y}"])
            elif dk == "month_year":
                bd = fmt_date(rng, d, "month_year")
            elif dk == "age":
                age = max(0, (rec_on - p.bd).days // 365 + rng.choice([-1, 0, 0, 1]))
                bd = rng.choice([f"{age} years old", f"aged {age}", f"{age} y/o"])
            else:
                fmt = pick(rng, [("us", 25), ("dmy", 30), ("en_long", 15), ("en_dmy_long", 10),
                                 ("iso", 8), ("fr", 5), ("dmy_short", 7)])
                bd = fmt_date(rng, d, fmt)
                if rec.style.get("ascii"):
                    bd = strip_diacritics(bd)
                rec.note(f"datefmt:{fmt}")
        place = ""
        if chance(rng, cfg["place"]):
            if chance(rng, 0.15):
                pc = self.geo.old[p.comm]["province_code"]
                vague = {"79": ["near Saigon", "Saigon area", "outside Ho Chi Minh City"],
                         "01": ["near Hanoi", "Hanoi area"], "75": ["near Bien Hoa"],
                         "74": ["near Saigon"], "92": ["Mekong Delta", "near Can Tho"]}
                opts = vague.get(pc, ["South Vietnam" if region(pc) == "S" else
                                      "Central Vietnam" if region(pc) == "C" else "North Vietnam",
                                      "Vietnam"])
                if region(pc) == "S" and pc in ("80", "82", "83", "84", "86", "87", "89", "91",
                                                "93", "94", "95", "96"):
                    opts = opts + ["Mekong Delta"]
                place = script(rng, rng.choice(opts), rec, "birth_place")
                rec.note("place:vague")
            else:
                # as remembered (old) or as looked up today (new map after July 2025)
                when = rec_on if chance(rng, 0.5) else p.bd + TD(days=365 * 3)
                place = self.foreign_place(p, rec, {"place_home": 0.06}, min(when, EXTRACT), 0.75)
        else:
            rec.note("place:missing")
        mother = father = ""
        ptab = [("vn", 35), ("western", 10), ("given_only", 35), ("given_sur", 10),
                ("honorific", 10)]
        if p.mother is not None and chance(rng, cfg["mother"]):
            mother = self.write_parent(p.mother, cfg, rec, "mother", ptab)
        if p.father is not None and chance(rng, cfg["father"]):
            father = self.write_parent(p.father, cfg, rec, "father", ptab)
        pid = ""
        if p.pid and chance(rng, cfg["pid"]):
            pid = pid_text(rng, p, cfg, rec, self.pop)
        sex = sex_text(rng, p, cfg, rec)
        return dict(full_name=full, sex=sex, birth_date=bd, birth_place=place, mother_name=mother,
                    father_name=father, pid=pid, recorded_on=rec_on.isoformat())


# ----------------------------------------------------------------------------
# subject selection
# ----------------------------------------------------------------------------
WINDOWS = {
    "child_registry": (D(2004, 1, 1), LAST_BIRTH),
    "adoption_file": (D(1986, 1, 1), D(2018, 12, 31)),
    "abandoned_intake": (D(1998, 1, 1), LAST_BIRTH),
    "trace_request": (D(1975, 1, 1), D(2009, 12, 31)),
}
NOMATCH_KINDS = {
    "child_registry": [("no_match", 30), ("twin_absent", 22), ("sibling_absent", 26), ("namesake", 22)],
    "adoption_file": [("no_match", 40), ("twin_absent", 16), ("sibling_absent", 22), ("namesake", 22)],
    "abandoned_intake": [("no_match", 80), ("namesake", 20)],
    "trace_request": [("no_match", 38), ("twin_absent", 16), ("sibling_absent", 24), ("namesake", 22)],
}
HKIND = {"no_match": "absent", "twin_absent": "twin_absent", "sibling_absent": "sibling_absent",
         "namesake": "namesake"}


def build_records(rng, geo, names, pop, n_records):
    gen = RecordGen(rng, geo, names, pop)
    counts = {s: int(round(n_records * SOURCE_SHARE[s])) for s in SOURCES}
    counts["child_registry"] += n_records - sum(counts.values())

    def in_win(p, s):
        a, b = WINDOWS[s]
        return a <= p.bd <= b

    reg_by_src = {s: [p for p in pop.reg if in_win(p, s)] for s in SOURCES}
    centre_reg = {s: [p for p in reg_by_src[s] if p.centre is not None] for s in SOURCES}
    twins_reg = {s: [p for p in reg_by_src[s] if p.twin is not None and p.twin.reg] for s in SOURCES}
    hidden_by = defaultdict(list)
    for h in pop.hidden:
        hidden_by[h.hkind].append(h)
    for k in hidden_by:
        rng.shuffle(hidden_by[k])
    used_hidden = set()
    rows, truth, detail = [], [], []
    seq = Counter()
    for s in SOURCES:
        n = counts[s]
        n_match = int(round(n * MATCH_RATE[s]))
        plan = [True] * n_match + [False] * (n - n_match)
        rng.shuffle(plan)
        used = []
        for is_match in plan:
            kind = "match"
            case = ""
            if is_match:
                if used and chance(rng, 0.02):
                    p = rng.choice(used)
                    case = "duplicate_record"
                elif s == "abandoned_intake":
                    if chance(rng, 0.75) and centre_reg[s]:
                        p = rng.choice(centre_reg[s])
                        case = "foundling_registered_by_centre"
                    else:
                        p = rng.choice(reg_by_src[s])
                        case = "registered_at_birth_then_abandoned"
                elif s in ("adoption_file", "trace_request") and chance(rng, 0.25) and centre_reg[s]:
                    p = rng.choice(centre_reg[s])
                    case = "foundling_registered_by_centre"
                elif chance(rng, 0.05) and twins_reg[s]:
                    p = rng.choice(twins_reg[s])
                    case = "twin_both_registered"
                else:
                    p = rng.choice(reg_by_src[s])
                    case = "plain"
                used.append(p)
            else:
                kind = pick(rng, NOMATCH_KINDS[s])
                if s == "abandoned_intake" and kind == "no_match":
                    pool_keys = ["never_registered"]
                else:
                    pool_keys = [HKIND[kind]]
                p = None
                for key in pool_keys + ["absent"]:
                    for h in hidden_by[key]:
                        if id(h) not in used_hidden and in_win(h, s):
                            p = h
                            break
                    if p is not None:
                        kind = {"never_registered": "no_match", "absent": "no_match"}.get(key, kind)
                        break
                if p is None:
                    raise SystemExit(f"hidden pool exhausted for {s}/{kind}")
                used_hidden.add(id(p))
                case = p.hkind
            rec = Rec(s, p, rng)
            fields = getattr(gen, s)(p, rec)
            seq[s] += 1
            rid = f"{PREFIX[s]}{seq[s]:06d}"
            row = {"source": s, "record_id": rid}
            row.update(fields)
            rows.append(row)
            truth.append({"source": s, "record_id": rid, "identity_id": p.id if is_match else "",
                          "kind": kind})
            rel = ""
            if is_match and case == "twin_both_registered":
                rel = p.twin.id
            elif not is_match and p.related is not None and p.related.reg:
                rel = p.related.id
            detail.append({"source": s, "record_id": rid, "case": case, "related_identity": rel,
                           "corruptions": ";".join(rec.log)})
    order = list(range(len(rows)))
    rng.shuffle(order)
    return [rows[i] for i in order], [truth[i] for i in order], [detail[i] for i in order]


# ----------------------------------------------------------------------------
COLUMNS = ["source", "record_id", "full_name", "sex", "birth_date", "birth_place", "mother_name",
           "father_name", "pid", "recorded_on"]


def write_csv(path, cols, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow(r)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--population", type=int, default=200000)
    ap.add_argument("--records", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    t0 = time.time()
    rng = random.Random(a.seed)
    geo = Geo()
    names = Names()
    pop = PopGen(rng, geo, names, a.population)
    pop.build()
    t1 = time.time()
    rows, truth, detail = build_records(rng, geo, names, pop, a.records)
    t2 = time.time()
    os.makedirs(a.out, exist_ok=True)
    write_csv(os.path.join(a.out, "population.csv"), COLUMNS,
              (population_row(geo, p) for p in pop.reg))
    write_csv(os.path.join(a.out, "records.csv"), COLUMNS, rows)
    write_csv(os.path.join(a.out, "truth.csv"), ["source", "record_id", "identity_id", "kind"], truth)
    os.makedirs(os.path.join(a.out, "_detail"), exist_ok=True)
    write_csv(os.path.join(a.out, "_detail", "record_detail.csv"),
              ["source", "record_id", "case", "related_identity", "corruptions"], detail)
    t3 = time.time()
    c = Counter((t["source"], t["kind"]) for t in truth)
    print(f"population={len(pop.reg)} hidden_pool={len(pop.hidden)} records={len(rows)} "
          f"time: pop {t1 - t0:.1f}s records {t2 - t1:.1f}s write {t3 - t2:.1f}s", file=sys.stderr)
    for (s, k), v in sorted(c.items()):
        print(f"  {s:18s} {k:15s} {v}", file=sys.stderr)


if __name__ == "__main__":
    main()
