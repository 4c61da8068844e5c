"""The console's words: Vietnamese first (stewards are Vietnamese officials), English available."""

from __future__ import annotations

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Hàng đợi thẩm định liên kết", "en": "Linkage review queue"},
    "sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "token_label": {"vi": "Mã truy cập (từ `linkage token issue`)",
                    "en": "Access token (from `linkage token issue`)"},
    "token_refused": {"vi": "Mã truy cập không hợp lệ hoặc đã hết hạn.",
                      "en": "The token is invalid or expired."},
    "queue": {"vi": "Hàng đợi", "en": "Queue"},
    "open_cases": {"vi": "hồ sơ chờ xử lý", "en": "cases waiting"},
    "decided_today": {"vi": "đã quyết định hôm nay", "en": "decided today"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "record": {"vi": "Hồ sơ", "en": "Record"},
    "priority": {"vi": "Ưu tiên", "en": "Priority"},
    "probability": {"vi": "Xác suất", "en": "Probability"},
    "conflicts": {"vi": "Xung đột", "en": "Conflicts"},
    "age": {"vi": "Tuổi hồ sơ", "en": "Age"},
    "state": {"vi": "Trạng thái", "en": "State"},
    "held_by": {"vi": "Đang do", "en": "Held by"},
    "filter": {"vi": "Lọc", "en": "Filter"},
    "all": {"vi": "Tất cả", "en": "All"},
    "empty_queue": {"vi": "Không còn hồ sơ nào. Cảm ơn!", "en": "Nothing left in the queue. Thank you!"},
    "start": {"vi": "Bắt đầu (phím Enter)", "en": "Start (Enter key)"},
    "case": {"vi": "Hồ sơ thẩm định", "en": "Review case"},
    "source_record": {"vi": "Hồ sơ nguồn", "en": "Source record"},
    "candidate": {"vi": "Công dân ứng viên", "en": "Candidate identity"},
    "field": {"vi": "Trường", "en": "Field"},
    "weights": {"vi": "Trọng số theo trường", "en": "Per-field weights"},
    "other_candidates": {"vi": "Các ứng viên khác", "en": "Other candidates"},
    "history": {"vi": "Lịch sử liên kết của người này", "en": "This person's links"},
    "decisions": {"vi": "Lịch sử quyết định", "en": "Decision history"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "match": {"vi": "Trùng khớp", "en": "Match"},
    "non_match": {"vi": "Không khớp", "en": "Not a match"},
    "unsure": {"vi": "Chưa chắc", "en": "Unsure"},
    "escalate": {"vi": "Chuyển lên cấp trên", "en": "Escalate"},
    "undo": {"vi": "Hoàn tác", "en": "Undo"},
    "shortcuts": {"vi": "Phím tắt: M trùng khớp · N không khớp · U chưa chắc · E chuyển cấp trên · "
                        "Z hoàn tác · Q hàng đợi",
                  "en": "Shortcuts: M match · N not a match · U unsure · E escalate · Z undo · Q queue"},
    "default_reason_match": {"vi": "Các trường chính khớp", "en": "Key fields agree"},
    "default_reason_non_match": {"vi": "Các trường chính khác nhau", "en": "Key fields disagree"},
    "default_reason_unsure": {"vi": "Không đủ thông tin để quyết định", "en": "Not enough to decide"},
    "default_reason_escalate": {"vi": "Cần cán bộ cấp trên xem xét", "en": "Needs a senior steward"},
    "legend": {"vi": "Vàng: khác dấu thanh/dấu phụ · Đỏ: khác chữ",
               "en": "Yellow: tone or diacritic · Red: letters"},
    "denied": {"vi": "Bạn không có quyền thực hiện thao tác này.", "en": "You may not do this."},
    "conflict": {"vi": "Hồ sơ đã thay đổi hoặc đang do người khác xử lý; không có gì bị mất.",
                 "en": "The case changed or another steward holds it; nothing was lost."},
    "lease_until": {"vi": "Giữ đến", "en": "Held until"},
    "no_record": {"vi": "(không đọc được hồ sơ)", "en": "(record unavailable)"},
    "decided": {"vi": "Đã quyết định", "en": "Decided"},
    "language": {"vi": "English", "en": "Tiếng Việt"},
    "full_name": {"vi": "Họ và tên", "en": "Full name"},
    "sex": {"vi": "Giới tính", "en": "Sex"},
    "birth_date": {"vi": "Ngày sinh", "en": "Date of birth"},
    "birth_place": {"vi": "Nơi sinh", "en": "Place of birth"},
    "mother_name": {"vi": "Họ tên mẹ", "en": "Mother's name"},
    "father_name": {"vi": "Họ tên cha", "en": "Father's name"},
    "pid": {"vi": "Số định danh", "en": "Personal number"},
    "progress": {"vi": "Tiến độ", "en": "Progress"},
    "src_abandoned_intake": {"vi": "Tiếp nhận trẻ bị bỏ rơi", "en": "Abandoned-child intake"},
    "src_trace_request": {"vi": "Yêu cầu tìm nguồn gốc", "en": "Origin-trace request"},
    "src_child_registry": {"vi": "CSDL bảo vệ trẻ em", "en": "Child-protection database"},
    "src_adoption_file": {"vi": "Hồ sơ nuôi con nuôi", "en": "Adoption file"},
    "src_population": {"vi": "CSDL dân cư", "en": "Population database"},
    "undo_last": {"vi": "Hoàn tác quyết định vừa rồi", "en": "Undo the last decision"},
    "decided_by": {"vi": "Quyết định bởi", "en": "Decided by"},
    "none": {"vi": "Không có", "en": "None"},
    "compare": {"vi": "So sánh", "en": "Compare"},
    "not_found": {"vi": "Không tìm thấy hồ sơ này.", "en": "No such case."},
    "invalid": {"vi": "Dữ liệu gửi lên không hợp lệ", "en": "Invalid input"},
}


def translator(language: str):  # noqa: ANN201 - a plain callable for templates
    """`t("key")` in the chosen language; an unknown key shows itself so a gap is visible, not hidden."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def t(key: str) -> str:
        entry = _TEXT.get(key)
        return entry[language] if entry else key

    return t
