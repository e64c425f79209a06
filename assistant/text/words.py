"""Word lists of Vietnamese as the news writes it: common and question words, surnames, place
names, and the English function words that mark a question typed in English."""

from __future__ import annotations

from .normalize import fold, fold_chars

# Common words every question may use even when the articles do not (question words, function
# words): a weak prior, outweighed by any count from the corpus itself.
COMMON_WORDS = (
    "ai gì nào đâu bao nhiêu mấy khi nào lúc nào tại sao vì sao thế nào như thế nào là của và có "
    "được cho với các những một trong không này đã để người từ đến về theo như năm tại ra vào sẽ "
    "cũng thì đó mà rằng còn rất đang vẫn lại đều chỉ cùng bị nên nếu hay hoặc ở trên dưới sau "
    "trước giữa làm gồm thuộc tên gọi ngày tháng số lượng bằng hơn nhất đầu tiên cuối điều chức vụ "
    "thành phố nước Việt Nam ông bà anh chị họ nó chúng tôi bạn việc nhằm giúp đề nghị kiến nghị "
    "đâu bao lâu xảy diễn thế giới quốc gia lịch sử chính phủ"
)
# Interrogatives and question particles: they never appear in an answer.
QUESTION_WORDS = frozenset("ai gì nào đâu bao nhiêu mấy sao chăng hả nhỉ không chưa vậy thế".split())
# Common Vietnamese surnames, accent-free. Only capitalised syllables count as a name where these
# are used, so folding costs little precision and lets accent-free and accented names meet.
SURNAMES = frozenset(fold(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Châu Đinh Lâm Mai Trương "
    "Đoàn Tô Cao Hà Lương Tạ Trịnh Đào Kiều Thái Tăng Lưu Quách Văn Tiêu Giang Mạc Chu Khổng Triệu Âu Vương "
    "Nghiêm Phùng Tôn Thân Diệp Hứa Lục Lã Doãn Đàm Kim Thạch Khúc").split())

# Places a capitalised run of words often names in the news: the provinces (before and after the
# 2025 merger), regions, and countries as Vietnamese writes them. Accent-free; a run is a place only
# when it is one of these whole ("Việt Nam", "Hồng Kông"), never because it contains one ("Mỹ Hằng").
# "Hồ Chí Minh" is left out: it is a person as often as the city.
PLACE_NAMES = frozenset(fold(line.strip()) for line in """
An Giang|Bà Rịa Vũng Tàu|Bắc Giang|Bắc Kạn|Bạc Liêu|Bắc Ninh|Bến Tre|Bình Định|Bình Dương|Bình Phước|Bình Thuận
Cà Mau|Cần Thơ|Cao Bằng|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai|Đồng Tháp|Gia Lai|Hà Giang|Hà Nam|Hà Nội
Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|Hòa Bình|Hưng Yên|Khánh Hòa|Kiên Giang|Kon Tum|Lai Châu|Lâm Đồng|Lạng Sơn
Lào Cai|Long An|Nam Định|Nghệ An|Ninh Bình|Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|Quảng Ninh
Quảng Trị|Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|Thừa Thiên Huế|Huế|Tiền Giang|Trà Vinh
Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái|Sài Gòn|Tây Nguyên|Đông Nam Bộ|Tây Nam Bộ|Đồng bằng sông Cửu Long
Việt Nam|Trung Quốc|Hồng Kông|Đài Loan|Ma Cao|Nhật Bản|Hàn Quốc|Triều Tiên|Hoa Kỳ|Mỹ|Nga|Anh|Pháp|Đức|Ý
Tây Ban Nha|Bồ Đào Nha|Hà Lan|Bỉ|Thụy Sĩ|Thụy Điển|Na Uy|Đan Mạch|Phần Lan|Ba Lan|Ukraine|Ấn Độ|Thái Lan|Lào
Campuchia|Malaysia|Singapore|Indonesia|Philippines|Myanmar|Brunei|Úc|New Zealand|Canada|Mexico|Brazil
Argentina|Iran|Iraq|Israel|Ai Cập|Thổ Nhĩ Kỳ|Ả Rập Xê Út|Qatar|Triều Tiên|Châu Á|Châu Âu|Châu Phi|Đông Nam Á
Trung Đông|Biển Đông""".replace("\n", "|").split("|") if line.strip())


# Function words that mark an English question typed into a Vietnamese archive.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the a an of to in on for with about what which who whom whose when where why how is are was were "
    "did does do has have had can could would should will be been this that these those from by".split())


def fold_all(words: str, joiner: str = " ") -> tuple[str, ...]:
    """Accent-free forms of a space-separated word list; with `joiner`, the words of one entry are
    joined by it ("kế_hoạch" is the phrase "ke hoach")."""
    return tuple(fold_chars(word).replace(joiner, " ") if joiner != " " else fold_chars(word)
                 for word in words.split())
