"""Demo and test data for origin tracing: invented families that cover the hard cases (no real person).

- Đặng family: the birth mother vetoed contact but allowed her medical history; the father was never
  named on the birth registration.
- Hoàng family: twins adopted abroad (both searching; one consents to be named to the other); the
  birth mother has died; the father consents to identity disclosure.
- Trịnh family: the mother consents to identity disclosure (withdrawn in the tests between
  preparation and release); the father recorded nothing.
- Lường family: the adoptee is under 18 (answered through the adoptive parents).

`load_demo_tracing(app)` stores them (identities, adoption files, life events, consents) once and
adds the identities to the running matcher; the lead calls it from `linkage serve --demo`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from linkage.consent.model import ConsentChoice, ConsentRecord, ConsentScope, SubjectKind
from linkage.domain import PersonRecord, Sex, Source
from linkage.services.linking import match_record
from linkage.tracing.model import AdoptionFile, LifeEvent

RECORDED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_P = "population"

IDENTITIES = [
    PersonRecord(_P, "D-M1", "Đặng Thị Huyền Trang", Sex.FEMALE, "1975-02-11", "Thái Bình", "Lê Thị Nhung",
                 "Đặng Văn Thành", "034175001111"),
    PersonRecord(_P, "D-C1", "Đặng Thị Ngọc Lan", Sex.FEMALE, "1994-08-21", "Thái Bình",
                 "Đặng Thị Huyền Trang", "", "034194002222"),
    PersonRecord(_P, "H-M1", "Vi Thị Mận", Sex.FEMALE, "1970-03-02", "Lạng Sơn", "Vi Thị Lả", "Vi Văn Pảo",
                 "020170003333"),
    PersonRecord(_P, "H-F1", "Hoàng Văn Khiêm", Sex.MALE, "1968-12-24", "Lạng Sơn", "Nông Thị Dịu",
                 "Hoàng Văn Sằn", "020068004444"),
    PersonRecord(_P, "H-C1", "Hoàng Văn Phúc", Sex.MALE, "1996-01-10", "Lạng Sơn", "Vi Thị Mận",
                 "Hoàng Văn Khiêm", "020096005555"),
    PersonRecord(_P, "H-C2", "Hoàng Văn Lộc", Sex.MALE, "1996-01-10", "Lạng Sơn", "Vi Thị Mận",
                 "Hoàng Văn Khiêm", "020096006666"),
    PersonRecord(_P, "T-M1", "Trịnh Thị Thu Hà", Sex.FEMALE, "1980-07-15", "Nam Định", "Vũ Thị Oanh",
                 "Trịnh Văn Lực", "036180007777"),
    PersonRecord(_P, "T-F1", "Phan Văn Tùng", Sex.MALE, "1978-05-30", "Nam Định", "Đỗ Thị Gấm",
                 "Phan Văn Bảy", "036078008888"),
    PersonRecord(_P, "T-C1", "Trịnh Minh Khang", Sex.MALE, "2001-11-05", "Nam Định", "Trịnh Thị Thu Hà",
                 "Phan Văn Tùng", "036201009999"),
    PersonRecord(_P, "L-M1", "Lường Thị Ún", Sex.FEMALE, "1990-09-09", "Sơn La", "Lò Thị Pánh",
                 "Lường Văn Ín", "014190001212"),
    PersonRecord(_P, "L-C1", "Lường Thị Mai", Sex.FEMALE, "2012-04-18", "Sơn La", "Lường Thị Ún", "",
                 "014312001313"),
    # Namesakes and strangers, so linking has something to tell apart.
    PersonRecord(_P, "X-01", "Đặng Thị Lan", Sex.FEMALE, "1988-02-02", "Hà Nội", "Phạm Thị Cúc",
                 "Đặng Văn Toàn", "001188001414"),
    PersonRecord(_P, "X-02", "Hoàng Văn Phúc", Sex.MALE, "1979-06-06", "Cao Bằng", "Nông Thị Hiền",
                 "Hoàng Văn Đức", "004079001515"),
    PersonRecord(_P, "X-03", "Nguyễn Thị Mai", Sex.FEMALE, "2012-04-18", "Hà Nội", "Trần Thị Hoa",
                 "Nguyễn Văn Minh", "001312001616"),
]

# The children as their adoption files wrote them (source records of the adoption-file system).
FILE_RECORDS = [
    PersonRecord(Source.ADOPTION_FILE.value, "AF-1995-0142", "Đặng Thị Ngọc Lan", Sex.FEMALE, "1994-08-21",
                 "Thái Bình", "Đặng Thị Huyền Trang", ""),
    PersonRecord(Source.ADOPTION_FILE.value, "AF-1996-0311", "Hoàng Văn Phúc", Sex.MALE, "1996-01-10",
                 "Lạng Sơn", "Vi Thị Mận", "Hoàng Văn Khiêm"),
    PersonRecord(Source.ADOPTION_FILE.value, "AF-1996-0312", "Hoàng Văn Lộc", Sex.MALE, "1996-01-10",
                 "Lạng Sơn", "Vi Thị Mận", "Hoàng Văn Khiêm"),
    PersonRecord(Source.ADOPTION_FILE.value, "AF-2002-0077", "Trịnh Minh Khang", Sex.MALE, "2001-11-05",
                 "Nam Định", "Trịnh Thị Thu Hà", "Phan Văn Tùng"),
    PersonRecord(Source.ADOPTION_FILE.value, "AF-2013-0020", "Lường Thị Mai", Sex.FEMALE, "2012-04-18",
                 "Sơn La", "Lường Thị Ún", ""),
]

ADOPTION_FILES = [
    AdoptionFile("AF-1995-0142", "1995-03-02", "France",
                 "Left at the commune health station with a note asking for care; the mother was 19.",
                 "Asthma in childhood; no known hereditary condition.", mother_birth_date="1975-02-11"),
    AdoptionFile("AF-1996-0311", "1996-09-14", "Denmark",
                 "Relinquished by the parents, who could not raise twins; placed separately abroad.",
                 "Gestational diabetes during the pregnancy.", "Colour blindness.",
                 "1970-03-02", "1968-12-24"),
    AdoptionFile("AF-1996-0312", "1996-10-01", "United States",
                 "Relinquished by the parents, who could not raise twins; placed separately abroad.",
                 "Gestational diabetes during the pregnancy.", "Colour blindness.",
                 "1970-03-02", "1968-12-24"),
    # the file dates the father to the day: a name, a year and the child's province alone would leave him
    # to a steward (`matcher.singles_out`)
    AdoptionFile("AF-2002-0077", "2002-05-20", "Italy", "Relinquished by the mother after the father left.",
                 "No known condition.", "Not recorded.", "1980-07-15", "1978-05-30"),
    AdoptionFile("AF-2013-0020", "2013-11-11", "Canada", "Found at a social protection centre's gate.",
                 "Hepatitis B carrier.", mother_birth_date="1990-09-09"),
]

LIFE_EVENTS = [LifeEvent("H-M1", "death", "2015-06-01", "demo", RECORDED)]


def _consent(n: int, subject: str, kind: SubjectKind, scope: ConsentScope,
             choice: ConsentChoice) -> ConsentRecord:
    return ConsentRecord(f"{n:032x}", subject, kind, scope, choice, f"demo-evidence-{n}", "demo", RECORDED)


PARENT, RELATIVE = SubjectKind.BIRTH_PARENT, SubjectKind.RELATIVE
S, C = ConsentScope, ConsentChoice
CONSENTS = [
    _consent(1, "D-M1", PARENT, S.CONTACT, C.VETO),
    _consent(2, "D-M1", PARENT, S.MEDICAL_HISTORY, C.GRANT),
    _consent(3, "H-F1", PARENT, S.IDENTITY, C.GRANT),
    _consent(4, "H-F1", PARENT, S.MEDICAL_HISTORY, C.GRANT),
    _consent(5, "H-C2", RELATIVE, S.IDENTITY, C.GRANT),  # the twin Lộc agrees to be named to Phúc
    _consent(6, "T-M1", PARENT, S.IDENTITY, C.GRANT),
    _consent(7, "T-M1", PARENT, S.CONTACT, C.GRANT),
    _consent(8, "L-M1", PARENT, S.IDENTITY, C.GRANT),
    _consent(9, "L-M1", PARENT, S.MEDICAL_HISTORY, C.GRANT),
]


def load_demo_tracing(app: Any) -> int:
    """Store the demo families once (nothing when the first adoption file exists); returns files added.

    `app` needs `uow()` (a tracing unit of work) and `matcher`.
    """
    with app.uow() as uow:
        if uow.adoption_files.get(ADOPTION_FILES[0].file_ref) is not None:
            return 0
        uow.identities.add_many(IDENTITIES)
        for record in FILE_RECORDS:
            uow.records.upsert(record)
        for file in ADOPTION_FILES:
            uow.adoption_files.put(file)
        for event in LIFE_EVENTS:
            uow.adoption_files.add_life_event(event)
        for consent in CONSENTS:
            uow.consents.add(consent)
        uow.commit()
    app.matcher.add_identities(IDENTITIES)
    for record in FILE_RECORDS:  # as the adoption-file import would: link each child to the register
        match_record(record, app.matcher, app.uow())
    return len(ADOPTION_FILES)
