"""Question forms: what a question asks for, where its question word sits, and what it says about
the answer (the role, the place, the thing counted), read on the accent-free form so a question
typed with or without diacritics, in NFD or with old tone marks reads the same.

    form = question_form("Ai là Bí thư Đảng ủy phường Tân Mỹ?")
    form.kind == PERSON and form.role.head == ("bi", "thu") and form.places == (("phuong", "tan my"),)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .accentless import asks_dau, asks_may
from .normalize import canonical_tones, fold_chars, has_diacritics, nfc
from .units import QUESTION_WORDS_FOLDED, asked_unit, find_phrase, time_unit
from .who import holds_role, who_someone_is
from .words import fold_all

if TYPE_CHECKING:
    from .sentence_words import Word

PERSON, TIME, NUMBER, PLACE, ORGANIZATION = "person", "time", "number", "place", "organization"
ROLE, NAME, THING, REASON, MANNER = "role", "name", "thing", "reason", "manner"
KINDS = (PERSON, TIME, NUMBER, PLACE, ORGANIZATION, ROLE, NAME, THING, REASON, MANNER)
# Kinds whose answer is a short typed span ("factoid"): the others are answered by a clause.
FACTOID_KINDS = frozenset({PERSON, TIME, NUMBER, PLACE, ORGANIZATION, ROLE, NAME})

# Question phrases, accent-free, most specific first; `*` stands for any one word.
_ASKS: tuple[tuple[str, str], ...] = (
    (TIME, "tu khi nao|den khi nao|tu bao gio|den bao gio|khi nao|bao gio|luc nao|ngay nao|hom nao|nam nao|"
           "thang nao|tuan nao|quy nao|thoi gian nao|thoi diem nao|dip nao|may gio|gio nao|ngay bao nhieu|"
           "ngay may|thang may|nam may|phut may|phut thu may|ngay gi|sinh nam nao|ngay thang nam sinh|"
           "vao thoi gian nao"),
    (REASON, "vi sao|tai sao|vi dau|do dau|li do gi|ly do gi|li do nao|ly do nao|nguyen nhan gi|nguyen nhan nao|"
             "nguyen nhan|ly do|li do|de lam gi|nham muc dich gi|muc dich gi|muc dich"),
    (MANNER, "nhu the nao|the nao|ra sao|lam sao|bang cach nao|hinh thuc nao|cach nao|bang cach gi|theo cach nao"),
    (ROLE, "chuc vu gi|chuc vu nao|chuc gi|giu chuc|chuc danh gi|chuc danh nao|chuc danh|vai tro gi|cuong vi gi|"
           "cuong vi nao|cuong vi|lam nghe gi|nghe gi|la gi cua|lam gi o|lam gi tai|giu vi tri gi|vi tri gi"),
    (ORGANIZATION, "co quan nao|co quan gi|don vi nao|to chuc nao|to chuc gi|ban nao|so nao|bo nao|cuc nao|"
                   "cong ty nao|tong cong ty nao|doanh nghiep nao|ngan hang nao|hang nao|hang tin nao|dang nao|"
                   "bao nao|truong nao|doi nao|doi bong nao|cau lac bo nao|clb nao|tap doan nao|hoi dong gi|"
                   "hoi dong nao|nhom nao|dai nao|vien nao|benh vien nao|uy ban nao|hiep hoi nao|hoi nao|"
                   "lien doan nao|quy nao|to chuc quoc te nao|nha mang nao|nha xuat ban nao|nha thau nao|doi tac nao|"
                   "chu dau tu nao|don vi thi cong nao|hang xe nao|nha san xuat nao|hang san xuat nao"),
    (PLACE, "o dau|tai dau|tu dau|den dau|ve dau|di dau|noi nao|cho nao|dia diem nao|tinh nao|nuoc nao|"
            "thanh pho nao|quoc gia nao|duong nao|pho nao|phuong nao|quan nao|huyen nao|xa nao|thon nao|ap nao|"
            "lang nao|vung nao|khu vuc nao|khu nao|vinh nao|ga nao|san nao|dia chi|o noi nao|chau luc nao|bien nao|"
            "song nao|nui nao|dao nao|cang nao|cua khau nao|san bay nao|ben xe nao|thi tran nao|thi xa nao"),
    (NUMBER, "bao nhieu|bao nhiu|bao lau|bao xa|hang may|thu may|lan thu may"),
    (PERSON, "nguoi nao|vi nao|nhung ai|la nguoi nao|ho ten|ai"),
    (NAME, "ten goi la gi|ten goi|ten day du|ten la gi|ten gi|co ten|mang ten|goi la gi|viet tat|ky hieu|so hieu|"
           "ma so|bien so|ten nao"),
)
# Nouns that name a person ("chủ tiệm ... tên là gì" asks for a person's name).
_PERSON_NOUNS = frozenset(fold_all(
    "người ông bà anh chị cô thầy chú em cháu con vợ chồng bố mẹ cha chủ giám_đốc chủ_tịch tác_giả cầu_thủ "
    "huấn_luyện_viên hlv thủ_môn tiền_đạo ca_sĩ diễn_viên bệnh_nhân nạn_nhân tài_xế lái_xe phát_ngôn_viên "
    "đại_diện bí_thư phó thí_sinh học_sinh sinh_viên giáo_viên bác_sĩ nhà_báo phóng_viên tay_vợt vận_động_viên "
    "nghệ_sĩ kỹ_sư chiến_sĩ công_nhân nông_dân doanh_nhân ứng_viên ứng_cử_viên", joiner="_"))
_PERSON_NOUN_WORDS = max(len(noun.split()) for noun in _PERSON_NOUNS)
# Category nouns whose "X nào / X gì" asks for a name ("mô hình nào", "kênh nào").
_NAME_NOUN_TEXT = ("kế_hoạch mô_hình chương_trình mẫu_xe dòng_xe mẫu kênh nghị_định luật thông_tư quyết_định "
                   "tuyến giải danh_hiệu phim bài_hát sản_phẩm ứng_dụng dự_án chiến_dịch phong_trào sự_kiện "
                   "lễ_hội cuộc_thi nhà_máy công_trình giải_đấu tác_phẩm cuốn_sách sách tên_lửa tàu mạng "
                   "hệ_thống phần_mềm thương_hiệu nhãn_hiệu giống loài đề_án văn_bản chỉ_thị")
_NAME_NOUNS = fold_all(_NAME_NOUN_TEXT, joiner="_")
# As written: "màu gì" asks a colour, "mẫu nào" a model's name.
_NAME_NOUNS_WRITTEN = tuple(canonical_tones(noun.replace("_", " ")) for noun in _NAME_NOUN_TEXT.split())
# Words that never name what a question is about (function words, fillers, particles).
# The same words as written, which tell "thí sinh" from "thì", "quốc gia" from "giá", "độ" from "đó".
STOP_WRITTEN = frozenset(canonical_tones(w) for w in (
    "là có của và thì ở tại về đã đang sẽ được bị cho với như nào gì ai sao bao nhiêu mấy hay hoặc mà những các "
    "một trong trên dưới khi lúc này đó ấy đây kia vậy thế à nhỉ hả không chưa nữa còn rồi ra vào đến từ theo bởi "
    "vì nên nếu để cũng đều chỉ rất quá làm hiện nay hôm hiện tại việc cái sự nhiều ít").split())
# Accent-free, the words that are function words whatever their accents were; "dang" (đang, Đảng),
# "bi" (bị, Bí), "tu" (từ, tư), "den" (đến, đèn), "do" (đó, độ), "the" (thế, thể), "ma" (mà, mã),
# "hien" (hiện, hiền), "day" (đây, dây) and "con" (còn, con) may name what a question is about.
STOP = frozenset(
    "la co cua va thi o tai ve da se duoc cho voi nhu nao gi ai sao bao nhieu may hay hoac nhung cac "
    "mot trong tren duoi khi luc nay ay kia vay a nhi ha khong chua nua roi ra vao theo "
    "boi vi nen neu de cung deu chi rat qua lam nay hom tai viec cai su nhieu it".split())
# Words that change what a role is ("Phó Bí thư" is not "Bí thư").
ROLE_PREFIXES = frozenset("pho nguyen cuu quyen".split())
ROLE_QUALIFIERS = frozenset({"thuong truc", "thuong vu"})
ROLE_HEADS = tuple(sorted((tuple(head.split()) for head in (
    "bi thu", "tong bi thu", "chu tich", "giam doc", "tong giam doc", "truong ban", "truong phong", "to truong",
    "doi truong", "bo truong", "thu truong", "thu tuong", "tong thong", "chanh van phong", "chanh an", "vien truong",
    "hieu truong", "uy vien", "chu nhiem", "thu ky", "dai su", "tong thu ky", "cuc truong", "vu truong",
    "truong cong an", "chi huy truong", "tham muu truong", "tu lenh", "chinh uy", "hlv", "huan luyen vien",
    "phat ngon vien", "nguoi phat ngon", "thong doc", "chanh thanh tra", "truong khoa", "dieu phoi vien",
    "doi truong", "ban truong", "lanh dao", "chu nhiem uy ban", "giam doc so", "to pho", "doi pho", "truong",
    "giam doc dieu hanh", "chu tich hoi dong quan tri", "chu tich hdqt", "ceo", "tong cuc truong", "pho ban",
    "pho phong")),
    key=len, reverse=True))
# Bodies a role belongs to: "Chủ tịch UBND" is not "Chủ tịch HĐND".
ORGAN_WORDS = (("dang", "uy"), ("ubnd",), ("hdnd",), ("mttq",), ("uy", "ban", "nhan", "dan"),
               ("hoi", "dong", "nhan", "dan"), ("mat", "tran"), ("thanh", "uy"), ("tinh", "uy"), ("quan", "uy"),
               ("huyen", "uy"), ("dang", "bo"), ("quoc", "hoi"), ("chinh", "phu"))
PLACE_KINDS = fold_all("phường xã quận huyện tỉnh thành_phố tp thị_xã thị_trấn ấp thôn làng khu_phố miền", joiner="_")
# Kind words that, typed with accents, are often another word: "tính", "xa", "quan", "lăng".
_PLACE_KIND_ACCENTED = {"tinh": "tỉnh", "xa": "xã", "quan": "quận", "lang": "làng", "thon": "thôn", "ap": "ấp",
                        "huyen": "huyện", "phuong": "phường", "mien": "miền"}

_REGIONS = frozenset("bac trung nam tay dong".split())  # "miền Bắc", "miền Tây"

_WORDS = re.compile(r"\w+")


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in text.split("|"))


_ASK_PHRASES = tuple((kind, _phrases(text)) for kind, text in _ASKS)


@dataclass(frozen=True)
class RolePhrase:
    """A role named in a question: `Phó Bí thư Thường trực Đảng ủy phường Phú Thuận` is prefix
    ("pho",), head ("bi", "thu"), qualifiers ("thuong truc",), organ ("dang", "uy") and place."""

    prefix: tuple[str, ...]
    head: tuple[str, ...]
    qualifiers: frozenset[str]
    organ: tuple[str, ...] | None
    place: tuple[str, str] | None  # (kind, name), accent-free


@dataclass(frozen=True)
class QuestionForm:
    """How a question reads, accent-free (`words`), and what it asks for.

    Attributes:
        kind: one of `KINDS`, or None for a question that asks nothing particular.
        unit: for NUMBER and TIME, the unit the answer must carry (`area`, `people`, `year`...).
        counted: for NUMBER, the noun counted ("bao nhiêu cầu thủ" → ("cau", "thu")).
        ask: the word span `[start, end)` of the question phrase.
        focus: the noun the question word attaches to ("cơ chế gì" → ("co", "che")).
        content: the words that say what the question is about (no question or function words).
        role: the role it names, if any.
        places: the places it names, `(kind, name)`.
    """

    words: tuple[str, ...]
    kind: str | None
    unit: str | None = None
    counted: tuple[str, ...] = ()
    ask: tuple[int, int] = (0, 0)
    focus: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    role: RolePhrase | None = None
    places: tuple[tuple[str, str], ...] = ()
    plural: bool = False  # "những ai", "các cơ quan nào", "ba hãng tin nào": a list may answer
    before: tuple[str, ...] = field(default=(), repr=False)  # content words before the question phrase
    after: tuple[str, ...] = field(default=(), repr=False)  # and after it
    besides: int = 0  # words of an opening "Ngoài X," ("ngoài" included): what the question is not about
    written: tuple[str, ...] | None = field(default=None, repr=False, compare=False)  # as typed, canonical tones

    def index_before(self, word: str) -> int:
        """The position of the last `word` (accent-free) before the question phrase, or -1."""
        return max((i for i in range(self.ask[0]) if self.words[i] == word), default=-1)

    def same_word(self, index: int, word: Word) -> bool:
        """Whether the question's word `index` is the sentence word `word`: as written when both
        carry accents ("màu" is no "mẫu"), else accent-free."""
        if self.words[index] != word.folded:
            return False
        if self.written is not None and word.written != word.folded:
            return self.written[index] == word.written
        return True

    @property
    def factoid(self) -> bool:
        return self.kind in FACTOID_KINDS


# Words that end a compound with the word before them, so "X nào" asks for no organisation: "cơ sở nào"
# (a facility, not a department: "sở nào"), "cán bộ nào" (an official, not a ministry), "cơ hội nào".
_COMPOUND_ENDS = frozenset({("co", "so"), ("can", "bo"), ("toan", "bo"), ("co", "hoi"), ("xa", "hoi"),
                            ("le", "hoi"), ("thu", "vien")})


def _question_phrase(words: tuple[str, ...], names: frozenset[int] = frozenset()) -> tuple[str | None, int, int]:
    """The kind asked and the span of the first question phrase that says it; none opens inside a
    name (`names`: the positions of capitalised words after the first), so "tay vợt Việt Nam nào"
    asks for no year ("năm nào"), nor inside a compound ("cơ sở nào")."""
    best = None
    for kind, phrases in _ASK_PHRASES:
        for phrase in phrases:
            index = find_phrase(words, phrase)
            while index >= 0:
                inside_name = (index in names and index - 1 in names) \
                    or (index > 0 and (words[index - 1], words[index]) in _COMPOUND_ENDS)
                if not inside_name and (best is None or index < best[1]
                                        or (index == best[1] and len(phrase) > best[2] - best[1])):
                    best = (kind, index, index + len(phrase))
                    break
                index = find_phrase(words, phrase, index + 1)
    for index, word in enumerate(words):  # "mấy" and "đâu" alone
        # A number asked in words ("bao nhiêu") makes a bare "may" the machine: "may danh gia … bao nhieu phuong"
        if word == "may" and asks_may(words, index) and (best is None or (index < best[1] and best[0] != NUMBER)):
            kind = TIME if index and words[index - 1] in ("thang", "nam", "ngay", "gio", "phut") else NUMBER
            best = (kind, index - (kind == TIME), index + 1)
        if word == "dau" and asks_dau(words, index) and (best is None or index < best[1]):
            best = (PLACE, index, index + 1)
    if best is not None:
        return best
    for index, word in enumerate(words):  # "gì", "nào", "là gì" about a thing
        if word in ("gi", "nao"):
            start = index - 1 if index and words[index - 1] in ("nhung", "cai", "la") else index
            return THING, start, index + 1
    return None, 0, 0


# Words that end a role phrase; without accents, only those that are no other word ("dang" is also "Đảng").
_ROLE_ENDS = frozenset("với cho tại ở đến từ về khi làm nói là có đã đang sẽ được bị".split())
_ROLE_ENDS_ACCENT_FREE = frozenset("voi khi duoc".split())
_COUNT_WORDS = frozenset("hai ba bon nam sau bay tam chin muoi".split())


def role_phrase(words: tuple[str, ...], typed: tuple[str, ...] | None,
                capitals: tuple[bool, ...] | None = None) -> RolePhrase | None:
    """The role a question names: a role head with what qualifies it (`capitals` as for `places`)."""
    for index in range(len(words)):
        head = next((h for h in ROLE_HEADS if words[index:index + len(h)] == h), None)
        if head is None or (head == ("truong",) and index and words[index - 1] not in ROLE_PREFIXES):
            continue
        prefix = tuple(w for w in words[max(0, index - 1):index] if w in ROLE_PREFIXES)
        rest = words[index + len(head):index + len(head) + 8]
        qualifiers = frozenset(" ".join(rest[i:i + 2]) for i in range(len(rest) - 1)) & ROLE_QUALIFIERS
        organ = next((o for i in range(min(4, len(rest))) for o in ORGAN_WORDS if rest[i:i + len(o)] == o), None)
        after = index + len(head)
        # Its place is named within it, before a verb or a preposition ends it ("tổ trưởng tổ công tác
        # số 5 làm việc với phường Phú Thuận" is no tổ trưởng of Phú Thuận).
        accented = typed is not None and any(map(has_diacritics, typed))
        ends = [i for i in range(after, len(words))
                if (typed[i] in _ROLE_ENDS if accented else words[i] in _ROLE_ENDS_ACCENT_FREE)]
        end = ends[0] if ends else len(words)
        place = next(iter(places(words[after:end], typed[after:end] if typed else None,
                                 capitals[after:end] if capitals else None)), None)
        return RolePhrase(prefix, head, qualifiers, organ, place)
    return None


def places(words: tuple[str, ...], typed: tuple[str, ...] | None = None,
           capitals: tuple[bool, ...] | None = None) -> list[tuple[str, str]]:
    """The places named by a kind word and a name: `phường Tân Mỹ` → ("phuong", "tan my").
    `typed`: the words as typed, lower case, when they carry accents ("tính chuyện" is no "tỉnh");
    `capitals`: which words start with a capital, in a question written in sentence case, where a
    name does ("Phường kiến nghị gì?" names no place)."""
    found = []
    for index, word in enumerate(words):
        if typed is not None and word in _PLACE_KIND_ACCENTED and typed[index] != _PLACE_KIND_ACCENTED[word] \
                and any(ch != fold_chars(ch) for ch in typed[index]):
            continue
        for kind in PLACE_KINDS:
            kind_words = tuple(kind.split())
            after = index + len(kind_words)
            if words[index:after] == kind_words and words[after:][:1] != ("uy",):
                if capitals is not None and after < len(words) and not capitals[after]:
                    break
                name = []
                for position in range(after, min(len(words), after + 3)):
                    if words[position] in STOP or words[position] in QUESTION_WORDS_FOLDED \
                            or (capitals is not None and not capitals[position]):  # "tỉnh Nuristan tên …"
                        break
                    name.append(words[position])
                if name and (kind != "mien" or name[0] in _REGIONS):  # "mien thue" typed bare is "miễn thuế"
                    found.append((kind, " ".join(name[:2])))
                break
    return found


def _person_noun(words: tuple[str, ...], start: int = 0, end: int | None = None) -> bool:
    """Whether a noun naming a person ("chủ", "bố", "cầu thủ", "thuyền trưởng": any "-trưởng")
    starts at `start`, or ends right before `end` when given."""
    for length in range(1, _PERSON_NOUN_WORDS + 1):
        first = start if end is None else end - length
        if first < 0 or first + length > len(words):
            continue
        phrase = " ".join(words[first:first + length])
        # Any "-trưởng": "thuyền trưởng", "hiệu trưởng", and "trưởng" alone before the question word.
        if phrase in _PERSON_NOUNS or (length == 2 and phrase.endswith(" truong")) or \
                (end is not None and phrase == "truong"):
            return True
    return False


# Words after "Tên" that say which name, not of what ("Tên khác của …", "Tên gọi …", "Tên đầy đủ …").
_NAME_QUALIFIERS = frozenset("khac goi day that chinh rieng cu moi tieng".split())


def _asks_person(words: tuple[str, ...], kind: str | None, start: int, stop: tuple[bool, ...],
                 names: frozenset[int] = frozenset()) -> bool:
    """Whether a question asking for a name or "which …" asks for a person: "chủ tiệm tên là
    gì", "cầu thủ nào", "thí sinh khuyết tật nào" (a person noun opening the noun before "nào"),
    "tay vợt Việt Nam nào" (a person noun before the name that qualifies it)."""
    if kind == NAME:
        return (start > 0 and _person_noun(words, end=start)) or _person_noun(words)
    if kind != THING or not start or words[start] != "nao":
        return False
    noun_end = start
    while noun_end - 1 in names:
        noun_end -= 1
    if _person_noun(words, end=start) or (noun_end < start and _person_noun(words, end=noun_end)):
        return True
    # The noun phrase before "nào": its first word opens the question or follows a function word.
    first = next((i for i in range(start - 1, max(-1, start - 5), -1) if i == 0 or stop[i - 1]), None)
    return first is not None and _person_noun(words, first)


_BESIDES = re.compile(r"^\W*(?:ngoai|ben canh|ngoai ra)(?: viec)?\s+([^,?]+?)\s*(?:,|\s(?=con\s|thi\s))")


def _besides(folded: str) -> int:
    """How many words open the question with "Ngoài X," / "Bên cạnh X," (0 when it does not)."""
    match = _BESIDES.match(folded)
    return len(_WORDS.findall(match.group(0))) if match else 0


def _ends_with_noun(keys: tuple[str, ...], nouns: tuple[str, ...]) -> bool:
    """Whether `keys` end with one of `nouns`, every syllable of it ("nội dung" does not end with
    "ứng dụng", although both end with "dung" without accents)."""
    return any(tuple(keys[-len(parts):]) == parts for parts in (tuple(noun.split()) for noun in nouns))


@lru_cache(maxsize=2048)
def question_form(question: str) -> QuestionForm:
    """What `question` asks for and about what (see `QuestionForm`)."""
    question = nfc(question).replace("%", " phần trăm ")
    words = tuple(_WORDS.findall(fold_chars(question)))
    written = _WORDS.findall(question)
    typed = tuple(w.lower() for w in written) if len(written) == len(words) else None
    # Capitalised words after the first, in a question typed with capitals: names, not cue words.
    names = frozenset(i for i, w in enumerate(written) if i and w[:1].isupper()) if typed else frozenset()
    # Function words, told apart as written when the question has accents ("thí sinh" is no "thì").
    written_keys = tuple(canonical_tones(w) for w in typed) if typed and has_diacritics(question) else None
    stop = tuple(written_keys[i] in STOP_WRITTEN for i in range(len(words))) if written_keys else \
        tuple(w in STOP for w in words)
    kind, start, end = _question_phrase(words, names)
    # "Việc giữ lại mấy đường đèn thì giao sở nào đề xuất?": before "thì" is the topic, the question after it.
    then = next((i for i in range(end, len(words) - 1) if words[i] == "thi"
                 and (written_keys[i] == "thì" if written_keys else words[i + 1] != "sinh")), None)
    if kind is not None and then is not None:
        later = _question_phrase(words[then + 1:], frozenset(i - then - 1 for i in names if i > then))
        if later[0] is not None:
            kind, start, end = later[0], later[1] + then + 1, later[2] + then + 1
    unit, counted = asked_unit(words, start, end, stop, written_keys or words, written_keys is not None, names) \
        if kind == NUMBER else (None, ())
    if kind == TIME:
        unit = time_unit(words[start:end])
    # A question that starts with a capital is written in sentence case: its names have capitals.
    capitals = tuple(w[:1].isupper() or w[:1].isdigit() for w in written) \
        if typed and written[0][:1].isupper() else None
    role = role_phrase(words, typed, capitals)
    role = role if role is None or holds_role(words, role.prefix + role.head) else None
    # "Thống đốc tỉnh Nuristan tên là gì?": the name of who holds a role is a person's.
    if _asks_person(words, kind, start, stop, names) or (kind == NAME and role is not None and words[start] == "ten"):
        kind = PERSON
    if kind == PERSON and role is None and who_someone_is(words, start, end, names):
        kind = ROLE  # "Bà Nguyễn Thị Mỹ Hằng là ai?": who she is, the roles she holds
    focus: tuple[str, ...] = ()
    if kind in (THING, NAME, ORGANIZATION, PLACE) and start:
        focus = tuple(words[i] for i in range(max(0, start - 2), start) if not stop[i])
        keys, nouns = (written_keys, _NAME_NOUNS_WRITTEN) if written_keys else (words, _NAME_NOUNS)
        last = next((i for i in range(start - 1, max(-1, start - 3), -1) if not stop[i]), None)
        if kind == THING and last is not None and _ends_with_noun(keys[:last + 1], nouns):
            kind = NAME
        if kind in (ORGANIZATION, PLACE) and end - start >= 2 and words[end - 1] in ("nao", "gi"):
            focus = words[start:end - 1]  # "ngân hàng nào", "cảng nào": the noun is in the question phrase
        noun_end = next((i for i in range(1, min(4, start)) if stop[i] or words[i] == "cua"), min(3, start))
        if kind in (THING, NAME) and words[0] == "ten" and words[start:end] == ("la", "gi") and noun_end > 1 \
                and words[1] not in _NAME_QUALIFIERS:
            kind, focus = NAME, words[1:noun_end]  # "Tên thuộc địa … là gì?": the name of a "thuộc địa"
    # "Ngoài X, … còn … gì?": X is what the question does not ask about.
    besides = _besides(fold_chars(question))
    stop = tuple(stop[i] or i < besides for i in range(len(words)))
    content = tuple(w for i, w in enumerate(words) if not start <= i < end and not stop[i])
    before = tuple(words[i] for i in range(start) if not stop[i])
    after = tuple(words[i] for i in range(end, len(words)) if not stop[i])
    # "những ai", "hai người nào", and a question opening with a count: "Hai đối thủ … là ai?"
    plural = any(w in ("nhung", "cac") for w in words[max(0, start - 3):end]) or \
        any(w in _COUNT_WORDS for w in words[max(0, start - 3):start]) or \
        (start > 1 and words[0] in _COUNT_WORDS and words[0] != "nam" and not stop[1])
    # No place is named by the question phrase ("cho bà Huyền ngày nào" typed "ba huyen ngay nao").
    masked = tuple("nao" if start <= i < end else w for i, w in enumerate(words))
    named_places = places(masked[besides:], typed[besides:] if typed else None,
                          capitals[besides:] if capitals else None)
    return QuestionForm(words, kind, unit, counted, (start, end), focus, content, role,
                        tuple(named_places), plural, before, after, besides, written_keys)
