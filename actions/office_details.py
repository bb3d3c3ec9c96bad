"""One detail of the federation office she was just shown: its hours, phone or address.

"返工时间系几点", "有电话吗", "坐地铁能到吗" after the office card ask about that office;
the answer is the detail, not the whole card again. Shared by the office action and the
answering action (so neither imports the other).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional
from urllib.parse import quote

from actions.routing_protocol import OfficeDirectory

HOTLINE = "12338"
SAFETY_LINE = "去之前最好先打电话确认。如果遇到危险，请先拨打110。"
GETTING_THERE = r"地铁|地鐵|公交|巴士|坐车|坐車|搭车|打车|开车|停车|怎么到|能到|远不远|多远|导航|導航|路线|路線"
OFFICE_DETAIL = re.compile(r"几点|幾點|时间|時間|上班|返工|开门|開門|关门|關門|周六|周日|周末|星期|电话|電話|号码|號碼|打给"
                           r"|地址|在哪|怎么去|怎么走|位置|地图|地圖|边度|邊度|" + GETTING_THERE)


def map_link(office: Dict[str, Any]) -> Optional[str]:
    if office.get("latitude") is None or office.get("longitude") is None:
        return None
    return (f"https://uri.amap.com/marker?position={office['longitude']},{office['latitude']}"
            f"&name={quote(office['name'])}")


async def office_details(directory: OfficeDirectory, region: str, text: str) -> Optional[str]:
    """One detail of the office she was just shown ("返工时间系几点", "有电话吗"), not the
    whole card again; None when the directory has no office for the region."""
    offices = await directory.offices_for_region(region)
    if not offices:
        return None
    office = offices[0]
    lines = []
    if re.search(r"几点|时间|上班|返工|开门|关门|周六|周日|周末|星期", text):
        lines.append(f"办公时间：{office.get('hours') or '工作日办公，请先电话确认'}")
    if re.search(r"电话|号码|打给", text):
        lines.append(f"电话：{office.get('phone') or HOTLINE}")
    getting_there = re.search(GETTING_THERE, text)
    if re.search(r"地址|在哪|怎么去|怎么走|位置|地图|边度", text) or getting_there or not lines:
        lines.append(f"地址：{office.get('address') or '暂未收录'}")
        link = map_link(office)
        if link:
            lines.append(f"地图：{link}" + ("（点开能查地铁、公交和驾车路线）" if getting_there else ""))
        elif getting_there:
            lines.append("坐车路线可以用地图软件搜上面的地址，或打电话问问。")
    return f"{office['name']}：\n" + "\n".join(lines) + "\n" + SAFETY_LINE
