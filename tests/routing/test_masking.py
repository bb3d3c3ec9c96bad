"""routing/masking.py: personal data as people really write it is hidden; dates, amounts,
article numbers, times and hotlines stay readable."""
import pytest

from routing.masking import (
    ADDRESS_MASK, CARD_MASK, CODE_MASK, EMAIL_MASK, ID_MASK, PHONE_MASK, QQ_MASK, WECHAT_MASK, for_viewer, mask,
)
from routing.models import Handoff, User

WRITTEN = [
    # continuation codes: whoever sends one takes her request (assistant_contract.continuation)
    ("你的接续码是：7KQ2M-XD94P\n在别的地方发给我", f"你的接续码是：{CODE_MASK}\n在别的地方发给我"),
    ("接续码 7kq2m xd94p", f"接续码 {CODE_MASK}"),
    ("我的接續碼是7KQ2MXD94P", f"我的接續碼是{CODE_MASK}"),
    ("这个 Q3WZ8-M1KTD 帮我接上", f"这个 {CODE_MASK} 帮我接上"),
    # mobiles, however they are spaced or written
    ("我的电话13812345678", f"我的电话{PHONE_MASK}"),
    ("打138 1234 5678找我", f"打{PHONE_MASK}找我"),
    ("138-1234-5678", PHONE_MASK),
    ("手机138.1234.5678", f"手机{PHONE_MASK}"),
    ("138．1234．5678", PHONE_MASK),
    ("138·1234·5678", PHONE_MASK),
    ("1 3 8 1 2 3 4 5 6 7 8", PHONE_MASK),
    ("１３８１２３４５６７８", PHONE_MASK),
    ("１３８　１２３４　５６７８", PHONE_MASK),
    ("一三八一二三四五六七八", PHONE_MASK),
    ("幺三八幺二三四五六七八", PHONE_MASK),
    ("一三八 一二三四 五六七八", PHONE_MASK),
    ("138一二三四5678", PHONE_MASK),
    ("壹叁捌壹贰叁肆伍陆柒捌", PHONE_MASK),
    ("+86 138 1234 5678", PHONE_MASK),
    ("0086-13812345678", PHONE_MASK),
    ("+86-139-1234-5678", PHONE_MASK),
    ("电话：15912345678，晚上打", f"电话：{PHONE_MASK}，晚上打"),
    # landlines and numbers she calls her own
    ("座机(020)87654321", f"座机{PHONE_MASK}"),
    ("（０２０）８７６５　４３２１", PHONE_MASK),
    ("单位电话0757-22334455转8", f"单位电话{PHONE_MASK}转8"),
    ("020-12345678-801", PHONE_MASK),
    ("家里电话87654321", f"家里电话{PHONE_MASK}"),
    ("QQ：12345678", f"QQ：{QQ_MASK}"),
    # ID numbers
    ("身份证44010619900101123X", f"身份证{ID_MASK}"),
    ("身份证号 440106 19900101 1234", f"身份证号 {ID_MASK}"),
    ("４４０１０６１９９００１０１１２３ｘ", ID_MASK),
    # WeChat ids
    ("微信号：wxid_abc12345", f"微信号：{WECHAT_MASK}"),
    ("加我微信 lily_chen88", f"加我微信 {WECHAT_MASK}"),
    ("微信：Lily-2024", f"微信：{WECHAT_MASK}"),
    ("vx: Lily2024", f"vx: {WECHAT_MASK}"),
    ("VX号 abc_12345", f"VX号 {WECHAT_MASK}"),
    ("V信 lily2024", f"V信 {WECHAT_MASK}"),
    ("wx：abcde123", f"wx：{WECHAT_MASK}"),
    ("加V abcdef1", f"加V {WECHAT_MASK}"),
    ("WeChat: lily_2024", f"WeChat: {WECHAT_MASK}"),
    ("我的wxid_7h3k9s2m2x22", f"我的{WECHAT_MASK}"),
    # e-mail
    ("邮箱lily.chen@example.com", f"邮箱{EMAIL_MASK}"),
    ("发到 abc+case@163.com 吧", f"发到 {EMAIL_MASK} 吧"),
    ("ｌｉｌｙ＠ｑｑ．ｃｏｍ", EMAIL_MASK),
    # bank cards
    ("工资卡6222 0212 3456 7890 123", f"工资卡{CARD_MASK}"),
    ("卡号6222-0212-3456-7890", f"卡号{CARD_MASK}"),
    ("6222021234567890123", CARD_MASK),
    ("卡号 6217 0000 1234 5678 转账", f"卡号 {CARD_MASK} 转账"),
    # addresses and rooms
    ("我住在天河区林和西路123号2栋501室", f"我住在天河区{ADDRESS_MASK}"),
    ("地址：顺德区大良街道建设大道8号之一", f"地址：顺德区{ADDRESS_MASK}"),
    ("住幸福花园3栋502房", f"住{ADDRESS_MASK}"),
    ("娘家在东村12巷5号", f"娘家在{ADDRESS_MASK}"),
    ("住502室", f"住{ADDRESS_MASK}"),
    ("娘家3栋502", f"娘家{ADDRESS_MASK}"),
    ("1单元302", ADDRESS_MASK),
    ("3栋2单元502室", ADDRESS_MASK),
    ("12号楼1203", ADDRESS_MASK),
    ("B座1203", ADDRESS_MASK),
    ("租的1203房", f"租的{ADDRESS_MASK}"),
]

KEPT = [
    "2024-03-15", "2024年3月15日", "二〇二四年三月十五日", "2024-03-15 10:30", "10:30见", "上午9:45",
    "欠了50000元", "借了5万元", "彩礼18万要退吗", "工资3000元", "第1079条", "民法典第一千零七十九条",
    "拨打12338或110", "急救打120", "12345热线", "心理援助热线12356", "反诈96110", "法律服务12348", "打电话12338",
    "孩子3岁", "产假98天", "林和街道妇联在哪", "两室一厅", "3室2厅", "住在3楼", "小区有5栋楼", "一共三千元",
    "18岁", "身高165", "hello-world", "COVID-19", "案号（2024）粤0606民初123号", "85%的人", "2023年第3季度",
]


@pytest.mark.parametrize("text, expected", WRITTEN)
def test_personal_data_is_masked_however_it_is_written(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_dates_amounts_articles_times_and_hotlines_stay(text):
    assert mask(text) == text


def test_there_are_at_least_forty_written_variants():
    assert len(WRITTEN) >= 40 and len(KEPT) >= 20


def test_masking_twice_changes_nothing_more():
    text = "电话138.1234.5678，微信 lily_chen88，住502室"
    assert mask(mask(text)) == mask(text)


def test_a_whole_message_loses_every_piece_and_keeps_the_rest():
    text = ("我叫小芳，电话一三八一二三四五六七八，微信号：lily_chen88，邮箱lily@example.com，"
            "2024年3月15日他打了我，欠我50000元，我想问第1079条，也打过12338")
    masked = mask(text)
    assert masked == (f"我叫小芳，电话{PHONE_MASK}，微信号：{WECHAT_MASK}，邮箱{EMAIL_MASK}，2024年3月15日他打了我，欠我50000元，"
                      "我想问第1079条，也打过12338")


def test_for_viewer_shows_her_words_only_to_the_holder_and_admins():
    handoff = Handoff(assignee_id=7, department_id="rights")
    text = "电话138.1234.5678"
    assert for_viewer(text, User(id=7, role="expert", department_id="rights"), handoff) == text
    assert for_viewer(text, User(id=1, role="admin"), handoff) == text
    for viewer in (User(id=8, role="expert", department_id="rights"), User(id=2, role="supervisor"),
                   User(id=3, role="staff")):
        assert for_viewer(text, viewer, handoff) == f"电话{PHONE_MASK}"
    assert for_viewer(None, User(id=3, role="staff"), handoff) == ""
