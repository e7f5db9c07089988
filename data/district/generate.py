#!/usr/bin/env python3
"""Writes the sample district under data/district: four schools, each exporting
its homework register its own way (one file per class and week, per week, per
grade and subject; UTF-8 with and without BOM, GBK), three school weeks.

The files are committed; run this again only to change the sample:
    python3 data/district/generate.py
"""
import datetime
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261123)
MONDAYS = [datetime.date(2026, 11, 9), datetime.date(2026, 11, 16), datetime.date(2026, 11, 23)]
CN = "一二三四五六七八九"


def days():
    for monday in MONDAYS:
        for i in range(5):
            yield monday + datetime.timedelta(days=i)


def subjects(grade):
    if grade <= 2:
        return ["语文", "数学"]
    if grade <= 4:
        return ["语文", "数学", "英语"]
    if grade <= 6:
        return ["语文", "数学", "英语", "科学"]
    return ["语文", "数学", "英语", "物理" if grade >= 8 else "生物", "历史", "道德与法治"]


def day_plan(grade, load, day):
    """The rows of one class on one day: (subject, kind, minutes, title)."""
    rows = []
    subs = subjects(grade)
    if grade <= 2:
        rows.append(("语文", "口头", 10, "朗读课文"))
        rows.append(("数学", "实践", 10, "数一数家里的物品"))
        if load > 1.0 and rng.random() < 0.12 * load:
            rows.append(("数学", "书面", rng.choice([10, 15]), "口算练习一页"))
        return rows
    cap = 30 if grade <= 4 else 60 if grade <= 6 else 90
    target = cap * load * rng.uniform(0.72, 1.0)
    if rng.random() < 0.05:
        target *= 1.35
    picked = rng.sample(subs, k=min(len(subs), 2 + rng.randrange(len(subs) - 1)))
    weights = [rng.uniform(0.6, 1.4) for _ in picked]
    total_w = sum(weights)
    for sub, w in zip(picked, weights):
        m = max(5, int(round(target * w / total_w / 5.0)) * 5)
        rows.append((sub, "书面", m, TITLES.get(sub, "练习")))
    rows.append(("语文", "阅读", 20, "课外阅读"))
    if day.weekday() == 4:
        rows.append(("体育", "体育", 30, "跳绳"))
    return rows


TITLES = {"语文": "生字抄写", "数学": "练习册", "英语": "单词默写", "科学": "实验报告",
          "物理": "课后习题", "生物": "预习提纲", "历史": "填图练习", "道德与法治": "课后练习"}


def minutes_text(m, style):
    if style == "分钟":
        return f"{m}分钟"
    if style == "mixed":
        if m % 30 == 0 and m >= 60:
            return f"{m / 60:g}小时"
        return str(m)
    if style == "min":
        return f"{m} min"
    return str(m)


def write(path, header, rows, encoding, bom=False):
    path = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = "\r\n".join(",".join(r) for r in [header] + rows) + "\r\n"
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


def quote(s):
    return '"' + s.replace('"', '""') + '"' if ("," in s or '"' in s) else s


def main():
    for name in os.listdir(HERE):
        if os.path.isdir(os.path.join(HERE, name)):
            shutil.rmtree(os.path.join(HERE, name))

    # 城南实验小学: one UTF-8 (BOM) file per class and week, as the class teacher exports it.
    school = "城南实验小学"
    loads = {(1, 1): 1.0, (1, 2): 1.6, (2, 1): 1.0, (2, 2): 1.0, (3, 1): 0.9, (3, 2): 1.15,
             (4, 1): 0.95, (4, 2): 0.85, (5, 1): 1.12, (5, 2): 0.9, (6, 1): 0.95, (6, 2): 1.05}
    for (g, c), load in loads.items():
        cls = f"{CN[g - 1]}年级({c})班"
        for wi, monday in enumerate(MONDAYS):
            rows = []
            for i in range(5):
                day = monday + datetime.timedelta(days=i)
                for sub, kind, m, title in day_plan(g, load, day):
                    rows.append([school, cls, day.isoformat(), sub, title, kind,
                                 minutes_text(m, "分钟")])
            week = monday.isocalendar()[1]
            write(f"城南实验小学/{cls}/第{week}周.csv",
                  ["学校", "班级", "日期", "科目", "作业内容", "作业类型", "预计时长"], rows,
                  "utf-8", bom=True)

    # 河西第二小学: one GBK file per week for the whole school (Excel on Windows).
    school = "河西第二小学"
    loads = {(1, 1): 1.0, (2, 1): 1.0, (3, 1): 1.0, (3, 2): 0.9, (4, 1): 1.25, (5, 1): 0.9,
             (6, 1): 1.1, (6, 2): 0.85}
    for monday in MONDAYS:
        rows = []
        for (g, c), load in loads.items():
            cls = f"{g}年级{c}班"
            for i in range(5):
                day = monday + datetime.timedelta(days=i)
                for sub, kind, m, title in day_plan(g, load, day):
                    if kind == "书面" and rng.random() < 0.01:
                        kind = "听写"  # a type word the policy does not know
                    rows.append([school, cls, str(g), f"{day.year}/{day.month}/{day.day}",
                                 sub, kind, minutes_text(m, "mixed")])
        week = monday.isocalendar()[1]
        write(f"河西第二小学/2026年第{week}周作业公示.csv",
              ["学校", "班级", "年级", "布置日期", "学科", "类型", "用时"], rows, "gbk")

    # 育才中学: one GBK file per grade and subject, as each subject group exports it.
    school = "育才中学"
    loads = {(7, 1): 0.95, (7, 2): 1.08, (7, 3): 0.9, (8, 1): 1.0, (8, 2): 1.1, (8, 3): 0.95,
             (9, 1): 1.15, (9, 2): 1.05, (9, 3): 1.0}
    per_file = {}
    for (g, c), load in loads.items():
        cls = f"初{CN[g - 7]}({c})班"
        for day in days():
            for sub, kind, m, title in day_plan(g, load, day):
                per_file.setdefault((g, sub), []).append(
                    [school, cls, f"{day.year}年{day.month}月{day.day}日", sub, kind,
                     str(m), quote(title)])
    for (g, sub), rows in per_file.items():
        write(f"育才中学/初{CN[g - 7]}/{sub}.csv",
              ["学校", "班级", "日期", "科目", "作业形式", "预计用时(分钟)", "作业内容"], rows,
              "gbk")

    # 滨江外国语学校: English headers, UTF-8 without BOM, one file for the term.
    school = "滨江外国语学校"
    loads = {(3, 1): 0.85, (4, 1): 0.85, (5, 1): 0.9, (6, 1): 1.15, (7, 1): 0.95, (8, 1): 1.1}
    english = {"语文": "Chinese", "数学": "Maths", "英语": "English", "科学": "Science",
               "物理": "Physics", "生物": "Biology", "历史": "History", "道德与法治": "Ethics",
               "体育": "PE"}
    kinds = {"书面": "written", "口头": "oral", "阅读": "reading", "体育": "other", "实践": "practical"}
    rows = []
    for (g, c), load in loads.items():
        cls = f"G{g}-{c}"
        for day in days():
            for sub, kind, m, title in day_plan(g, load, day):
                rows.append([school, cls, str(g), day.isoformat(), english[sub], kinds[kind],
                             minutes_text(m, "min")])
    write("滨江外国语学校/homework-2026-autumn.csv",
          ["school", "class", "grade", "date", "subject", "type", "minutes"], rows, "utf-8")


if __name__ == "__main__":
    main()
