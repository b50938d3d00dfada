"""The message catalogue (spaCy's errors.py is the model): every message a planner sees has a code
and its text in Japanese (the default: planners read these) and in English (`--lang en`,
PLANDRAFT_LANG=en, or an English/C locale). Callers say `text(code, **params)` or raise
`input_error(code, **params)`; the web page and the CLI use the same table."""
from __future__ import annotations

import os
from typing import Any

from .errors import InputError

LANGUAGES = ("ja", "en")
ENV = "PLANDRAFT_LANG"

# code → (Japanese, English). An error's reason is `code`, what to do about it `code.hint`.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- files and folders -------------------------------------------------------------------
    "file.missing": ("ファイルが見つかりません", "no such file"),
    "file.missing.hint": ("パスを確かめてください", "check the path"),
    "file.unreadable": ("ファイルを読めません: {reason}", "cannot read file: {reason}"),
    "file.unreadable.hint": ("パスと権限を確かめてください", "check the path and permissions"),
    "file.empty": ("空のファイルです (0 バイト)", "empty file (0 bytes)"),
    "file.empty.hint": ("正しいファイルか確かめてください", "check that the right file was given"),
    "input.not_found": ("{what}が見つかりません: {path}", "{what} not found: {path}"),
    "what.input": ("入力ファイル", "input"),
    "what.file": ("ファイル", "file"),
    "what.template": ("テンプレート", "template"),
    "what.corrections": ("修正ファイル", "corrections file"),
    "what.outline": ("構成案", "outline"),
    # -- batches -------------------------------------------------------------------------------
    "batch.skipped": ("{total} 件中 {count} 件を読めませんでした: {names}", "skipped {count} of {total} files: {names}"),
    # -- the job -------------------------------------------------------------------------------
    "job.plan_unreadable": ("前年度の計画を読めなかったため、作成も比較もしていません",
                            "last year's plan could not be read, so nothing was drafted or compared"),
    "job.plan_unreadable.hint": ("上の行の理由を見て、ファイルを直すか差し替えてください",
                                 "see the line above for why; fix or replace that file"),
    "job.nothing_drafted": ("{path}: 作成していません (前年度の計画を読めませんでした)",
                            "{path}: nothing drafted (last year's plan could not be read)"),
    "job.nothing_written": ("{path}: 何も書き出していません (計画を読めませんでした)",
                            "{path}: nothing written (the plan could not be read)"),
    "job.nothing_compared": ("{path}: 比較していません (当市の計画を読めませんでした)",
                             "{path}: nothing compared (our plan could not be read)"),
    "job.no_year": ("{path}: 計画に年度が見つかりません (--year で指定してください。例: --year 平成22年度)",
                    "{path}: no fiscal year found in the plan (give --year, e.g. --year 平成22年度)"),
    "job.exists": ("{path}: すでにあります (置き換えるには --force を付けてください。元のファイルは .bak に残します)",
                   "{path}: already exists (add --force to replace it; the old file is kept as a .bak)"),
    "job.year_not_after": ("plandraft draft: --year {year} は計画の年度 ({plan_year}) より後ではありません。このまま作成します",
                           "plandraft draft: --year {year} is not after the plan's year ({plan_year}); drafting it anyway"),
    "job.long_text": ("{where}: {fields} が {limit} 文字を超えるため、先頭で照合しました (複数の取組が入ったセルなら分けてください)",
                      "{where}: {fields} longer than {limit} characters, matched on its beginning "
                      "(split the cell if it holds several measures)"),
    "job.unknown_pillar": ("{origin}: 柱 '{pillar}' はこの構成案にありません ({item} の修正は使いません)",
                           "{origin}: pillar '{pillar}' is not in this outline (correction of {item} ignored)"),
    "job.copies_differ": ("{path}: {base} と項目が違います ({count} 件と {base_count} 件)。両方を確かめてください",
                          "{path}: items differ from {base} ({count} vs {base_count} items); check both"),
    # -- settings (plandraft.toml) ---------------------------------------------------------------
    "config.no_folder": ("入力フォルダが見つかりません: {folder}", "input folder not found: {folder}"),
    "config.bad_toml": ("{path}: TOML として読めません ({reason})", "{path}: not valid TOML ({reason})"),
    "config.unknown_key": ("{path}: 不明なキー '{key}' を無視しました", "{path}: unknown key '{key}' ignored"),
    "config.did_you_mean": (" ('{near}' のことですか?)", " (did you mean '{near}'?)"),
    "config.not_a_name": ("{path}: '{key}' はファイル名で指定してください", "{path}: '{key}' must be a file name"),
    "config.outside": ("{path}: {key} '{value}' は {folder} の外です (ファイルをそのフォルダに置いてください)",
                       "{path}: {key} '{value}' is outside {folder} (put the file in that folder)"),
    "config.not_found": ("{path}: {key} のファイルが見つかりません: {file}", "{path}: {key} file not found: {file}"),
    "config.no_outline": ("{folder} に構成案がありません: {name} に outline = \"…\" と書いてください",
                          "no outline in {folder}: name it in {name} (outline = \"…\")"),
    "config.others_list": ("{path}: 'others' はファイルかフォルダのリストで指定してください",
                           "{path}: 'others' must be a list of files or folders"),
    "config.no_plan": ("{folder} に計画がありません: {name} に前年度の計画を plan = \"…\" と書いてください",
                       "no plan in {folder}: name last year's plan in {name} (plan = \"…\")"),
    "config.city": ("{path}: 'city' は市町村名で指定してください (例: city = \"対馬市\")",
                    "{path}: 'city' must be the municipality's name, e.g. city = \"対馬市\""),
    "config.reference": ("{path}: reference は {modes} のどれかで指定してください", "{path}: reference must be one of {modes}"),
    "config.unknown_setting": ("{where}: 不明な設定 '{key}'", "{where}: unknown setting '{key}'"),
    "config.not_a_table": ("{where}: 設定の表 ([…]) で指定してください", "{where}: must be a table of settings"),
    "config.bad_value": ("{where}: {reason}", "{where}: {reason}"),
    # -- the CLI ---------------------------------------------------------------------------------
    "cli.interrupted": ("plandraft: 中断しました", "plandraft: interrupted"),
    "cli.threshold": ("--threshold は 0 より大きく 1 以下で指定してください", "--threshold must be between 0 and 1"),
    "cli.compare_exists": ("{path} があります (置き換えるには --force。元のファイルは .bak に残します)",
                           "{path} exists (use --force to replace it; a backup is kept)"),
    "cli.bad_year": ("--year: {reason}", "--year: {reason}"),
}


def language() -> str:
    """The language of messages: PLANDRAFT_LANG (set by --lang) if ja or en, else English for an
    English or C locale (LC_ALL, LC_MESSAGES, LANG), else Japanese."""
    chosen = os.environ.get(ENV, "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            return "en" if value.lower().startswith("en") or value.split(".")[0] in ("C", "POSIX") else "ja"
    return "ja"


def set_language(lang: str) -> None:
    """Use lang (ja or en) from now on, in this process and the worker processes it starts."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}: {lang!r}")
    os.environ[ENV] = lang


def text(code: str, lang: str | None = None, /, **params: Any) -> str:
    """The message code in lang (default: language()), with params filled in. KeyError for an
    unknown code (a test checks every code used exists)."""
    ja, en = MESSAGES[code]
    template = ja if (lang or language()) == "ja" else en
    return template.format(**params) if params else template


def input_error(code: str, *, path: str | None = None, **params: Any) -> InputError:
    """The InputError of code: its reason the message code, its hint `code.hint` (if any)."""
    hint = text(f"{code}.hint", **params) if f"{code}.hint" in MESSAGES else ""
    return InputError(text(code, **params), hint, path=path)
