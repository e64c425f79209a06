"""Units: what a "how much / how many" question measures or counts ("rộng bao nhiêu" an area, "bao
nhiêu thí sinh" people, "tỷ lệ … bao nhiêu" a percentage) and what form of time a "when" asks for,
read from the question's words accent-free or as written."""

from __future__ import annotations

import re

from .normalize import canonical_tones
from .words import QUESTION_WORDS, fold_all


def find_phrase(words: tuple[str, ...], phrase: tuple[str, ...], start: int = 0) -> int:
    for index in range(start, len(words) - len(phrase) + 1):
        if words[index:index + len(phrase)] == phrase:
            return index
    return -1


_UNIT_CUE_WORDS = (
    ("percent", "tỷ_lệ tỉ_lệ phần_trăm lãi_suất"),
    ("age", "tuổi"),
    ("money", "tiền giá chi_phí kinh_phí lương doanh_thu lợi_nhuận lãi vốn ngân_sách thu_nhập trị_giá giá_trị thuế "
              "phí tốn đồng usd đô_la euro"),
    ("duration", "lâu ngày tháng năm giờ phút tuần tiếng"),
    ("area", "rộng diện_tích m2 km2 hecta ha mét_vuông"),
    ("length", "dài cao xa sâu chiều_dài chiều_cao mét m km cây_số cm"),
    ("weight", "nặng trọng_lượng khối_lượng kg tấn ký"),
    ("power", "công_suất"),
    ("temperature", "nhiệt_độ"),
    ("storage", "dung_lượng"),
    ("people", "dân_số"),
)
# Cue words that, typed without accents, are more often another word ("lai" is mostly "lại").
_WRITTEN_ONLY = frozenset({"lãi"})
# Cue words by unit, accent-free (for questions typed without accents) and as written.
_UNIT_CUES = tuple((unit, fold_all(" ".join(c for c in cues.split() if c not in _WRITTEN_ONLY), joiner="_"))
                   for unit, cues in _UNIT_CUE_WORDS)
# Their words, accent-free: a question's "rộng", "nặng", "công suất" are seldom said by its answer ("gần 12.000 m²").
UNIT_CUE_WORDS = frozenset(word for _unit, cues in _UNIT_CUES for cue in cues for word in cue.split())
_UNIT_CUES_WRITTEN = tuple((unit, tuple(canonical_tones(c.replace("_", " ")) for c in cues.split()))
                           for unit, cues in _UNIT_CUE_WORDS)
# The words that name a measure, accent-free, by unit: a sentence giving an area ("diện tích 5 ha")
# says what "rộng bao nhiêu" asks, a length ("dài 842 m") what "cao bao nhiêu" does. Not money's
# ("doanh thu" is no "lợi nhuận") nor people's (what is counted: "học sinh" are no "giáo viên").
MEASURE_WORDS = {unit: frozenset(word for cue in cues for word in cue.split())
                 for unit, cues in _UNIT_CUES if unit not in ("money", "people")}


_ONE_UNIT = re.compile(r"1[a-z]+\d?")  # "1kg", "1m2"


def asked_unit(words: tuple[str, ...], start: int, end: int, stop: tuple[bool, ...], keys: tuple[str, ...],
          written: bool, names: frozenset[int] = frozenset()) -> tuple[str | None, tuple[str, ...]]:
    """For a NUMBER question, the unit asked and the noun counted: named right after the question
    phrase ("bao nhiêu tiền", "mấy cầu thủ") or, when nothing follows, just before it ("rộng bao
    nhiêu"). `keys` are the words compared with cue words: as written when `written`, else accent-free."""
    if words[start:end] == ("bao", "lau"):
        return "duration", ()
    if words[start:end] == ("bao", "xa"):
        return "length", ()
    if words[start] in ("thu", "hang") or words[start:end] == ("lan", "thu", "may") or words[start - 2:start] == \
            ("ty", "so"):
        return None, ()  # "thứ mấy", "hạng mấy": a rank, "tỷ số bao nhiêu": a score, of no unit
    after = [i for i in range(end, min(len(words), end + 3)) if words[i] not in ("cai", "chiec", "nhung", "cac")]
    if after and (words[after[0]] in ("1", "mot", "moi") or _ONE_UNIT.fullmatch(words[after[0]])):
        after = []  # "giá bao nhiêu một chậu", "… 1kg": a rate per chậu, the measure is named before ("giá")
    if len(after) == 1 and words[after[0]] not in _PARTICLES:
        pass  # the question's last word: what is counted ("nghiêng bao nhiêu độ"), even if it is also a function word
    elif after and stop[after[0]] and words[after[0]] != "nguoi":
        after = []
    # The cue may stand a few words back ("chiều cao yên … bao nhiêu"), never in a name ("Lý Hoàng Nam").
    before = tuple(keys[i] for i in range(start) if not stop[i] and i not in names)[-UNIT_CUE_WINDOW:]
    # "Tỷ lệ cử tri đi bỏ phiếu … là bao nhiêu": the measure opens the question; "Năm 2016 … được bao
    # nhiêu" opens with a year, no measure.
    subject = tuple(keys[:2]) if len(keys) < 2 or not keys[1][:1].isdigit() else ()
    cues = _UNIT_CUES_WRITTEN if written else _UNIT_CUES
    if not after:
        for unit, cue_words in ((unit, tuple(cue.split())) for unit, unit_cues in cues for cue in unit_cues):
            if subject[:len(cue_words)] == cue_words:
                return unit, ()
    for unit, unit_cues in cues:
        for cue in unit_cues:
            cue_words = tuple(cue.split())
            if after and tuple(keys[i] for i in after[:len(cue_words)]) == cue_words:
                return unit, tuple(words[i] for i in after[:len(cue_words)])
    if not after:  # the cue nearest the question phrase: "… giá 28 triệu đồng, xe nặng bao nhiêu" weighs;
        # a time word only when no other cue is said ("lương tháng bao nhiêu" is money)
        said = [(unit != "duration", _last_at(before, tuple(cue.split())), unit)
                for unit, unit_cues in cues for cue in unit_cues]
        _other, at, unit = max(((o, a, u) for o, a, u in said if a >= 0), default=(False, -1, None))
        if at >= 0:
            return unit, ()
    if after:
        counted = []
        for i in after:
            if (stop[i] and len(after) > 1) or words[i] in QUESTION_WORDS_FOLDED or words[i] in _PARTICLES:
                break
            counted.append(words[i])
        return ("people" if counted and counted[0] in PEOPLE_NOUNS else None), tuple(counted[:2])
    return None, ()


def _last_at(words: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    """Where `phrase` last ends in `words`, -1 if nowhere."""
    return max((i + len(phrase) for i in range(len(words) - len(phrase) + 1) if words[i:i + len(phrase)] == phrase),
               default=-1)


UNIT_CUE_WINDOW = 5  # content words before "bao nhiêu" that may name the unit
_PARTICLES = frozenset("a nhi ha vay the khong chua roi nua day ay".split())
QUESTION_WORDS_FOLDED = frozenset(fold_all(" ".join(QUESTION_WORDS)))
PEOPLE_NOUNS = frozenset(w.split()[0] for w in fold_all(
    "người dân nhân_khẩu cử_tri hành_khách khán_giả đại_biểu thí_sinh học_sinh sinh_viên công_nhân lao_động "
    "bệnh_nhân nạn_nhân thuyền_viên thủy_thủ cán_bộ công_chức viên_chức đảng_viên giáo_viên bác_sĩ chiến_sĩ "
    "nhân_viên thành_viên khách_hàng cầu_thủ vận_động_viên binh_sĩ lính hộ trẻ em", joiner="_"))


def time_unit(phrase: tuple[str, ...]) -> str | None:
    """What form of time a question phrase asks for: a `date`, a `month`, a `year`, a `clock` time
    or a `minute` of a match."""
    if "bao" in phrase:
        return None  # "bao giờ" is "when", no clock time
    for word, unit in (("gio", "clock"), ("phut", "minute"), ("nam", "year"), ("thang", "month"), ("ngay", "date"),
                       ("hom", "date")):
        if word in phrase:
            return unit
    return None
