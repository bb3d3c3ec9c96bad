"""A small knowledge folder for tests that must not depend on the real content."""
from pathlib import Path

import yaml


def faq_item(entry_id, category, question, paraphrases, answer):
    return {"id": entry_id, "category": category, "question": question, "paraphrases": paraphrases,
            "answer": answer, "references": ["《中华人民共和国反家庭暴力法》第二十三条"],
            "next_step": "可拨打12338。", "checked": "2026-11-30"}


FAQ = [
    faq_item("legal.dv.protection_order", "legal", "怎么申请人身安全保护令？",
             ["保护令去哪里申请", "保护令怎么办理", "人身安全保护令要钱吗", "保护令多久批", "保护令找哪个法院", "申请保护令要什么材料"],
             "可以向基层人民法院申请人身安全保护令，不收费。"),
    faq_item("legal.divorce.child_support", "legal", "抚养费怎么算？",
             ["抚养费给多少", "对方不给抚养费", "抚养费标准", "抚养费到几岁", "前夫不付抚养费", "抚养费能要多少"],
             "一般按月总收入的百分之二十至三十给付。"),
    faq_item("family_education.phone_addiction", "family_education", "孩子沉迷手机游戏怎么办？",
             ["孩子天天玩手机", "个仔成日打机", "孩子游戏上瘾", "手机不离手", "孩子刷短视频停不下来", "怎么管孩子玩手机"],
             "和孩子一起商量使用规则，开启未成年人模式。"),
]
CASES = [
    {"id": "case.legal.001", "title": "遭受家暴后申请人身安全保护令", "category": "legal",
     "tags": ["家庭暴力", "保护令"], "situation": "陈女士多次被丈夫殴打，在妇联帮助下向法院申请人身安全保护令。",
     "action": "妇联陪同申请，律师协助整理证据。", "outcome": "法院24小时内作出保护令。",
     "legal_basis": ["《中华人民共和国反家庭暴力法》第二十三条"], "checked": "2026-11-30"},
    {"id": "case.entrepreneurship.001", "title": "全职妈妈申请创业担保贷款开网店", "category": "entrepreneurship",
     "tags": ["创业担保贷款", "网店"], "situation": "小林在家带孩子，想开网店卖手工制品，缺少启动资金。",
     "action": "人社部门审核后发放创业担保贷款。", "outcome": "网店开业。",
     "legal_basis": ["《中华人民共和国就业促进法》第七条"], "checked": "2026-11-30"},
]


def write_knowledge(folder: Path, faq=FAQ, cases=CASES) -> Path:
    (folder / "faq").mkdir(parents=True, exist_ok=True)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    (folder / "faq" / "all.yml").write_text(yaml.safe_dump({"faq": faq}, allow_unicode=True), encoding="utf-8")
    (folder / "cases" / "all.yml").write_text(yaml.safe_dump({"cases": cases}, allow_unicode=True), encoding="utf-8")
    return folder
