"""The demo city's organisation: 朝霞市's 実施機関 and the 部・課・係 the seed names,
plus a few more so the screens look like a real city."""

ORGANS = [
    ("mayor", "市長"),
    ("education", "教育委員会"),
    ("election", "選挙管理委員会"),
    ("fairness", "公平委員会"),
    ("audit", "監査委員"),
    ("agriculture", "農業委員会"),
    ("assessment", "固定資産評価審査委員会"),
    ("assembly", "議会"),
]

# (organ, division, [(section code, section, [(unit code, unit)])])
TREE = [
    ("mayor", ("somu", "総務部"), [
        ("somu-ka", "総務課", [("joho", "情報公開係"), ("bunsho", "文書法制係")]),
        ("jinken", "人権庶務課", [("jinken-shomu", "人権庶務係")]),
        ("shokuin", "職員課", [("jinji", "人事係")]),
        ("kazei", "課税課", [("shiminzei", "市民税係"), ("shisanzei", "資産税係")]),
        ("shuno", "収納課", [("nozei", "納税係")]),
        ("keiyaku", "契約検査課", [("nyusatsu", "入札契約係")]),
    ]),
    ("mayor", ("shimin", "市民環境部"), [
        ("madoguchi", "総合窓口課", [("madoguchi-kakari", "総合窓口係"), ("koseki", "戸籍係")]),
        ("kankyo", "環境推進課", [("kankyo-taisaku", "環境対策係")]),
        ("chiiki", "地域づくり支援課", [("shimin-sodan", "市民相談係")]),
    ]),
    ("mayor", ("fukushi", "福祉部"), [
        ("engo", "生活援護課", [("engo-somu", "生活援護総務係"), ("hogo-kakari", "保護係")]),
        ("fukushi-sodan", "福祉相談課", [("fukushi-sodan-kakari", "福祉相談係")]),
        ("choju", "長寿はつらつ課", [("kaigo-nintei", "介護認定係"), ("kaigo-hoken", "介護保険係")]),
        ("shogai", "障害福祉課", [("shogai-fukushi", "障害福祉係")]),
    ]),
    ("mayor", ("kodomo", "こども・健康部"), [
        ("mirai", "こども未来課", [("kodomo-kyufu", "こども給付係"), ("kodomo-sodan", "こども相談係"), ("kodomo-ikusei", "こども育成係")]),
        ("hoiku", "保育課", [("hoiku-kakari", "保育係"), ("yochien", "幼稚園係")]),
        ("hoken-nenkin", "保険年金課", [("koreisha-iryo", "高齢者医療係"), ("kokuho", "国民健康保険係"), ("nenkin", "国民年金係")]),
        ("kenko", "健康づくり課", [("seijin-hoken", "成人保健係"), ("boshi-hoken", "母子保健係")]),
    ]),
    ("mayor", ("toshi", "都市建設部"), [
        ("machizukuri", "まちづくり推進課", [("kukaku", "区画整理係")]),
        ("doro", "道路整備課", [("yochi", "用地係")]),
    ]),
    ("mayor", ("suido", "上下水道部"), [
        ("suido-somu", "上下水道総務課", [("suido-gyomu", "業務係")]),
    ]),
    ("education", ("gakko", "学校教育部"), [
        ("kyoiku-kanri", "教育管理課", [("kyoiku-kanri-kakari", "教育管理係"), ("gakuji", "学事係"), ("hoken-kyushoku", "保健給食係")]),
        ("kyoiku-shido", "教育指導課", [("shido", "指導係")]),
    ]),
    ("education", ("shogai-gakushu", "生涯学習部"), [
        ("toshokan", "中央図書館", [("toshokan-kakari", "図書館係")]),
    ]),
]
# Sections directly under an organ, with no 部 (選挙管理委員会事務局 and the like).
TOP_SECTIONS = [
    ("election", "senkan", "選挙管理委員会事務局", [("senkyo", "選挙係")]),
]
# Project teams: (code, name, home unit code)
TEAMS = [
    ("kyufukin-pt", "低所得者支援・定額減税調整給付金支給プロジェクト・チーム", "engo-somu"),
]
