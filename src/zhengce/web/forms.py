"""The "我能享受哪些政策" profile form, generated from the matcher's profile vocabulary.

The vocabulary (``zhengce.match.profile.vocabulary``) names every field, its type, label and
allowed values, so the form follows the matcher without a second list; only the Chinese labels
of coded values live here. Query strings come back as typed profile values or an InvalidInput
naming the field.
"""

from __future__ import annotations

from ..errors import InvalidInput

VALUE_LABELS = {
    "person": "个人", "enterprise": "企业", "organization": "社会组织/机构",
    "large": "大型", "medium": "中型", "small": "小型", "micro": "微型",
    "none": "无", "private": "民营", "state": "国有", "foreign": "外资",
    "small-scale": "小规模纳税人", "general": "一般纳税人", "moderate": "中度", "severe": "重度",
    "registered-unemployed": "登记失业", "employed": "在职", "new-graduate": "应届毕业生", "veteran": "退役军人",
}


def form_fields(vocab: dict[str, dict], profile: dict) -> list[dict]:
    """One dict per input: name, label, widget (select/checks/number/date/text), options, value, kinds."""
    out = []
    for name, spec in vocab.items():
        if name == "kind":
            continue
        t, values = spec["type"], spec.get("values")
        field = {"name": name, "label": spec.get("label", name), "kinds": spec.get("kinds", []),
                 "value": profile.get(name)}
        if t == "bool":
            field |= {"widget": "select", "options": [("true", "是"), ("false", "否")]}
            field["value"] = {True: "true", False: "false"}.get(profile.get(name))
        elif t == "cat" and values:
            field |= {"widget": "select", "options": [(v, VALUE_LABELS.get(v, v)) for v in values]}
        elif t == "list" and values:
            field |= {"widget": "checks", "options": [(v, VALUE_LABELS.get(v, v)) for v in values],
                      "value": profile.get(name) or []}
        elif t == "list":
            field |= {"widget": "text", "value": "、".join(profile.get(name) or []), "hint": "多个用顿号分隔"}
        elif t in ("int", "num"):
            field |= {"widget": "number"}
        elif t == "date":
            field |= {"widget": "date"}
        else:
            field |= {"widget": "text"}
        out.append(field)
    return out


def profile_from_query(vocab: dict[str, dict], items: list[tuple[str, str]]) -> dict:
    """Typed profile from form values; blanks are unknown (omitted), fields of other kinds dropped."""
    multi: dict[str, list[str]] = {}
    for k, v in items:
        if v.strip():
            multi.setdefault(k, []).append(v.strip())
    kind = (multi.get("kind") or ["enterprise"])[0]
    profile: dict = {"kind": kind}
    for name, vals in multi.items():
        spec = vocab.get(name)
        if spec is None or name == "kind" or kind not in spec.get("kinds", []) and not (
                kind == "organization" and "enterprise" in spec.get("kinds", [])):
            continue
        t, v = spec["type"], vals[0]
        try:
            if t == "bool":
                profile[name] = v == "true"
            elif t == "int":
                profile[name] = int(v)
            elif t == "num":
                profile[name] = float(v)
            elif t == "list":
                parts = vals if spec.get("values") else [p for x in vals for p in x.replace(",", "、").replace("，", "、").split("、")]
                profile[name] = [p.strip() for p in parts if p.strip()]
            else:
                profile[name] = v
        except ValueError as e:
            raise InvalidInput(f"{spec.get('label', name)}：{v!r} 不是有效的数字", field=name) from e
    return profile
